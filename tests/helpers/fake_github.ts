/**
 * A fake GitHub REST API for tests: real HTTP on 127.0.0.1 (the server binds its own port), the
 * wire format of the real API (version 2022-11-28) for the endpoints `open-pr` and `publish`
 * use: status codes, JSON shapes, validation errors, `Link` pagination. In-memory repositories,
 * pull requests, labels, reviewers and releases. Every request is logged (method, path, query,
 * headers without the token, body); faults (401/403/404/422/429/5xx, with `retry-after` or
 * rate-limit headers) are injected per request. `basePath: "/api/v3"` serves it the way GitHub
 * Enterprise Server does.
 */

export interface LoggedRequest {
  method: string;
  /** Path under the base path, decoded as received (`/repos/o/r/pulls`). */
  path: string;
  query: Record<string, string>;
  /** Request headers, without `authorization`. */
  headers: Record<string, string>;
  /** The authorization scheme sent ("Bearer", "token"), never the token. */
  authScheme: string | null;
  body?: unknown;
  /** Status of the answer. */
  status: number;
}

/** An answer to give instead of the normal one, to requests that match. */
export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  method?: string;
  /** Matched against the path under the base path. */
  path?: RegExp;
  /** How many matching requests get it (default 1). */
  times?: number;
}

export interface FakeGitHubOptions {
  /** "/api/v3" for GitHub Enterprise Server; default "" (api.github.com). */
  basePath?: string;
  token?: string;
  /** Login of the token's user (the author of what it creates). */
  login?: string;
  /** Largest page size it serves (the real API: 100), small to exercise pagination. */
  maxPerPage?: number;
}

export interface FakeGitHub {
  /** The API base URL to give the client (`http://127.0.0.1:PORT[/api/v3]`). */
  url: string;
  token: string;
  login: string;
  requests: LoggedRequest[];
  addRepo(fullName: string, settings?: Partial<Omit<FakeRepo, "owner" | "name">>): FakeRepo;
  repo(fullName: string): FakeRepo;
  /** `login` reviews pull request `number`: GitHub then drops them from the requested reviewers. */
  review(fullName: string, number: number, login: string): void;
  /** Queues a fault; faults are used in the order they were injected. */
  inject(fault: Fault): void;
  close(): Promise<void>;
}

import {
  DOCS,
  type FakePull,
  type FakeRelease,
  type FakeRepo,
  invalid,
  json,
  notFound,
  page,
  pullJson,
  releaseJson,
  reviewJson,
  type WireContext,
} from "./fake_github_wire.ts";

export type { FakePull, FakeRelease, FakeRepo } from "./fake_github_wire.ts";

/** A parsed JSON request body (shape checked by each route, as the real API does). */
// deno-lint-ignore no-explicit-any
type Json = any;

/** GitHub's limit on a pull request (issue) body, counted in characters. */
export const BODY_LIMIT = 65_536;

/** The real API's 422 for a body over the limit (as it answers create and update). */
function bodyTooLong(body: Json): Response | undefined {
  if (typeof body?.body !== "string" || [...body.body].length <= BODY_LIMIT) return undefined;
  return invalid([{
    resource: "Issue",
    code: "custom",
    field: "body",
    message: `body is too long (maximum is ${BODY_LIMIT} characters)`,
  }]);
}

