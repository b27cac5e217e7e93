/**
 * A fake Stainless API for tests: real HTTP on 127.0.0.1, the wire format of API v0 (as the
 * official SDK sends and reads it), a build state machine that advances one step per poll, build
 * diagnostics (paginated), and git target outputs that are real local repositories (file://)
 * holding generated content. It checks the bearer token and request bodies, records every
 * request, and injects faults on demand.
 */
import { join } from "node:path";
import { git } from "../../lib/git/git.ts";
import { removeIfExists } from "../../lib/core/fs.ts";

export interface FakeFaults {
  /** Every request answers 401. */
  unauthorized?: boolean;
  /** Every build creation answers this status (403: no access to the project; 404: no project). */
  rejectCreate?: number;
  /** The first N build creations answer 429 with this retry-after (seconds). */
  rateLimit?: { count: number; retryAfter: string };
  /** The first N build polls answer 500. */
  serverErrors?: number;
  /** Commit conclusion of every target (default success). */
  commitConclusion?: string;
  /** This check step concludes `failure`. */
  failStep?: "lint" | "build" | "test";
  /** Every target concludes `noop` with no commit (the build changed nothing). */
  noNewCommit?: boolean;
  /** Builds stay in codegen forever. */
  neverComplete?: boolean;
  /** Git outputs point at a repository that does not exist. */
  brokenOutput?: boolean;
  /** Files (path → content) added to every target's output commit, e.g. a whole SDK. */
  extraFiles?: Record<string, string>;
  /**
   * The first `count` answers of `route` are a proxy's page with status 200 instead of the API's
   * JSON: `html` labelled text/html, or `html-as-json` labelled application/json.
   */
  malformed?: { count: number; route: "create" | "poll"; kind: "html" | "html-as-json" };
}

/** What a proxy or captive portal answers instead of the API. */
export const PROXY_PAGE =
  "<!DOCTYPE html>\n<html><head><title>Corporate proxy</title></head>\n<body><h1>Sign in to continue</h1></body></html>\n";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  retryCount: string | null;
  body?: unknown;
}

interface FakeBuild {
  id: string;
  project: string;
  branch: string;
  targets: string[];
  polls: number;
  created: string;
  /** Commit sha per target in its output repository. */
  commits: Record<string, string>;
}

export interface FakeStainless {
  url: string;
  apiKey: string;
  /** Temporary git token the outputs return (must never be printed or persisted). */
  gitToken: string;
  requests: RecordedRequest[];
  builds: FakeBuild[];
  /** Output repository (a git repo on disk) per target of the last build. */
  outputRepos: Record<string, string>;
  faults: FakeFaults;
  close(): Promise<void>;
}

const KNOWN_TARGETS =
  "node typescript python go java kotlin ruby terraform cli php csharp sql openapi".split(" ");
const GOOD = new Set(["success", "warning", "note", "error", "noop"]);
const IDENTITY = {
  GIT_AUTHOR_NAME: "stainless-app[bot]",
  GIT_AUTHOR_EMAIL: "bot@stainless.test",
  GIT_COMMITTER_NAME: "stainless-app[bot]",
  GIT_COMMITTER_EMAIL: "bot@stainless.test",
};

/** Argv of a hosted `generate_code` run of `clone` from the trace repository `repo`, polling fast. */
export function hostedGenerateArgs(repo: string, clone: string): string[] {
  return [
    "--repo-root",
    repo,
    "generate_code",
    "--python-path",
    clone,
    "--generator",
    "stainless",
    "--poll-interval",
    "0.01",
  ];
}

/** The environment that points the CLI at `fake` (plus a user GITHUB_TOKEN). */
export function hostedEnv(fake: FakeStainless): Record<string, string> {
  return {
    STAINLESS_API_KEY: fake.apiKey,
    GITHUB_TOKEN: "ghp_userTokenForTests_123456",
    STAINLESS_BASE_URL: fake.url,
  };
}

