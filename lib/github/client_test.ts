/** The GitHub client against the fake API: wire format, retries, errors, tokens, Enterprise. */
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { fakeClientOptions, startFakeGitHub } from "../../tests/helpers/fake_github.ts";
import { captureLog } from "../../tests/helpers/capture_log.ts";
import { CodegenError } from "../core/errors.ts";
import { GitHubClient } from "./client.ts";
import { resolveApiUrl } from "./api_url.ts";
import { retryDelayMs } from "./retry.ts";
import type { GitHubApiError } from "./api_errors.ts";

const REPO = { owner: "wandb", name: "weave-sdk" };

/** Message, hint and details of an error: everything a user would see of it. */
function shown(error: Error): string {
  const e = error as CodegenError;
  return [e.message, e.hint ?? "", e.details ?? ""].join("\n");
}

Deno.test("GitHub Enterprise base path: requests go under /api/v3 with the API's headers", async () => {
  const fake = startFakeGitHub({ basePath: "/api/v3" });
  try {
    fake.addRepo("wandb/weave-sdk", { defaultBranch: "trunk" });
    assertMatch(fake.url, /\/api\/v3$/);
    const client = new GitHubClient(fakeClientOptions(fake));
    const repo = await client.getRepository(REPO);
    assertEquals([repo.full_name, repo.default_branch], ["wandb/weave-sdk", "trunk"]);
    const [request] = fake.requests;
    assertEquals([request.method, request.path, request.status], [
      "GET",
      "/repos/wandb/weave-sdk",
      200,
    ]);
    assertEquals(request.authScheme, "Bearer");
    assertEquals(request.headers["accept"], "application/vnd.github+json");
    assertEquals(request.headers["x-github-api-version"], "2022-11-28");
    assert(request.headers["user-agent"]);
    assert(!JSON.stringify(fake.requests).includes(fake.token), "the token is in the request log");
  } finally {
    await fake.close();
  }
});

Deno.test("GITHUB_API_URL is the base; plain http only to loopback; garbage is a usage error", () => {
  assertEquals(resolveApiUrl(undefined, {}), "https://api.github.com");
  assertEquals(
    resolveApiUrl(undefined, { GITHUB_API_URL: "https://ghe.example/api/v3/" }),
    "https://ghe.example/api/v3",
  );
  assertEquals(resolveApiUrl("http://127.0.0.1:8080", {}), "http://127.0.0.1:8080");
  const plain = assertRejectsSync(() =>
    resolveApiUrl(undefined, { GITHUB_API_URL: "http://ghe.example/api/v3" })
  );
  assertMatch(plain.message, /GITHUB_API_URL .* not an https:\/\/ URL/);
  assertEquals((plain as CodegenError).exitCode, 2);
  assertMatch(assertRejectsSync(() => resolveApiUrl("not a url", {})).message, /not a URL/);
});

