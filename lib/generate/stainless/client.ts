/**
 * The hosted Stainless API through its official SDK (`@stainless-api/sdk`): client setup,
 * required environment, and API errors turned into messages that say what to do.
 *
 * Retries (429 honoring retry-after, 408/409, 5xx, connection errors; exponential backoff)
 * are the SDK's; we only choose how many.
 */
import Stainless, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from "@stainless-api/sdk";
import { CodegenError, messageOf, usageError } from "../../core/errors.ts";
import { log } from "../../core/log.ts";
import { redact, registerSecret } from "../../core/redact.ts";
import { throwIfInterrupted } from "../../core/cleanup.ts";

export type BuildDiagnostic = Stainless.Builds.BuildDiagnostic;
export type Build = Stainless.Build;
export type BuildTarget = Stainless.BuildTarget;
export type CheckStep = Stainless.CheckStep;

export const DEFAULT_BASE_URL = "https://api.stainless.com";

/** The environment the hosted backend needs, and why (named in the error when missing). */
export const REQUIRED_ENV = [
  {
    name: "STAINLESS_API_KEY",
    purpose:
      "API key of the hosted Stainless generator (app.stainless.com, organization settings, API keys)",
  },
  {
    name: "GITHUB_TOKEN",
    purpose:
      "GitHub token with access to the SDK repositories (fetches generated code when the API gives no token; merge_generated_code pushes with it)",
  },
] as const;

/** Names every missing variable at once; a dry run only warns. */
export function checkStainlessEnv(env: Record<string, string | undefined>, dryRun = false): void {
  const missing = REQUIRED_ENV.filter(({ name }) => !env[name]?.trim());
  if (missing.length === 0) return;
  const list = missing.map(({ name, purpose }) => `${name}: ${purpose}`).join("\n");
  if (dryRun) {
    for (const { name } of missing) {
      log.warn(`[dry-run] ${name} is not set; a real run would stop here`);
    }
    return;
  }
  throw usageError(
    `the hosted Stainless generator needs ${
      missing.map((m) => m.name).join(" and ")
    } in the environment`,
    `Export ${
      missing.map((m) => m.name).join(" and ")
    }, or pick a local generator (--generator openapi-python-client); see docs/generators.md.`,
    list,
  );
}

export interface ClientSettings {
  apiKey: string;
  /** Default: STAINLESS_BASE_URL, else the production API. */
  baseURL?: string;
  maxRetries: number;
  /** Per-request timeout. */
  timeoutMs?: number;
}

export function createClient(settings: ClientSettings): Stainless {
  registerSecret(settings.apiKey);
  const baseURL = settings.baseURL ?? (Deno.env.get("STAINLESS_BASE_URL") || DEFAULT_BASE_URL);
  log.verbose(`Stainless API at ${baseURL}`);
  return new Stainless({
    apiKey: settings.apiKey,
    baseURL,
    maxRetries: settings.maxRetries,
    timeout: settings.timeoutMs ?? 60_000,
    logLevel: "info",
    // The SDK logs retries at "info"; those deserve a line, the rest only with --verbose.
    logger: {
      error: (message: string) => log.verbose(`Stainless SDK: ${message}`),
      warn: (message: string) => log.verbose(`Stainless SDK: ${message}`),
      info: (message: string) =>
        /retrying/.test(message)
          ? log.info(`Stainless API: ${message.replace(/^\[[^\]]*\]\s*/, "")}`)
          : log.verbose(message),
      debug: (message: string) => log.debug(message),
    },
  });
}

/** What an API call must answer: a JSON object with these fields (checked before use). */
export interface Expected {
  /** Field names and their `typeof` ("string", "object"). */
  fields: Record<string, "string" | "object">;
}

export interface CallOptions {
  project?: string;
  /**
   * How often a malformed answer (a 200 that is not the API's JSON: a proxy's page, a body cut
   * off) is retried, like a 5xx; the SDK retries statuses itself. Default 0.
   */
  retries?: number;
  expect?: Expected;
}

/** A 200 that is not the API's answer: retried, then reported with an excerpt, never as a bug. */
class MalformedAnswer extends Error {
  constructor(readonly why: string, readonly excerpt?: string) {
    super(why);
  }
}

/** Delay before the `attempt`-th retry of a malformed answer: the SDK's backoff (0.5 s doubling, at most 8 s). */
export function retryDelayMs(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 8_000);
}

/**
 * Runs one API call; SDK errors become CodegenErrors saying what failed and what to do. An
 * answer that is not the expected JSON (or a parse/transport error while reading it) is retried
 * up to `retries` times, then fails with a hint. Nothing is called once the run is interrupted.
 */