export async function startFakeStainless(
  faults: FakeFaults = {},
  apiKey = "stl_test_key_0123456789",
): Promise<FakeStainless> {
  const root = await Deno.makeTempDir({ prefix: "fake-stainless-" });
  const requests: RecordedRequest[] = [];
  const builds: FakeBuild[] = [];
  const outputRepos: Record<string, string> = {};
  const gitToken = "ghs_fakeTemporaryGitToken_9f8e7d";
  let creations = 0;
  let buildPolls = 0;
  const malformedServed = { create: 0, poll: 0 };

  /** The injected proxy page, while `faults.malformed` asks for one on `route`. */
  function proxyPage(route: "create" | "poll"): Response | undefined {
    const fault = faults.malformed;
    if (fault?.route !== route || malformedServed[route] >= fault.count) return undefined;
    malformedServed[route]++;
    const type = fault.kind === "html" ? "text/html; charset=utf-8" : "application/json";
    return new Response(PROXY_PAGE, { status: 200, headers: { "content-type": type } });
  }

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });

  async function createOutput(
    build: FakeBuild,
    target: string,
    revision: Record<string, { content: string }>,
  ): Promise<string> {
    const repo = join(root, `${build.id}-${target}`);
    await Deno.mkdir(repo, { recursive: true });
    await git(repo, ["init", "--quiet", "--initial-branch=main"]);
    const spec =
      Object.entries(revision).find(([name]) => name.startsWith("openapi"))?.[1].content ?? "";
    const paths = Object.keys((JSON.parse(spec || "{}") as { paths?: object }).paths ?? {});
    const pkg = target === "python" ? "src/weave_server_sdk" : "src";
    await Deno.mkdir(join(repo, pkg), { recursive: true });
    await Deno.writeTextFile(
      join(repo, "README.md"),
      `# Generated ${target} SDK\n\nBuild ${build.id}.\n`,
    );
    await Deno.writeTextFile(
      join(repo, pkg, target === "python" ? "__init__.py" : "index.ts"),
      `# generated by the fake Stainless (${build.id})\nPATHS = ${JSON.stringify(paths)}\n`,
    );
    for (const [path, content] of Object.entries(faults.extraFiles ?? {})) {
      await Deno.mkdir(join(repo, path, ".."), { recursive: true });
      await Deno.writeTextFile(join(repo, path), content);
    }
    await git(repo, ["add", "--all"]);
    await git(repo, ["commit", "--quiet", "-m", `feat(api): api update (${build.id})`], {
      env: IDENTITY,
    });
    outputRepos[target] = repo;
    return (await git(repo, ["rev-parse", "HEAD"])).stdout.trim();
  }

  function buildTarget(build: FakeBuild, target: string): Record<string, unknown> {
    const phase = faults.neverComplete ? Math.min(build.polls, 2) : build.polls;
    const conclusion = faults.noNewCommit ? "noop" : faults.commitConclusion ?? "success";
    if (phase <= 0) {
      return {
        object: "build_target",
        status: "not_started",
        install_url: null,
        commit: { status: "not_started" },
      };
    }
    if (phase <= 2) {
      return {
        object: "build_target",
        status: "codegen",
        install_url: null,
        commit: { status: phase === 1 ? "queued" : "in_progress" },
      };
    }
    const good = GOOD.has(conclusion);
    const commitInfo = good && !faults.noNewCommit
      ? {
        sha: build.commits[target],
        tree_oid: null,
        stats: { additions: 10, deletions: 2, total: 12 },
        repo: { owner: "stainless-sdks", name: `weave-${target}`, branch: build.branch },
      }
      : null;
    const completed = {
      conclusion,
      commit: commitInfo,
      merge_conflict_pr: null,
      completed_at: build.created,
    };
    const commit = { status: "completed", ...completed, completed };
    if (!good) return { object: "build_target", status: "completed", install_url: null, commit };
    const url = (step: string) =>
      `https://github.com/stainless-sdks/weave-${target}/actions/runs/${step}`;
    const step = (name: string, state: "queued" | "in_progress" | "completed") => {
      if (state !== "completed") return { status: state, url: url(name) };
      const result = faults.failStep === name ? "failure" : "success";
      return {
        status: "completed",
        conclusion: result,
        url: url(name),
        completed: { conclusion: result, url: url(name) },
      };
    };
    const done = phase >= 5;
    return {
      object: "build_target",
      status: done ? "completed" : "postgen",
      install_url: null,
      commit,
      lint: step("lint", phase === 3 ? "queued" : phase === 4 ? "in_progress" : "completed"),
      build: step("build", phase === 3 ? "queued" : phase === 4 ? "in_progress" : "completed"),
      test: step("test", phase <= 4 ? "queued" : "completed"),
    };
  }

  function buildJson(build: FakeBuild) {
    return {
      id: build.id,
      object: "build",
      config_commit: "c0ffee0000000000000000000000000000000000",
      created_at: build.created,
      updated_at: new Date().toISOString(),
      documented_spec: null,
      org: "weights-biases",
      project: build.project,
      targets: Object.fromEntries(build.targets.map((t) => [t, buildTarget(build, t)])),
    };
  }

  function diagnostics(): Array<Record<string, unknown>> {
    const conclusion = faults.commitConclusion ?? "success";
    const list: Array<Record<string, unknown>> = [
      {
        code: "Schema/ObjectHasNoProperties",
        level: "warning",
        message: "CallEndRes has no properties",
        ignored: false,
        more: null,
        oas_ref: "#/components/schemas/CallEndRes",
      },
      {
        code: "Endpoint/IsIgnored",
        level: "note",
        message: "An ignored note",
        ignored: true,
        more: null,
      },
      {
        code: "Schema/IsAmbiguous",
        level: "note",
        message: "val is ambiguous",
        ignored: false,
        more: { type: "markdown", markdown: "**val**" },
      },
    ];
    if (conclusion === "fatal") {
      list.unshift(
        {
          code: "Endpoint/NotFound",
          level: "fatal",
          message: "post /calls/missing is not in the spec",
          ignored: false,
          more: null,
          config_ref: "#/resources/calls/methods/missing",
        },
        {
          code: "Schema/TypeMismatch",
          level: "error",
          message: "id: expected string",
          ignored: false,
          more: null,
        },
      );
    }
    return list;
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const query = Object.fromEntries(url.searchParams);
    const text = request.method === "GET" ? "" : await request.text();
    const recorded: RecordedRequest = {
      method: request.method,
      path: url.pathname,
      query,
      authorization: request.headers.get("authorization"),
      retryCount: request.headers.get("x-stainless-retry-count"),
    };
    if (text) recorded.body = JSON.parse(text);
    requests.push(recorded);
    if (faults.unauthorized || recorded.authorization !== `Bearer ${apiKey}`) {
      return json(401, { error: "Invalid API key" });
    }

    if (request.method === "POST" && url.pathname === "/v0/builds") {
      const page = proxyPage("create");
      if (page) return page;
      creations++;
      if (faults.rejectCreate) {
        return json(faults.rejectCreate, { error: `injected ${faults.rejectCreate}` });
      }
      if (faults.rateLimit && creations <= faults.rateLimit.count) {
        return json(429, { error: "rate limited" }, { "retry-after": faults.rateLimit.retryAfter });
      }
      const body = recorded.body as Record<string, unknown>;
      if (!body?.project) return json(400, { error: "project is required" });
      const revision = body.revision as Record<string, { content: string }>;
      if (
        typeof revision !== "object" ||
        Object.values(revision).some((f) => typeof f?.content !== "string")
      ) {
        return json(400, { error: "revision must map file names to {content}" });
      }
      const targets = (body.targets as string[] | undefined) ?? ["python"];
      const unknown = targets.filter((t) => !KNOWN_TARGETS.includes(t));
      if (unknown.length) return json(400, { error: `unknown targets: ${unknown.join(", ")}` });
      const build: FakeBuild = {
        id: `bui_fake_${String(builds.length + 1).padStart(6, "0")}`,
        project: String(body.project),
        branch: String(body.branch ?? "main"),
        targets,
        polls: 0,
        created: new Date().toISOString(),
        commits: {},
      };
      for (const target of targets) {
        build.commits[target] = await createOutput(build, target, revision);
      }
      builds.push(build);
      return json(200, buildJson(build));
    }

    const buildMatch = url.pathname.match(/^\/v0\/builds\/([^/]+)(\/diagnostics)?$/);
    if (request.method === "GET" && buildMatch) {
      const build = builds.find((b) => b.id === decodeURIComponent(buildMatch[1]));
      if (!build) return new Response(null, { status: 404 });
      if (buildMatch[2]) {
        // Two per page, so clients must follow next_cursor.
        const all = diagnostics();
        const start = Number(query.cursor ?? 0);
        const size = Math.min(Number(query.limit ?? 100), 2);
        const next = start + size < all.length ? String(start + size) : "";
        return json(200, { data: all.slice(start, start + size), next_cursor: next });
      }
      const page = proxyPage("poll");
      if (page) return page;
      buildPolls++;
      if (faults.serverErrors && buildPolls <= faults.serverErrors) {
        return json(500, { error: "internal error" });
      }
      build.polls++;
      return json(200, buildJson(build));
    }

    if (request.method === "GET" && url.pathname === "/v0/build_target_outputs") {
      const build = builds.find((b) => b.id === query.build_id);
      if (!build || !build.targets.includes(query.target)) {
        return json(404, { error: "no such build target" });
      }
      if (query.type !== "source" || query.output !== "git") {
        return json(400, { error: "only source/git is faked" });
      }
      const repo = faults.brokenOutput ? join(root, "does-not-exist") : outputRepos[query.target];
      return json(200, {
        output: "git",
        target: query.target,
        type: "source",
        url: `file://${repo}`,
        ref: build.commits[query.target],
        token: gitToken,
      });
    }
    return json(404, { error: `no route ${request.method} ${url.pathname}` });
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handle);
  const { port } = server.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    gitToken,
    requests,
    builds,
    outputRepos,
    faults,
    async close() {
      await server.shutdown();
      await removeIfExists(root);
    },
  };
}
