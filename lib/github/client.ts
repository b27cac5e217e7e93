/**
 * A small GitHub REST client over `fetch`, for the few calls `open-pr` and `publish` make.
 *
 * Written by hand rather than with `@octokit/rest`: importing it costs little (5-15 ms measured,
 * loaded lazily), but retries and rate limits need two more plugins (plugin-retry,
 * plugin-throttling + bottleneck), and this tool needs its own dry run, error hints and token
 * handling anyway; the ten endpoints below are a few lines each.
 *
 * - Base URL: `GITHUB_API_URL` (set by Actions; `https://HOST/api/v3` on GitHub Enterprise
 *   Server), default `https://api.github.com`. Plain http only to a loopback host.
 * - Token: `GITHUB_TOKEN` (or `GH_TOKEN`), registered as a secret: never printed or logged.
 * - Retries: 429, 5xx, network errors, and rate-limit 403s, honoring `retry-after` and
 *   `x-ratelimit-reset`; a wait longer than `maxWaitSeconds` is not waited for but reported.
 * - Dry run: `request` is never reached; callers record what they would do with `plan`.
 * - Interrupted (lib/core/cleanup.ts): no request, and no retry, is sent after a signal.
 */
import { CodegenError, fetchErrorMessage, usageError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { registerSecret } from "../core/redact.ts";
import { throwIfInterrupted } from "../core/cleanup.ts";
import { apiError, type CallContext, GitHubApiError, TOKEN_PERMISSIONS } from "./api_errors.ts";
import { backoffMs, isNetworkError, retryDelayMs } from "./retry.ts";
import {
  fullName,
  type Label,
  type NewPullRequest,
  type PullRequest,
  type PullRequestUpdate,
  type Release,
  type ReleaseFields,
  type RepoRef,
  type Repository,
  type Review,
  type ReviewRequest,
} from "./types.ts";

import { resolveApiUrl } from "./api_url.ts";

export const API_VERSION = "2022-11-28";
const USER_AGENT = "weave-codegen";

export interface GitHubClientOptions {
  /** Default: GITHUB_TOKEN, else GH_TOKEN, from `env`. */
  token?: string;
  /** Default: GITHUB_API_URL from `env`, else https://api.github.com. */
  apiUrl?: string;
  /** Default: the process environment. */
  env?: Record<string, string | undefined>;
  /** Make no request at all (callers record their calls with `plan`). */
  dryRun?: boolean;
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** Longest single wait the client accepts before a retry (default 60 s). */
  maxWaitSeconds?: number;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Injected by tests to record waits instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** Log each planned call as it is recorded (default true; `all` prints its plan itself). */
  logPlannedCalls?: boolean;
}

/** A call as a dry run shows it. */
export interface PlannedCall {
  method: string;
  /** Path and query under the API base URL. */
  path: string;
  body?: unknown;
  /** Why, or under which condition, the call would be made. */
  note?: string;
}

export interface RequestOptions extends CallContext {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

interface Answer<T> {
  data: T;
  headers: Headers;
}

export class GitHubClient {
  readonly apiUrl: string;
  readonly dryRun: boolean;
  /** What a dry run would do, in order (see `plan`). */
  readonly plannedCalls: PlannedCall[] = [];
  #token?: string;
  #maxRetries: number;
  #maxWaitMs: number;
  #timeoutMs: number;
  #sleep: (ms: number) => Promise<void>;
  #logPlannedCalls: boolean;

  constructor(options: GitHubClientOptions = {}) {
    const env = options.env ?? Deno.env.toObject();
    this.apiUrl = resolveApiUrl(options.apiUrl, env);
    this.dryRun = options.dryRun ?? false;
    this.#token = options.token ?? (env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim() || undefined);
    registerSecret(this.#token);
    this.#maxRetries = options.maxRetries ?? 4;
    this.#maxWaitMs = (options.maxWaitSeconds ?? 60) * 1000;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#logPlannedCalls = options.logPlannedCalls ?? true;
  }

  /** A token was found (a real run fails on the first request without one). */
  get hasToken(): boolean {
    return this.#token !== undefined;
  }

  /** Records a call a dry run would make (nothing is sent). */
  plan(call: PlannedCall): void {
    this.plannedCalls.push(call);
    if (this.#logPlannedCalls) log.info(`[dry-run] ${describeCall(call)}`);
  }

  /** One API call (retried as described above); JSON in, JSON out. */
  async request<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    return (await this.#send<T>(method, this.#url(path, options.query), options)).data;
  }

  /** Every item of a list endpoint, following `Link: rel="next"` (at most `maxPages` pages). */
  async paginate<T>(path: string, options: RequestOptions, maxPages = 20): Promise<T[]> {
    const items: T[] = [];
    let url: URL | undefined = this.#url(path, { per_page: 100, ...options.query });
    for (let page = 0; url && page < maxPages; page++) {
      const answer: Answer<T[]> = await this.#send<T[]>("GET", url, options);
      items.push(...answer.data);
      url = this.#nextPage(answer.headers.get("link"));
    }
    return items;
  }

  #url(path: string, query: RequestOptions["query"] = {}): URL {
    const url = new URL(this.apiUrl + path);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  /** The next page's URL, only when it stays on the API's origin (the token goes nowhere else). */
  #nextPage(link: string | null): URL | undefined {
    const next = link?.split(",").map((part) => /<([^>]+)>\s*;\s*rel="?next"?/.exec(part))
      .find(Boolean)?.[1];
    if (!next) return undefined;
    const url = new URL(next, this.apiUrl);
    if (url.origin !== new URL(this.apiUrl).origin) {
      throw new CodegenError(`GitHub API: the next page is on another host (${url.origin})`, {
        hint: "Check GITHUB_API_URL: it must be the API of the server that hosts the repository.",
      });
    }
    return url;
  }

  async #send<T>(method: string, url: URL, context: RequestOptions): Promise<Answer<T>> {
    if (this.dryRun) {
      throw new Error(`internal error: GitHub request in a dry run: ${method} ${url}`);
    }
    if (!this.#token) {
      throw usageError(
        `GITHUB_TOKEN is not set; it is needed to ${context.what}`,
        `Export GITHUB_TOKEN (in GitHub Actions: \`GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}\`) with ${TOKEN_PERMISSIONS}.`,
      );
    }
    const shown = `${method} ${url.pathname}${url.search}`;
    for (let attempt = 1;; attempt++) {
      // After Ctrl-C or SIGTERM nothing new is sent (a retry included): the run is ending.
      throwIfInterrupted();
      log.debug(`GitHub API: ${shown}`);
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: this.#headers(context.body !== undefined),
          body: context.body === undefined ? undefined : JSON.stringify(context.body),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error) {
        if (!isNetworkError(error)) throw error;
        if (attempt <= this.#maxRetries) {
          await this.#wait(backoffMs(attempt), fetchErrorMessage(error), shown, attempt);
          continue;
        }
        throw new CodegenError(
          `GitHub API: cannot ${context.what}: no answer from ${url.origin} after ${attempt} attempts (${
            fetchErrorMessage(error)
          })`,
          { hint: "Check the network, and GITHUB_API_URL when it is set.", cause: error },
        );
      }
      log.debug(`GitHub API: ${shown} -> ${response.status}`);
      if (response.ok) {
        return {
          data: parseJson<T>(await response.text(), url, context),
          headers: response.headers,
        };
      }
      const text = await response.text();
      const delay = retryDelayMs(response.status, response.headers, text, attempt);
      if (delay !== undefined && attempt <= this.#maxRetries) {
        if (delay > this.#maxWaitMs) throw this.#tooLong(response, delay, context);
        await this.#wait(delay, `HTTP ${response.status}`, shown, attempt);
        continue;
      }
      throw apiError(response.status, text, context, attempt);
    }
  }

  #headers(hasBody: boolean): Headers {
    const headers = new Headers({
      accept: "application/vnd.github+json",
      "x-github-api-version": API_VERSION,
      "user-agent": USER_AGENT,
      authorization: `Bearer ${this.#token}`,
    });
    if (hasBody) headers.set("content-type", "application/json");
    return headers;
  }

  async #wait(ms: number, why: string, shown: string, attempt: number): Promise<void> {
    log.info(
      `GitHub API: ${shown}: ${why}; retrying in ${
        Math.ceil(ms / 1000)
      } s (retry ${attempt} of ${this.#maxRetries})`,
    );
    await this.#sleep(ms);
  }

  #tooLong(response: Response, delay: number, context: RequestOptions): CodegenError {
    const until = new Date(Date.now() + delay).toISOString().replace(/\.\d+Z$/, "Z");
    return new CodegenError(
      `GitHub API: cannot ${context.what}: rate limited (${response.status}); GitHub asks to wait ${
        Math.ceil(delay / 1000)
      } s (until ${until}), longer than this tool waits (${this.#maxWaitMs / 1000} s)`,
      {
        hint:
          "Run again after that time. Tokens of a GitHub App or of GitHub Actions have their own, separate limits.",
      },
    );
  }

  // ---- Endpoints -------------------------------------------------------------------------

  getRepository(repo: RepoRef): Promise<Repository> {
    return this.request("GET", repoPath(repo), {
      what: `read the repository ${fullName(repo)}`,
      repo: fullName(repo),
      permission: "metadata: read",
    });
  }

  /** Open pull requests from `head` (`owner:branch`), optionally into `base`. */
  listOpenPulls(repo: RepoRef, head: string, base?: string): Promise<PullRequest[]> {
    return this.paginate(`${repoPath(repo)}/pulls`, {
      what: `list the open pull requests of ${head}`,
      repo: fullName(repo),
      permission: "pull-requests: read",
      query: { state: "open", head, base },
    });
  }

  createPull(repo: RepoRef, fields: NewPullRequest): Promise<PullRequest> {
    return this.request("POST", `${repoPath(repo)}/pulls`, {
      what: `create a pull request from ${fields.head} into ${fields.base}`,
      repo: fullName(repo),
      permission: "pull-requests: write",
      body: fields,
    });
  }

  updatePull(repo: RepoRef, number: number, fields: PullRequestUpdate): Promise<PullRequest> {
    return this.request("PATCH", `${repoPath(repo)}/pulls/${number}`, {
      what: `update pull request #${number}`,
      repo: fullName(repo),
      permission: "pull-requests: write",
      body: fields,
    });
  }

  addLabels(repo: RepoRef, number: number, labels: string[]): Promise<Label[]> {
    return this.request("POST", `${repoPath(repo)}/issues/${number}/labels`, {
      what: `add labels to pull request #${number}`,
      repo: fullName(repo),
      permission: "pull-requests: write",
      body: { labels },
    });
  }

  requestReviewers(repo: RepoRef, number: number, request: ReviewRequest): Promise<PullRequest> {
    return this.request("POST", `${repoPath(repo)}/pulls/${number}/requested_reviewers`, {
      what: `request reviewers for pull request #${number}`,
      repo: fullName(repo),
      permission: "pull-requests: write",
      body: request,
    });
  }

  /** The reviews submitted on pull request `number` (who reviewed). */
  listReviews(repo: RepoRef, number: number): Promise<Review[]> {
    return this.paginate(`${repoPath(repo)}/pulls/${number}/reviews`, {
      what: `list the reviews of pull request #${number}`,
      repo: fullName(repo),
      permission: "pull-requests: read",
    });
  }

  /**
   * The release of a tag, drafts included (the `releases/tags/` endpoint does not return drafts,
   * so those are looked for in the list); undefined when there is none.
   */
  async findRelease(repo: RepoRef, tag: string): Promise<Release | undefined> {
    const context = {
      what: `look up the release of ${tag}`,
      repo: fullName(repo),
      permission: "contents: read",
    };
    try {
      return await this.request<Release>(
        "GET",
        `${repoPath(repo)}/releases/tags/${encodeURIComponent(tag)}`,
        context,
      );
    } catch (error) {
      if (!(error instanceof GitHubApiError && error.status === 404)) throw error;
    }
    const all = await this.paginate<Release>(`${repoPath(repo)}/releases`, context, 10);
    return all.find((release) => release.tag_name === tag);
  }

  createRelease(repo: RepoRef, fields: ReleaseFields): Promise<Release> {
    return this.request("POST", `${repoPath(repo)}/releases`, {
      what: `create the release ${fields.tag_name}`,
      repo: fullName(repo),
      permission: "contents: write",
      body: fields,
    });
  }

  updateRelease(repo: RepoRef, id: number, fields: Partial<ReleaseFields>): Promise<Release> {
    return this.request("PATCH", `${repoPath(repo)}/releases/${id}`, {
      what: `update the release ${fields.tag_name ?? id}`,
      repo: fullName(repo),
      permission: "contents: write",
      body: fields,
    });
  }
}

/** A success answer's JSON; anything else means the URL is not the API (a web page, a proxy). */
function parseJson<T>(text: string, url: URL, context: RequestOptions): T {
  try {
    return (text ? JSON.parse(text) : undefined) as T;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new CodegenError(
      `GitHub API: cannot ${context.what}: ${url.origin}${url.pathname} did not answer with JSON`,
      {
        hint:
          "Check GITHUB_API_URL: it must be the API (https://HOST/api/v3 on GitHub Enterprise Server), not the web address.",
        details: text.slice(0, 300),
      },
    );
  }
}

/** "GET /repos/o/n/pulls (why)": a planned call in one line. */
export function describeCall(call: PlannedCall): string {
  return `${call.method} ${call.path}${call.note ? ` (${call.note})` : ""}`;
}

export function repoPath(repo: RepoRef): string {
  return `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
}
