/** The GitHub API's base URL: GITHUB_API_URL (Actions, GitHub Enterprise) or api.github.com. */
import { usageError } from "../core/errors.ts";

export const DEFAULT_API_URL = "https://api.github.com";

/** Validated API base URL, without a trailing slash. */
export function resolveApiUrl(
  explicit: string | undefined,
  env: Record<string, string | undefined>,
) {
  const source = explicit ? "the GitHub API URL" : "GITHUB_API_URL";
  const text = (explicit ?? env.GITHUB_API_URL ?? "").trim() || DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw usageError(
      `${source} ${JSON.stringify(text)} is not a URL`,
      "Use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.",
    );
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw usageError(
      `${source} ${url.origin} is not an https:// URL; the token is never sent in plain text`,
      "Use the https:// address of the API (https://HOST/api/v3 for GitHub Enterprise Server).",
    );
  }
  if (url.username || url.password || url.search) {
    throw usageError(`${source} must not carry credentials or a query`);
  }
  return url.href.replace(/\/+$/, "");
}
