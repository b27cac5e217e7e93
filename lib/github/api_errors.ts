/**
 * GitHub API failures as CodegenErrors that say what failed, quote the API's own message, and
 * tell the user what to do: which token permissions a call needs (401/403), that a 404 is often a
 * private repository the token cannot see, when to retry (rate limits).
 */
import { CodegenError } from "../core/errors.ts";
import { redact } from "../core/redact.ts";

/** What every command of this tool needs from a token, named in 401/403 hints. */
export const TOKEN_PERMISSIONS =
  "`contents: write` and `pull-requests: write` (a fine-grained token, or the workflow's `permissions:`), or the `repo` scope of a classic token";

/** One entry of a 422's `errors` list. */
export interface ApiErrorItem {
  resource?: string;
  code?: string;
  field?: string;
  message?: string;
}

/** What a request was for, for messages. */
export interface CallContext {
  /** "create the pull request" */
  what: string;
  /** `owner/name`, when the call is about one repository. */
  repo?: string;
  /** The fine-grained permission the call needs ("pull-requests: write"). */
  permission?: string;
}

/** An HTTP error answer of the GitHub API (after any retries). */
export class GitHubApiError extends CodegenError {
  constructor(
    message: string,
    readonly status: number,
    readonly apiMessage: string,
    readonly apiErrors: ApiErrorItem[],
    options: { hint?: string; details?: string },
  ) {
    super(message, options);
    this.name = "GitHubApiError";
  }

  /** The API's message and the messages of its `errors` items, in one line. */
  get fullApiMessage(): string {
    return [this.apiMessage, ...this.apiErrors.map(describeItem)].filter(Boolean).join("; ");
  }
}

function describeItem(item: ApiErrorItem): string {
  if (item.message) return item.message;
  return [item.resource, item.field, item.code].filter(Boolean).join(" ");
}

interface ErrorBody {
  message?: string;
  errors?: ApiErrorItem[];
  documentation_url?: string;
}

/** The JSON error body GitHub sends, or the raw text when it is not one. */
export function parseErrorBody(text: string): ErrorBody {
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const errors = Array.isArray(parsed.errors)
        ? parsed.errors.map((e: unknown) => typeof e === "string" ? { message: e } : e)
        : [];
      return { ...parsed, errors };
    }
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  return { message: text.trim().slice(0, 300), errors: [] };
}

/** Builds the error for a final (not retried, or retried out) HTTP error answer. */
export function apiError(
  status: number,
  bodyText: string,
  context: CallContext,
  attempts: number,
): GitHubApiError {
  const body = parseErrorBody(bodyText);
  const apiMessage = redact(body.message ?? "");
  const items = (body.errors ?? []).map((item) => ({
    ...item,
    message: item.message && redact(item.message),
  }));
  const quoted = [apiMessage, ...items.map(describeItem)].filter(Boolean).join("; ");
  const said = quoted ? `: ${quoted}` : "";
  const repo = context.repo ?? "the repository";
  const details = [
    body.documentation_url ? `documentation: ${body.documentation_url}` : "",
    bodyText.trim() ? `response: ${redact(bodyText.trim()).slice(0, 2000)}` : "",
  ].filter(Boolean).join("\n") || undefined;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  const make = (why: string, hint: string) =>
    new GitHubApiError(
      `GitHub API: cannot ${context.what}: ${why}`,
      status,
      apiMessage,
      items,
      { hint, details },
    );
  const needs = context.permission
    ? `This call needs \`${context.permission}\` on ${repo}; the tool needs ${TOKEN_PERMISSIONS}.`
    : `The tool needs ${TOKEN_PERMISSIONS}.`;
  if (status === 401) {
    return make(
      `the token was rejected (401${said})`,
      `Check GITHUB_TOKEN: it is missing, expired or revoked. ${needs}`,
    );
  }
  if (status === 403 && /rate limit/i.test(apiMessage)) {
    return make(`still rate limited (403${said})${tries}`, "Wait a few minutes and run again.");
  }
  if (status === 403) {
    const sso = /SAML|SSO/i.test(apiMessage)
      ? " Authorize the token for the organization's SAML single sign-on."
      : "";
    return make(`permission denied (403${said})`, `${needs}${sso}`);
  }
  if (status === 404) {
    return make(
      `not found (404${said})`,
      `${repo} may be private (GitHub answers 404 when the token cannot see a repository) or misnamed: check github_repo (--github-repo) or the clone's origin, and that GITHUB_TOKEN can read it.`,
    );
  }
  if (status === 422) {
    return make(
      `request rejected (422${said})`,
      "The API's message says what it did not accept.",
    );
  }
  if (status === 429) {
    return make(`still rate limited (429)${tries}`, "Wait a few minutes and run again.");
  }
  if (status >= 500) {
    return make(
      `server error (${status}${said})${tries}`,
      "GitHub may be having an outage (https://www.githubstatus.com); run again later.",
    );
  }
  return make(`HTTP ${status}${said}`, "Run again with --debug to see the requests.");
}