export async function apiCall<T>(
  what: string,
  call: () => Promise<T>,
  options: CallOptions = {},
): Promise<T> {
  const retries = options.retries ?? 0;
  for (let attempt = 0;; attempt++) {
    throwIfInterrupted();
    try {
      return checkAnswer(await call(), options.expect);
    } catch (error) {
      const malformed = asMalformed(error);
      if (!malformed) throw apiError(what, error, options);
      if (attempt >= retries) throw malformedError(what, malformed, attempt, error);
      const delay = retryDelayMs(attempt);
      log.info(
        `Stainless API: ${what}: ${malformed.why}; retrying in ${delay / 1000} s (${
          attempt + 1
        }/${retries})`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** The answer, if it is a JSON object with the expected fields; else a MalformedAnswer. */
function checkAnswer<T>(answer: T, expect: Expected | undefined): T {
  if (typeof answer === "string") {
    throw new MalformedAnswer("the answer is text, not JSON", answer);
  }
  if (!expect) return answer;
  if (typeof answer !== "object" || answer === null || Array.isArray(answer)) {
    throw new MalformedAnswer(`the answer is ${JSON.stringify(answer)}, not a JSON object`);
  }
  for (const [field, type] of Object.entries(expect.fields)) {
    const value = (answer as Record<string, unknown>)[field];
    if (typeof value !== type || value === null) {
      throw new MalformedAnswer(
        `the answer has no ${type} \`${field}\``,
        JSON.stringify(answer).slice(0, 300),
      );
    }
  }
  return answer;
}

/** Errors that mean "the answer could not be read as the API's JSON". */
function asMalformed(error: unknown): MalformedAnswer | undefined {
  if (error instanceof MalformedAnswer) return error;
  // The SDK parses a body labelled JSON with response.json(): a proxy's page throws SyntaxError.
  if (error instanceof SyntaxError) {
    return new MalformedAnswer(`the answer is not valid JSON (${error.message})`);
  }
  // Reading the body failed (connection reset or closed mid-answer): a transport error.
  if (
    error instanceof TypeError && !(error instanceof APIError) &&
    /body|stream|decod|connection/i.test(error.message)
  ) {
    return new MalformedAnswer(`the answer was cut off (${error.message})`);
  }
  return undefined;
}

function malformedError(
  what: string,
  malformed: MalformedAnswer,
  retried: number,
  cause: unknown,
): CodegenError {
  const after = retried > 0 ? ` (after ${retried} ${retried === 1 ? "retry" : "retries"})` : "";
  const excerpt = malformed.excerpt?.trim().slice(0, 400);
  return new CodegenError(`Stainless API: cannot ${what}: ${malformed.why}${after}`, {
    hint:
      "Something other than the Stainless API answered (a proxy, a captive portal, a gateway's error page): " +
      "check STAINLESS_BASE_URL and HTTPS_PROXY/HTTP_PROXY, and that the machine reaches the API; " +
      "run again once it does, or raise --api-max-retries for a flaky network.",
    details: excerpt ? `the answer began with:\n${redact(excerpt)}` : undefined,
    cause,
  });
}

function apiError(what: string, error: unknown, context: { project?: string }): unknown {
  if (error instanceof CodegenError) return error;
  const details = error instanceof APIError && error.error
    ? redact(JSON.stringify(error.error, null, 2))
    : undefined;
  const fail = (message: string, hint: string) =>
    new CodegenError(`Stainless API: cannot ${what}: ${message}`, { hint, details, cause: error });
  if (error instanceof AuthenticationError) {
    return fail(
      "the API key was rejected (401)",
      "Check STAINLESS_API_KEY (a key of the organization that owns the project; keys expire when revoked).",
    );
  }
  if (error instanceof PermissionDeniedError) {
    return fail(
      "permission denied (403)",
      `Check that the API key's organization has access to project ${context.project ?? ""}.`,
    );
  }
  if (error instanceof NotFoundError) {
    return fail(
      "not found (404)",
      `Check stainless_project (--project, now ${
        context.project ?? "?"
      }) and stainless_branch (--branch).`,
    );
  }
  if (error instanceof RateLimitError) {
    return fail(
      "still rate limited (429) after retrying",
      "Wait a few minutes and run again, or raise --api-max-retries.",
    );
  }
  if (error instanceof InternalServerError) {
    return fail(
      `server error (${error.status}) after retrying`,
      "Stainless may be having an outage; run again later.",
    );
  }
  if (error instanceof BadRequestError) {
    const text = messageOf(error);
    return fail(
      `request rejected (400): ${redact(text)}`,
      /No changes to commit/i.test(text)
        ? "Nothing changed since the last build."
        : "Check openapi.json and openapi.stainless.yml (the message above says what the API did not accept).",
    );
  }
  if (error instanceof APIConnectionTimeoutError || error instanceof APIConnectionError) {
    return fail(
      `no connection (${messageOf(error)})`,
      "Check the network, or STAINLESS_BASE_URL if you point the tool at another API server.",
    );
  }
  if (error instanceof APIError) {
    return fail(
      `HTTP ${error.status ?? "error"}: ${redact(messageOf(error))}`,
      "Run again with --debug for the full exchange.",
    );
  }
  return error;
}

/** Every diagnostic of a build (all pages). */
export async function listDiagnostics(
  client: Stainless,
  buildId: string,
  retries = 0,
): Promise<BuildDiagnostic[]> {
  return await apiCall("list the build diagnostics", async () => {
    const all: BuildDiagnostic[] = [];
    for await (const diagnostic of client.builds.diagnostics.list(buildId, { limit: 100 })) {
      all.push(diagnostic);
    }
    return all;
  }, { retries });
}