function assertRejectsSync(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

Deno.test("429 and secondary rate limits are retried after the time GitHub asks for", async () => {
  const fake = startFakeGitHub();
  const log = captureLog();
  try {
    fake.addRepo("wandb/weave-sdk");
    fake.inject({ status: 429, headers: { "retry-after": "7" } });
    fake.inject({
      status: 403,
      headers: { "retry-after": "3" },
      body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes." },
    });
    const reset = Math.floor(Date.now() / 1000) + 20;
    fake.inject({
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
      body: { message: "API rate limit exceeded for installation." },
    });
    const waits: number[] = [];
    const client = new GitHubClient(fakeClientOptions(fake, waits));
    assertEquals((await client.getRepository(REPO)).name, "weave-sdk");
    assertEquals(fake.requests.map((r) => r.status), [429, 403, 403, 200]);
    assertEquals(waits.slice(0, 2), [7000, 3000]);
    // Until the reset time (plus a second), whatever the clock says now.
    assert(waits[2] > 15_000 && waits[2] <= 21_000, `waited ${waits[2]} ms`);
    assertStringIncludes(log.text(), "retrying in 7 s");
  } finally {
    log.restore();
    await fake.close();
  }
});

Deno.test("5xx is retried with backoff, then reported with the number of attempts", async () => {
  const fake = startFakeGitHub();
  try {
    fake.addRepo("wandb/weave-sdk");
    fake.inject({ status: 502, times: 2, body: { message: "Server Error" } });
    const waits: number[] = [];
    const client = new GitHubClient({ ...fakeClientOptions(fake, waits), maxRetries: 2 });
    assertEquals((await client.getRepository(REPO)).name, "weave-sdk");
    assertEquals(waits, [1000, 2000]);

    fake.inject({ status: 503, times: 3, body: { message: "Service Unavailable" } });
    const error = await assertRejects(() => client.getRepository(REPO), /server error \(503/);
    assertStringIncludes(error.message, "after 3 attempts");
    assertStringIncludes((error as CodegenError).hint!, "githubstatus");
  } finally {
    await fake.close();
  }
});

Deno.test("a wait longer than the bound is not waited for: the error says until when", async () => {
  const fake = startFakeGitHub();
  try {
    fake.addRepo("wandb/weave-sdk");
    fake.inject({ status: 429, headers: { "retry-after": "3600" } });
    const waits: number[] = [];
    const client = new GitHubClient({ ...fakeClientOptions(fake, waits), maxWaitSeconds: 60 });
    const error = await assertRejects(() => client.getRepository(REPO), /asks to wait 3600 s/);
    assertStringIncludes(error.message, "longer than this tool waits (60 s)");
    assertEquals(waits, []);
    assertEquals(fake.requests.length, 1);
  } finally {
    await fake.close();
  }
});

Deno.test("retry delays: retry-after (seconds or date), reset time, a minute for a bare secondary limit", () => {
  const now = Date.parse("2026-01-05T12:00:00Z");
  const h = (headers: Record<string, string>) => new Headers(headers);
  assertEquals(retryDelayMs(429, h({ "retry-after": "2" }), "", 1, now), 2000);
  assertEquals(
    retryDelayMs(503, h({ "retry-after": "Mon, 05 Jan 2026 12:00:30 GMT" }), "", 1, now),
    30_000,
  );
  const reset = h({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 10) });
  assertEquals(retryDelayMs(403, reset, "{}", 1, now), 11_000);
  const secondary = JSON.stringify({ message: "You have exceeded a secondary rate limit" });
  assertEquals(retryDelayMs(403, h({}), secondary, 1, now), 60_000);
  assertEquals(retryDelayMs(500, h({}), "", 3, now), 4000);
  // Not retried: a permission problem, a validation error, a missing resource.
  assertEquals(
    retryDelayMs(403, h({}), JSON.stringify({ message: "Resource not accessible" }), 1, now),
    undefined,
  );
  assertEquals(retryDelayMs(422, h({}), "", 1, now), undefined);
  assertEquals(retryDelayMs(404, h({}), "", 1, now), undefined);
});

Deno.test("401, 403 and 404 say what to do, quote the API, and never show the token", async () => {
  const fake = startFakeGitHub();
  const log = captureLog();
  try {
    fake.addRepo("wandb/weave-sdk");
    const bad = new GitHubClient({
      ...fakeClientOptions(fake),
      token: "ghp_wrongTokenForTheTest_0001",
    });
    const unauthorized = await assertRejects(
      () => bad.getRepository(REPO),
      /token was rejected \(401: Bad credentials\)/,
    );
    assertStringIncludes(
      (unauthorized as CodegenError).hint!,
      "`contents: write` and `pull-requests: write`",
    );
    assertStringIncludes((unauthorized as CodegenError).hint!, "`repo` scope");

    const client = new GitHubClient(fakeClientOptions(fake));
    fake.inject({ status: 403, body: { message: "Resource not accessible by integration" } });
    const denied = await assertRejects(
      () => client.createPull(REPO, { title: "t", head: "weave/x", base: "main", body: "" }),
      /permission denied \(403: Resource not accessible by integration\)/,
    );
    assertStringIncludes(
      (denied as CodegenError).hint!,
      "needs `pull-requests: write` on wandb/weave-sdk",
    );
    assertEquals((denied as GitHubApiError).status, 403);

    const missing = await assertRejects(
      () => client.getRepository({ owner: "wandb", name: "nope" }),
      /not found \(404: Not Found\)/,
    );
    assertStringIncludes((missing as CodegenError).hint!, "wandb/nope may be private");

    for (const error of [unauthorized, denied, missing]) {
      for (const token of [fake.token, "ghp_wrongTokenForTheTest_0001"]) {
        assert(!shown(error).includes(token), `token in: ${shown(error)}`);
      }
    }
    assert(
      !log.text().includes("***"),
      `something had to be redacted from the log:\n${log.text()}`,
    );
    assert(!JSON.stringify(fake.requests).includes(fake.token));
  } finally {
    log.restore();
    await fake.close();
  }
});

Deno.test("no token: a usage error before any request; a dry run needs none and sends nothing", async () => {
  const fake = startFakeGitHub();
  try {
    fake.addRepo("wandb/weave-sdk");
    const client = new GitHubClient({ ...fakeClientOptions(fake), token: undefined, env: {} });
    const error = await assertRejects(() => client.getRepository(REPO), /GITHUB_TOKEN is not set/);
    assertEquals((error as CodegenError).exitCode, 2);
    const dry = new GitHubClient({ ...fakeClientOptions(fake), token: undefined, dryRun: true });
    dry.plan({ method: "GET", path: "/repos/wandb/weave-sdk" });
    await assertRejects(
      () => dry.getRepository(REPO),
      /internal error: GitHub request in a dry run/,
    );
    assertEquals(dry.plannedCalls.length, 1);
    assertEquals(fake.requests, []);
  } finally {
    await fake.close();
  }
});

Deno.test("lists follow Link pagination", async () => {
  const fake = startFakeGitHub({ maxPerPage: 2 });
  try {
    const repo = fake.addRepo("wandb/weave-sdk");
    for (let i = 1; i <= 5; i++) {
      repo.pulls.push({
        number: i,
        title: `pr ${i}`,
        body: null,
        head: "weave/x",
        base: `base-${i}`,
        state: "open",
        draft: false,
        author: "someone",
        labels: [],
        reviewers: [],
        teams: [],
      });
    }
    const client = new GitHubClient(fakeClientOptions(fake));
    const pulls = await client.listOpenPulls(REPO, "wandb:weave/x");
    assertEquals(pulls.map((p) => p.number), [5, 4, 3, 2, 1]);
    assertEquals(fake.requests.map((r) => r.query.page ?? "1"), ["1", "2", "3"]);
    assertEquals(fake.requests[0].query.head, "wandb:weave/x");
  } finally {
    await fake.close();
  }
});

Deno.test("releases: found by tag (drafts too), created, updated; a duplicate is a 422", async () => {
  const fake = startFakeGitHub();
  try {
    fake.addRepo("wandb/weave-sdk");
    const client = new GitHubClient(fakeClientOptions(fake));
    assertEquals(await client.findRelease(REPO, "python/v1.0.0"), undefined);
    const draft = await client.createRelease(REPO, {
      tag_name: "python/v1.0.0",
      draft: true,
      body: "a",
    });
    assertEquals((await client.findRelease(REPO, "python/v1.0.0"))?.id, draft.id);
    const updated = await client.updateRelease(REPO, draft.id, { body: "b", draft: false });
    assertEquals([updated.body, updated.draft], ["b", false]);
    assertEquals((await client.findRelease(REPO, "python/v1.0.0"))?.body, "b");
    const duplicate = await assertRejects(
      () => client.createRelease(REPO, { tag_name: "python/v1.0.0" }),
      /request rejected \(422: Validation Failed; Release tag_name already_exists\)/,
    );
    assertEquals((duplicate as GitHubApiError).apiErrors[0].code, "already_exists");
    assertEquals(fake.repo("wandb/weave-sdk").releases.length, 1);
  } finally {
    await fake.close();
  }
});
