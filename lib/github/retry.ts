/**
 * When to retry a GitHub API request, following GitHub's guidance for rate limits
 * (docs.github.com, "Rate limits for the REST API"): `retry-after` first; a limit with
 * `x-ratelimit-remaining: 0` waits until `x-ratelimit-reset`; a secondary rate limit without
 * either waits a minute; 5xx and network errors back off exponentially.
 */
import { parseErrorBody } from "./api_errors.ts";

export function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError ||
    (error instanceof DOMException && ["TimeoutError", "AbortError"].includes(error.name));
}

/** 1, 2, 4, 8... seconds, at most 30. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** (attempt - 1));
}

/** How long to wait before retrying an error answer; undefined when it must not be retried. */
export function retryDelayMs(
  status: number,
  headers: Headers,
  bodyText: string,
  attempt: number,
  now = Date.now(),
): number | undefined {
  const retryAfter = parseRetryAfter(headers.get("retry-after"), now);
  const exhausted = headers.get("x-ratelimit-remaining") === "0";
  const secondary = /secondary rate limit/i.test(parseErrorBody(bodyText).message ?? "");
  const rateLimited = status === 429 ||
    (status === 403 && (retryAfter !== undefined || exhausted || secondary));
  if (!rateLimited && ![500, 502, 503, 504].includes(status)) return undefined;
  if (retryAfter !== undefined) return retryAfter;
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (rateLimited && exhausted && reset > 0) return Math.max(0, reset * 1000 - now) + 1000;
  if (secondary) return 60_000;
  return backoffMs(attempt);
}

/** `retry-after` in seconds or as an HTTP date, in milliseconds. */
function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
