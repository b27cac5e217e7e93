/**
 * `codegen all --open-pr` end to end: the real pipeline (uvicorn, openapi-python-client, pushes
 * to a bare SDK repository), then the pull request of the mirror branch on the fake GitHub API.
 * The refusals (--no-auto-merge, no token) come from the check stage, before anything is pushed;
 * a dry run plans the API calls and sends none.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { startFakeGitHub } from "../helpers/fake_github.ts";
import { snapshotRepos } from "../helpers/tree_snapshot.ts";
import { gitIn } from "../helpers/git_fixtures.ts";
import {
  all,
  baseConfig,
  remoteBranch,
  summaryRow,
  withWorkspace,
  writeConfig,
} from "../helpers/all_workspace.ts";

const SDK_REPO = "wandb/weave-server-sdk";

Deno.test("all --open-pr: push, pin, then one pull request; a rerun leaves it as it is", async () => {
  const fake = startFakeGitHub();
  fake.addRepo(SDK_REPO);
  const env = { GITHUB_API_URL: fake.url, GITHUB_TOKEN: fake.token, GH_TOKEN: "" };
  try {
    await withWorkspace(async (ws) => {
      await writeConfig(ws, [...baseConfig(ws), `github_repo: ${SDK_REPO}`, "open_pr: true"]);
      const first = await all(ws, ["--label", "codegen"], env);
      assertEquals(first.code, 0, first.stderr);
      assertMatch(first.stderr, /\[pr\] ── 5\/5 pr: open or update the pull request/);
      assertMatch(
        summaryRow(first.stdout, "pr"),
        /^python: opened #1 http:\/\/127\.0\.0\.1:\d+\/wandb\/weave-server-sdk\/pull\/1 \(weave\/my-feature -> main of wandb\/weave-server-sdk\)$/,
      );
      const [pull] = fake.repo(SDK_REPO).pulls;
      assertEquals([pull.head, pull.base, pull.labels], ["weave/my-feature", "main", ["codegen"]]);
      assertMatch(pull.title, /^feat\(api\): update weave_server_sdk from my-feature@[0-9a-f]{7}$/);
      const mirror = await remoteBranch(ws, "refs/heads/weave/my-feature");
      const traceCommit = await gitIn(ws.trace, "rev-parse", "HEAD");
      assertStringIncludes(pull.body!, `commit \`${traceCommit.slice(0, 12)}\``);
      assertStringIncludes(pull.body!, "### SDK API report");
      assertStringIncludes(pull.body!, "### Files changed");
      assertMatch(mirror, /^[0-9a-f]{40}$/);

      const again = await all(ws, ["--json"], env);
      assertEquals(again.code, 0, again.stderr);
      const result = JSON.parse(again.stdout);
      assertEquals(result.stages.map((s: { name: string }) => s.name), [
        "check",
        "spec",
        "generate",
        "merge",
        "pr",
      ]);
      assertEquals(
        result.pullRequests.map((p: Record<string, unknown>) => [p.target, p.action, p.number]),
        [["python", "unchanged", 1]],
      );
      assertEquals(fake.repo(SDK_REPO).pulls.length, 1);
      for (const r of [first, again]) assert(!(r.stdout + r.stderr).includes(fake.token));
    });
  } finally {
    await fake.close();
  }
});

Deno.test("all --open-pr refusals and dry run: usage errors before anything runs; a plan with zero requests", async () => {
  const fake = startFakeGitHub();
  fake.addRepo(SDK_REPO);
  try {
    await withWorkspace(async (ws) => {
      await writeConfig(ws, [...baseConfig(ws), `github_repo: ${SDK_REPO}`]);
      const dirs = [ws.trace, ws.sdk, ws.bare];
      const before = await snapshotRepos(dirs);
      const env = { GITHUB_API_URL: fake.url, GITHUB_TOKEN: fake.token, GH_TOKEN: "" };

      const noMerge = await all(ws, ["--open-pr", "--no-auto-merge", "--json"], env);
      assertEquals(noMerge.code, 2, noMerge.stderr);
      assertStringIncludes(noMerge.stderr, "open_pr (--open-pr) needs auto_merge");
      const refused = JSON.parse(noMerge.stdout);
      assertEquals([refused.ok, refused.error.stage, refused.error.kind], [
        false,
        "check",
        "usage",
      ]);

      const noToken = await all(ws, ["--open-pr"], { ...env, GITHUB_TOKEN: "" });
      assertEquals(noToken.code, 2, noToken.stderr);
      assertStringIncludes(noToken.stderr, "check stage failed: GITHUB_TOKEN is not set");
      assertEquals(await snapshotRepos(dirs), before, "nothing was pushed or written");

      const plan = await all(ws, ["--open-pr", "--dry-run", "--reviewer", "alice"], {
        ...env,
        GITHUB_TOKEN: "",
      });
      assertEquals(plan.code, 0, plan.stderr);
      assertStringIncludes(
        plan.stdout,
        "pr: call the GitHub API: GET /repos/wandb/weave-server-sdk/pulls?state=open&head=wandb%3Aweave%2Fmy-feature",
      );
      assertStringIncludes(
        plan.stdout,
        "pr: call the GitHub API: POST /repos/wandb/weave-server-sdk/pulls",
      );
      assertStringIncludes(
        plan.stdout,
        "pr: call the GitHub API: POST /repos/wandb/weave-server-sdk/pulls/{number}/requested_reviewers",
      );
      assertMatch(summaryRow(plan.stdout, "pr"), /^python: would open or update the pull request/);
      assertEquals(fake.requests, [], "a dry run sends no request");
      assertEquals(await snapshotRepos(dirs), before);
    });
  } finally {
    await fake.close();
  }
});

Deno.test("all --open-pr: the API changes come from the specs the generated SDK trees carry (.codegen/openapi.json)", async () => {
  const fake = startFakeGitHub();
  fake.addRepo(SDK_REPO);
  const env = { GITHUB_API_URL: fake.url, GITHUB_TOKEN: fake.token, GH_TOKEN: "" };
  try {
    await withWorkspace(async (ws) => {
      await writeConfig(ws, [...baseConfig(ws), `github_repo: ${SDK_REPO}`, "open_pr: true"]);
      const first = await all(ws, [], env);
      assertEquals(first.code, 0, first.stderr);
      // Generation left the committed spec's exact bytes beside the stamp, in the mirror tree.
      const mirror = await remoteBranch(ws, "refs/heads/weave/my-feature");
      assertEquals(
        await gitIn(ws.bare, "rev-parse", `${mirror}:.codegen/openapi.json`),
        await gitIn(ws.trace, "hash-object", "tools/codegen/openapi.json"),
      );
      // The marker carries the stamp's inputs key.
      const stamp = JSON.parse(await gitIn(ws.bare, "show", `${mirror}:.codegen/origin.json`));
      const [pull] = fake.repo(SDK_REPO).pulls;
      assertStringIncludes(pull.body!, `inputs_key=${encodeURIComponent(stamp.codegen.inputs)}`);

      // The pull request is merged; then the server gains a route. The base tree now holds the
      // spec its SDK was generated from, so the body compares the two SDK trees' specs.
      await gitIn(ws.bare, "update-ref", "refs/heads/main", mirror);
      const server = join(ws.trace, "weave/trace_server/reference/server.py");
      await Deno.writeTextFile(
        server,
        (await Deno.readTextFile(server)) +
          '\n@app.get("/extra/ping")\ndef extra_ping() -> dict:\n    return {}\n',
      );
      const second = await all(ws, ["-v"], env);
      assertEquals(second.code, 0, second.stderr);
      assertMatch(second.stderr, /spec diff [0-9a-f]{12}:\.codegen\/openapi\.json -> /);
      const body = fake.repo(SDK_REPO).pulls.at(-1)!.body!;
      assertStringIncludes(body, "**Added (1)**");
      assertStringIncludes(body, "`GET /extra/ping`");
      for (const r of [first, second]) assert(!(r.stdout + r.stderr).includes(fake.token));
    });
  } finally {
    await fake.close();
  }
});
