/**
 * `codegen open-pr` end to end: the CLI as a subprocess, real git against a bare SDK repository,
 * the fake GitHub API (GITHUB_API_URL). One pull request per mirror branch, created then
 * updated; nothing for an unchanged tree; GitHub's 422; labels, reviewers, draft; dry runs that
 * send nothing; GitHub Enterprise's /api/v3 base; the token never printed.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import {
  assertNoToken,
  type DeliveryFixture,
  jsonOf,
  PACKAGE,
  SDK_REPO,
  sdkTree,
  SPEC_AFTER,
  SPEC_BREAKING,
  withDelivery,
} from "../helpers/delivery_fixture.ts";
import { gitIn } from "../helpers/git_fixtures.ts";
import { BODY_LIMIT } from "../helpers/fake_github.ts";
import { snapshotTree } from "../helpers/tree_snapshot.ts";

function openPr(f: DeliveryFixture, args: string[] = [], env: Record<string, string> = {}) {
  return f.cli([
    "open-pr",
    "--python-output",
    f.sdk,
    "--package-name",
    PACKAGE,
    "--github-repo",
    SDK_REPO,
    ...args,
  ], env);
}

const writes = (f: DeliveryFixture) => f.fake.requests.filter((r) => r.method !== "GET");

Deno.test("open-pr: created with the full body, labels, reviewers, draft; rerun unchanged; new code updates the same PR", async () => {
  await withDelivery(async (f) => {
    await f.pushMirror(sdkTree(SPEC_AFTER, true));
    const refs = () => gitIn(f.sdk, "for-each-ref", "--format=%(refname) %(objectname)");
    const refsBefore = await refs();
    const first = await openPr(f, [
      "--draft",
      "--label",
      "codegen",
      "--label",
      "sdk,api",
      "--reviewer",
      "alice",
      "--reviewer",
      "wandb/sdk-team",
    ]);
    assertEquals(first.code, 0, first.stderr);
    assertMatch(
      first.stdout,
      /^python: opened #1 http:\/\/127\.0\.0\.1:\d+\/wandb\/weave-server-sdk\/pull\/1 \(weave\/my-feature -> main of wandb\/weave-server-sdk\)\n$/,
    );
    const [pull] = f.fake.repo(SDK_REPO).pulls;
    assertEquals([pull.head, pull.base, pull.draft], ["weave/my-feature", "main", true]);
    assertEquals(pull.labels, ["codegen", "sdk", "api"]);
    assertEquals([pull.reviewers, pull.teams], [["alice"], ["sdk-team"]]);
    const traceCommit = await gitIn(f.trace, "rev-parse", "HEAD");
    assertMatch(pull.title, new RegExp(`^feat\\(api\\): update ${PACKAGE} from my-feature@`));
    assertStringIncludes(pull.title, traceCommit.slice(0, 7));
    const body = pull.body!;
    assertMatch(body, /^<!-- codegen:pr target=python head=weave%2Fmy-feature inputs_key=/);
    assertStringIncludes(body, `commit \`${traceCommit.slice(0, 12)}\``);
    assertStringIncludes(body, "**Added (1)**\n\n- `POST /widgets`");
    assertStringIncludes(body, "### SDK API report");
    assertStringIncludes(body, "- `Gizmo (type)`");
    assertStringIncludes(body, "Generator: `openapi-python-client` `0.29.1`");
    assertStringIncludes(body, ".codegen/openapi.json");
    assertMatch(body, /3 files changed/);
    assertStringIncludes(body, `git checkout ${traceCommit}`);
    assertStringIncludes(
      body,
      `codegen all --no-auto-merge --generator openapi-python-client --python-output ../weave-server-sdk --package-name ${PACKAGE}`,
    );
    assertEquals(writes(f).map((r) => `${r.method} ${r.path}`), [
      "POST /repos/wandb/weave-server-sdk/pulls",
      "POST /repos/wandb/weave-server-sdk/issues/1/labels",
      "POST /repos/wandb/weave-server-sdk/pulls/1/requested_reviewers",
    ]);
    // The SDK clone fetched the objects it needed, and no ref of it moved.
    assertEquals(await refs(), refsBefore);

    const again = await openPr(f, ["--label", "codegen"]);
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stdout, "python: #1 is up to date");
    assertEquals(writes(f).length, 3, "nothing rewritten, no label added twice");

    await f.pushMirror(sdkTree(SPEC_BREAKING, true));
    const updated = await openPr(f, ["--json"]);
    assertEquals(updated.code, 0, updated.stderr);
    const [result] = jsonOf(updated).pullRequests as Record<string, unknown>[];
    assertEquals(
      [result.target, result.action, result.number, result.created, result.updated],
      ["python", "updated", 1, false, true],
    );
    assertEquals(f.fake.repo(SDK_REPO).pulls.length, 1, "one pull request per head branch");
    assertMatch(f.fake.repo(SDK_REPO).pulls[0].title, /^feat\(api\)!: /);
    assertStringIncludes(f.fake.repo(SDK_REPO).pulls[0].body!, "### ⚠️ Breaking changes");
    assertNoToken(f, first, again, updated);
  });
});

Deno.test("open-pr on GitHub Enterprise (/api/v3): no diff, no PR and no request; then a PR, as JSON", async () => {
  await withDelivery(async (f) => {
    await f.pushMirror({});
    const same = await openPr(f, ["--json"]);
    assertEquals(same.code, 0, same.stderr);
    const [none] = jsonOf(same).pullRequests as Record<string, unknown>[];
    assertEquals([none.action, none.number, none.created], ["no-changes", undefined, false]);
    assertStringIncludes(same.stderr, "weave/my-feature holds the same files as main");
    assertEquals(f.fake.requests, [], "no request at all");

    await f.pushMirror({ "src/acme_sdk/extra.py": "X = 1\n" });
    const created = await openPr(f, ["--json"]);
    assertEquals(created.code, 0, created.stderr);
    const json = jsonOf(created);
    assertEquals([json.command, json.ok, json.dryRun], ["open-pr", true, false]);
    const [pr] = json.pullRequests as Record<string, unknown>[];
    assertEquals([pr.action, pr.number, pr.created, pr.repo], ["created", 1, true, SDK_REPO]);
    assertMatch(pr.url as string, /\/wandb\/weave-server-sdk\/pull\/1$/);
    assert(f.fake.url.endsWith("/api/v3"));
    assertEquals(f.fake.requests.map((r) => r.status), [200, 201]);
    // Same spec on both sides: the body says there is no API change; the title is a fix.
    assertMatch(f.fake.repo(SDK_REPO).pulls[0].title, /^chore\(api\): /);
    assertStringIncludes(
      f.fake.repo(SDK_REPO).pulls[0].body!,
      "None: the OpenAPI operations are unchanged.",
    );
    assertNoToken(f, same, created);
  }, { basePath: "/api/v3" });
});

Deno.test("open-pr --dry-run: the calls it would make, zero requests, nothing fetched", async () => {
  await withDelivery(async (f) => {
    await f.pushMirror(sdkTree(SPEC_AFTER));
    const before = await gitIn(f.sdk, "count-objects", "-v");
    const plan = await openPr(f, ["-n", "--label", "codegen", "--json"]);
    assertEquals(plan.code, 0, plan.stderr);
    assertEquals(f.fake.requests, []);
    assertEquals(await gitIn(f.sdk, "count-objects", "-v"), before, "nothing fetched");
    assertStringIncludes(
      plan.stderr,
      "[dry-run] GET /repos/wandb/weave-server-sdk/pulls?state=open&head=wandb%3Aweave%2Fmy-feature",
    );
    assertStringIncludes(plan.stderr, "[dry-run] POST /repos/wandb/weave-server-sdk/pulls");
    const [pr] = jsonOf(plan).pullRequests as { action: string; planned: { method: string }[] }[];
    assertEquals(pr.action, "dry-run");
    assertEquals(pr.planned.map((c) => c.method), ["GET", "POST", "POST"]);
    // Without a token, a dry run still works: it sends nothing.
    const human = await openPr(f, ["--dry-run"], { GITHUB_TOKEN: "" });
    assertEquals(human.code, 0, human.stderr);
    assertMatch(human.stdout, /^python: would open or update the pull request weave\/my-feature/);
    assertEquals(f.fake.requests, []);

    // With the commits in the clone, the dry run reads the whole body (SDK API report included)
    // and still leaves the clone, .git included, byte-identical.
    await gitIn(f.sdk, "fetch", "--quiet", "origin", "weave/my-feature");
    const snapshot = await snapshotTree(f.sdk);
    const full = await openPr(f, ["--dry-run", "--json"]);
    assertEquals(full.code, 0, full.stderr);
    const [planned] = jsonOf(full).pullRequests as { planned: { body?: { body: string } }[] }[];
    const body = planned.planned.find((c) => c.body?.body)!.body!.body;
    assertStringIncludes(body, "### SDK API report");
    assertStringIncludes(body, "**Added (1)**\n\n- `POST /widgets`");
    assertEquals(await snapshotTree(f.sdk), snapshot);
    assertEquals(f.fake.requests, []);
  });
});

Deno.test("open-pr: a description over GitHub's 65,536 characters is shortened, with a notice; the fake refuses longer ones", async () => {
  await withDelivery(async (f) => {
    // 3,000 generated modules: the diff stat alone is about 250,000 characters.
    const files = Object.fromEntries(
      Array.from({ length: 3000 }, (_, i) => [
        `src/acme_sdk/api/generated_endpoints/operation_module_number_${i}.py`,
        `X = ${i}\n`,
      ]),
    );
    await f.pushMirror({ ...sdkTree(SPEC_AFTER, true), ...files });
    const result = await openPr(f, ["--json"]);
    assertEquals(result.code, 0, result.stderr);
    const [pr] = jsonOf(result).pullRequests as Record<string, unknown>[];
    assertEquals([pr.action, pr.number], ["created", 1]);
    const body = f.fake.repo(SDK_REPO).pulls[0].body!;
    assert(body.length <= BODY_LIMIT, `${body.length} characters`);
    assertMatch(
      body,
      /> \[!NOTE\]\n> Shortened to fit GitHub's limit of 65,536 characters \(cut: files changed\)/,
    );
    assertMatch(body, / … and \d+ more\n/);
    assertMatch(body, /\n \d+ files changed, \d+ insertions/);
    assertStringIncludes(body, "**Added (1)**\n\n- `POST /widgets`", "the API changes are kept");
    assertEquals(f.fake.requests.filter((r) => r.status >= 400), []);

    // The fake answers a longer body as GitHub does.
    const refused = await fetch(`${f.fake.url}/repos/${SDK_REPO}/pulls/1`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${f.fake.token}`, "user-agent": "test" },
      body: JSON.stringify({ body: "x".repeat(BODY_LIMIT + 1) }),
    });
    assertEquals(refused.status, 422);
    assertEquals((await refused.json()).errors, [{
      resource: "Issue",
      code: "custom",
      field: "body",
      message: "body is too long (maximum is 65536 characters)",
    }]);
  });
});

Deno.test("open-pr: GitHub's 422 'already exists' means found; the PR is updated, not duplicated", async () => {
  await withDelivery(async (f) => {
    await f.pushMirror(sdkTree(SPEC_AFTER));
    assertEquals((await openPr(f)).code, 0);
    f.fake.repo(SDK_REPO).pulls[0].title = "stale";
    // The list answers empty once (an eventually consistent search), so the create gets a 422.
    f.fake.inject({ status: 200, method: "GET", path: /\/pulls$/, body: [] });
    const again = await openPr(f);
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stdout, "python: updated #1");
    assertEquals(
      f.fake.requests.slice(-4).map((r) => `${r.method} ${r.status}`),
      ["GET 200", "POST 422", "GET 200", "PATCH 200"],
    );
    assertEquals(f.fake.repo(SDK_REPO).pulls.length, 1);
    assertNotMatch(f.fake.repo(SDK_REPO).pulls[0].title, /stale/);
  });
});

Deno.test("open-pr failures: bad token (401, exit 1, permissions named), no repository (exit 2), no mirror branch", async () => {
  await withDelivery(async (f) => {
    await f.pushMirror(sdkTree(SPEC_AFTER));
    const badToken = "ghp_wrongTokenThatMustNeverBePrinted";
    const denied = await openPr(f, ["--json"], { GITHUB_TOKEN: badToken });
    assertEquals(denied.code, 1, denied.stderr);
    assertStringIncludes(denied.stderr, "401");
    assertStringIncludes(denied.stderr, "pull-requests: read");
    const json = jsonOf(denied);
    assertEquals([json.ok, (json.error as { kind: string }).kind], [false, "failure"]);
    // --json carries what stderr shows under the message: the API's answer.
    assertStringIncludes((json.error as { details: string }).details, "response: {");
    for (const text of [denied.stdout, denied.stderr]) assert(!text.includes(badToken));

    const unnamed = await f.cli([
      "open-pr",
      "--python-output",
      f.sdk,
      "--package-name",
      PACKAGE,
    ]);
    assertEquals(unnamed.code, 2, unnamed.stderr);
    assertStringIncludes(unnamed.stderr, "cannot tell which GitHub repository the SDK clone");
    assertStringIncludes(unnamed.stderr, "--github-repo owner/name");

    const other = await openPr(f, ["--trace-branch", "no-such-branch"]);
    assertEquals(other.code, 1, other.stderr);
    assertStringIncludes(other.stderr, "origin has no branch weave/no-such-branch");
    assertStringIncludes(other.stderr, "Push the generated code first");
    assertEquals(f.fake.repo(SDK_REPO).pulls, []);
  });
});

Deno.test("open-pr: without a stamp or SDK specs, the body says so and the spec comes from the trace repository", async () => {
  await withDelivery(async (f) => {
    // The SDK on main predates `.codegen/openapi.json`; the mirror tree has no stamp either.
    await f.land({ ".codegen/openapi.json": null });
    await f.pushMirror({ ".codegen/origin.json": null, "src/acme_sdk/extra.py": "X = 1\n" });
    // The trace branch forked from origin/main (spec with /health and /widgets) and dropped /health.
    await gitIn(f.root, "init", "--quiet", "--bare", "-b", "main", `${f.root}/trace.git`);
    await gitIn(f.trace, "remote", "add", "origin", `${f.root}/trace.git`);
    await gitIn(f.trace, "push", "--quiet", "origin", "my-feature:main");
    await gitIn(f.trace, "fetch", "--quiet", "origin");
    await Deno.writeTextFile(
      `${f.trace}/tools/codegen/openapi.json`,
      JSON.stringify(SPEC_BREAKING, null, 2),
    );
    const result = await openPr(f, ["--verbose"]);
    assertEquals(result.code, 0, result.stderr);
    assertMatch(
      result.stderr,
      /spec diff \w{12}:tools\/codegen\/openapi\.json \(fork point of origin\/main\) ->/,
    );
    const [pull] = f.fake.repo(SDK_REPO).pulls;
    assertStringIncludes(pull.body!, "no origin stamp (`.codegen/origin.json`)");
    assertStringIncludes(pull.body!, "**Removed (1)**\n\n- `GET /health` **(breaking)**");
    assertMatch(pull.title, /^feat\(api\)!: /);
  });
});