export function startFakeGitHub(options: FakeGitHubOptions = {}): FakeGitHub {
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  const token = options.token ?? "ghp_fakeGitHubToken_a1b2c3d4e5f6";
  const login = options.login ?? "codegen-bot";
  const maxPerPage = options.maxPerPage ?? 100;
  const repos = new Map<string, FakeRepo>();
  const faults: Fault[] = [];
  const requests: LoggedRequest[] = [];
  let nextId = 1000;
  let origin = "";
  const apiBase = () => origin + basePath;
  const wire = (): WireContext => ({ origin, apiBase: apiBase(), login });

  function pulls(repo: FakeRepo, method: string, url: URL, rest: string[], body: Json): Response {
    if (rest.length === 0 && method === "GET") {
      const state = url.searchParams.get("state") ?? "open";
      const head = url.searchParams.get("head");
      const base = url.searchParams.get("base");
      const found = repo.pulls.filter((p) =>
        (state === "all" || p.state === state) &&
        (!head || `${repo.owner}:${p.head}` === head) && (!base || p.base === base)
      ).sort((a, b) => b.number - a.number);
      return page(url, found.map((p) => pullJson(wire(), repo, p)), maxPerPage);
    }
    if (rest.length === 0 && method === "POST") {
      const missing = ["title", "head", "base"].filter((f) => typeof body?.[f] !== "string");
      if (missing.length) {
        return invalid(
          missing.map((field) => ({ resource: "PullRequest", field, code: "missing_field" })),
        );
      }
      const tooLong = bodyTooLong(body);
      if (tooLong) return tooLong;
      const head = String(body.head).replace(`${repo.owner}:`, "");
      for (const [field, ref] of [["head", head], ["base", body.base]]) {
        if (repo.branches && !repo.branches.has(ref)) {
          return invalid([{ resource: "PullRequest", field, code: "invalid" }]);
        }
      }
      if (repo.pulls.some((p) => p.state === "open" && p.head === head && p.base === body.base)) {
        return invalid([{
          resource: "PullRequest",
          code: "custom",
          message: `A pull request already exists for ${repo.owner}:${head}.`,
        }]);
      }
      const pull: FakePull = {
        number: repo.pulls.length + 1,
        title: body.title,
        body: body.body ?? null,
        head,
        base: body.base,
        state: "open",
        draft: body.draft === true,
        author: login,
        labels: [],
        reviewers: [],
        teams: [],
      };
      repo.pulls.push(pull);
      return json(201, pullJson(wire(), repo, pull), {
        location: `${apiBase()}/repos/${repo.owner}/${repo.name}/pulls/${pull.number}`,
      });
    }
    const pull = repo.pulls.find((p) => p.number === Number(rest[0]));
    if (!pull) return notFound();
    if (rest.length === 1 && method === "GET") return json(200, pullJson(wire(), repo, pull));
    if (rest.length === 1 && method === "PATCH") {
      const tooLong = bodyTooLong(body);
      if (tooLong) return tooLong;
      for (const field of ["title", "body", "base", "state"] as const) {
        if (typeof body?.[field] === "string") (pull as Json)[field] = body[field];
      }
      return json(200, pullJson(wire(), repo, pull));
    }
    if (rest[1] === "reviews" && rest.length === 2 && method === "GET") {
      const reviews = (pull.reviews ?? []).map((login, i) =>
        reviewJson(wire(), repo, pull, login, i)
      );
      return page(url, reviews, maxPerPage);
    }
    if (rest[1] === "requested_reviewers" && method === "POST") {
      const users: string[] = body?.reviewers ?? [];
      const teams: string[] = body?.team_reviewers ?? [];
      if (users.includes(pull.author)) {
        return invalid(["Review cannot be requested from pull request author."]);
      }
      if (repo.collaborators && users.some((u) => !repo.collaborators!.has(u))) {
        return invalid([
          `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.owner}/${repo.name} repository.`,
        ]);
      }
      pull.reviewers.push(...users.filter((u) => !pull.reviewers.includes(u)));
      pull.teams.push(...teams.filter((t) => !pull.teams.includes(t)));
      return json(201, pullJson(wire(), repo, pull));
    }
    return notFound();
  }

  function releases(
    repo: FakeRepo,
    method: string,
    url: URL,
    rest: string[],
    body: Json,
  ): Response {
    if (rest.length === 0 && method === "GET") {
      return page(
        url,
        [...repo.releases].reverse().map((r) => releaseJson(wire(), repo, r)),
        maxPerPage,
      );
    }
    if (rest[0] === "tags" && rest.length === 2 && method === "GET") {
      const release = repo.releases.find((r) => r.tag_name === rest[1] && !r.draft);
      return release ? json(200, releaseJson(wire(), repo, release)) : notFound();
    }
    if (rest.length === 0 && method === "POST") {
      if (typeof body?.tag_name !== "string") {
        return invalid([{ resource: "Release", field: "tag_name", code: "missing_field" }]);
      }
      if (repo.releases.some((r) => r.tag_name === body.tag_name)) {
        return invalid([{ resource: "Release", code: "already_exists", field: "tag_name" }]);
      }
      const release: FakeRelease = {
        id: nextId++,
        tag_name: body.tag_name,
        target_commitish: body.target_commitish ?? repo.defaultBranch,
        name: body.name ?? null,
        body: body.body ?? null,
        draft: body.draft === true,
        prerelease: body.prerelease === true,
        make_latest: body.make_latest,
      };
      repo.releases.push(release);
      return json(201, releaseJson(wire(), repo, release));
    }
    const release = repo.releases.find((r) => r.id === Number(rest[0]));
    if (!release || rest.length !== 1) return notFound();
    if (method === "GET") return json(200, releaseJson(wire(), repo, release));
    if (method === "PATCH") {
      // As GitHub: a draft published without make_latest becomes the latest release.
      if (release.draft && body?.draft === false && body?.make_latest === undefined) {
        release.make_latest = "true";
      }
      for (
        const field of ["tag_name", "target_commitish", "name", "body", "make_latest"] as const
      ) {
        if (typeof body?.[field] === "string") (release as Json)[field] = body[field];
      }
      for (const field of ["draft", "prerelease"] as const) {
        if (typeof body?.[field] === "boolean") release[field] = body[field];
      }
      return json(200, releaseJson(wire(), repo, release));
    }
    return notFound();
  }

  function route(method: string, url: URL, path: string, body: Json): Response {
    const parts = path.split("/").slice(1).map(decodeURIComponent);
    if (parts[0] !== "repos" || parts.length < 3) return notFound();
    const repo = repos.get(`${parts[1]}/${parts[2]}`.toLowerCase());
    if (!repo) return notFound();
    const [kind, ...rest] = parts.slice(3);
    if (kind === undefined && method === "GET") {
      return json(200, {
        id: 1,
        name: repo.name,
        full_name: `${repo.owner}/${repo.name}`,
        owner: { login: repo.owner },
        private: true,
        html_url: `${origin}/${repo.owner}/${repo.name}`,
        default_branch: repo.defaultBranch,
      });
    }
    if (kind === "pulls") return pulls(repo, method, url, rest, body);
    if (kind === "releases") return releases(repo, method, url, rest, body);
    if (kind === "issues" && rest[1] === "labels" && method === "POST") {
      const pull = repo.pulls.find((p) => p.number === Number(rest[0]));
      if (!pull) return notFound();
      const labels: string[] = Array.isArray(body) ? body : body?.labels ?? [];
      pull.labels.push(...labels.filter((l) => !pull.labels.includes(l)));
      return json(200, pull.labels.map((name, i) => ({ id: i + 1, name, color: "ededed" })));
    }
    return notFound();
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.text();
    const headers = Object.fromEntries(
      [...request.headers].filter(([name]) => name !== "authorization"),
    );
    const authorization = request.headers.get("authorization");
    const entry: LoggedRequest = {
      method: request.method,
      path: url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      authScheme: authorization?.split(" ")[0] ?? null,
      status: 0,
    };
    if (text) entry.body = JSON.parse(text);
    requests.push(entry);
    const answer = respond(request, url, entry, authorization);
    entry.status = answer.status;
    return answer;
  }

  function respond(request: Request, url: URL, entry: LoggedRequest, authorization: string | null) {
    if (!url.pathname.startsWith(basePath + "/")) return notFound();
    const fault = faults.find((f) =>
      (!f.method || f.method === entry.method) && (!f.path || f.path.test(entry.path))
    );
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
      return json(
        fault.status,
        fault.body ?? { message: `injected ${fault.status}`, documentation_url: DOCS },
        fault.headers,
      );
    }
    if (!request.headers.get("user-agent")) {
      return json(403, {
        message:
          "Request forbidden by administrative rules. Please make sure your request has a User-Agent header.",
      });
    }
    if (authorization !== `Bearer ${token}` && authorization !== `token ${token}`) {
      return json(401, { message: "Bad credentials", documentation_url: DOCS, status: "401" });
    }
    return route(entry.method, url, entry.path, entry.body);
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handle);
  origin = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  return {
    url: apiBase(),
    token,
    login,
    requests,
    addRepo(fullName, settings = {}) {
      const [owner, name] = fullName.split("/");
      const repo: FakeRepo = {
        owner,
        name,
        defaultBranch: "main",
        pulls: [],
        releases: [],
        ...settings,
      };
      repos.set(fullName.toLowerCase(), repo);
      return repo;
    },
    repo(fullName) {
      const repo = repos.get(fullName.toLowerCase());
      if (!repo) throw new Error(`the fake has no repository ${fullName}`);
      return repo;
    },
    review(fullName, number, login) {
      const pull = this.repo(fullName).pulls.find((p) => p.number === number)!;
      pull.reviews = [...(pull.reviews ?? []), login];
      pull.reviewers = pull.reviewers.filter((r) => r !== login);
    },
    inject(fault) {
      faults.push(fault);
    },
    close: () => server.shutdown(),
  };
}

/** Options of a client pointed at `fake`, with waits recorded instead of slept. */
export function fakeClientOptions(fake: FakeGitHub, waits: number[] = []) {
  return {
    apiUrl: fake.url,
    token: fake.token,
    env: {},
    sleep: (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}
