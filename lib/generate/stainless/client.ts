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

/** Runs one API call; SDK errors become CodegenErrors saying what failed and what to do. */
export async function apiCall<T>(
  what: string,
  call: () => Promise<T>,
  context: { project?: string } = {},
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw apiError(what, error, context);
  }
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
): Promise<BuildDiagnostic[]> {
  return await apiCall("list the build diagnostics", async () => {
    const all: BuildDiagnostic[] = [];
    for await (const diagnostic of client.builds.diagnostics.list(buildId, { limit: 100 })) {
      all.push(diagnostic);
    }
    return all;
  });
}
