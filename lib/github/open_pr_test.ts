/** `openPullRequest`: real git (a clone with a bare origin) and the fake GitHub API together. */
import { assert, assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import {
  fakeClientOptions,
  type FakeGitHub,
  startFakeGitHub,
} from "../../tests/helpers/fake_github.ts";
import { captureLog } from "../../tests/helpers/capture_log.ts";
import { GIT_ENV } from "../../tests/helpers/git_fixtures.ts";
import { makeClone, removeAll } from "../../tests/helpers/sdk_clone.ts";
import { commitFiles } from "../../tests/helpers/git_fixtures.ts";
import { git, gitOutput } from "../git/git.ts";
import { snapshotTree } from "../../tests/helpers/tree_snapshot.ts";
import { GitHubClient } from "./client.ts";
import { openPullRequest, type OpenPullRequestOptions } from "./open_pr.ts";

const CONTENT = {
  target: "python",
  packageName: "weave_server_sdk",
  head: "weave/my-feature",
  source: { repository: "wandb/weave", branch: "my-feature", commit: "f".repeat(40) },
  reproduce: "codegen all",
};

async function withRepos(
  fn: (clone: string, options: OpenPullRequestOptions, fake: FakeGitHub) => Promise<void>,
) {
  const clone = await makeClone({ "src/sdk/api.py": "A = 1\n" });
  const bare = await Deno.makeTempDir({ prefix: "sdk-origin-" });
  const fake = startFakeGitHub();
  const log = captureLog();
  try {
    await git(bare, ["init", "--quiet", "--bare", "--initial-branch=main"]);
    await git(clone, ["remote", "add", "origin", bare]);
    await git(clone, ["push", "--quiet", "origin", "main"]);
    fake.addRepo("wandb/weave-sdk", { defaultBranch: "main" });
    await fn(clone, {
      client: new GitHubClient(fakeClientOptions(fake)),
      clone,
      githubRepo: "wandb/weave-sdk",
      content: CONTENT,
      env: {},
    }, fake);
    assert(!JSON.stringify(fake.requests).includes(fake.token));
    assert(!log.text().includes("***"), log.text());
  } finally {
    log.restore();
    await fake.close();
    await removeAll(clone, bare);
  }
}

/** Pushes a mirror commit with `files` on top of main (same tree when `files` is empty). */
async function pushMirror(clone: string, files: Record<string, string>): Promise<void> {
  await git(clone, ["checkout", "--quiet", "-B", "mirror", "main"]);
  if (Object.keys(files).length) await commitFiles(clone, { message: "regenerated", files });
  else {
    const tree = await gitOutput(clone, ["rev-parse", "main^{tree}"]);
    const commit = await gitOutput(clone, ["commit-tree", tree, "-p", "main", "-m", "same"], {
      env: GIT_ENV,
    });
    await git(clone, ["reset", "--quiet", "--hard", commit]);
  }
  await git(clone, ["push", "--quiet", "--force", "origin", "mirror:weave/my-feature"]);
}

Deno.test("the mirror tree equals the default branch: no pull request and no API request", async () => {
  await withRepos(async (clone, options, fake) => {
    await pushMirror(clone, {});
    const result = await openPullRequest(options);
    assertEquals([result.action, result.base, result.number], ["no-changes", "main", undefined]);
    assertEquals((await openPullRequest({ ...options, base: "main" })).action, "no-changes");
    assertEquals(fake.requests, []);
    assertEquals(fake.repo("wandb/weave-sdk").pulls, []);
  });
});

Deno.test("changes: one pull request with the diff stat, then an unchanged rerun", async () => {
  await withRepos(async (clone, options, fake) => {
    await pushMirror(clone, { "src/sdk/api.py": "A = 2\n", "src/sdk/new.py": "B = 1\n" });
    const first = await openPullRequest({ ...options, labels: ["codegen"], draft: true });
    assertEquals([first.action, first.number, first.base, first.labelsAdded], [
      "created",
      1,
      "main",
      ["codegen"],
    ]);
    assertStringIncludes(fake.repo("wandb/weave-sdk").pulls[0].body!, "2 files changed");
    const again = await openPullRequest(options);
    assertEquals([again.action, again.number, again.updated], ["unchanged", 1, false]);
    assertEquals(fake.requests.filter((r) => r.method !== "GET").length, 2); // create, label
  });
});

Deno.test("a pull request a maintainer moved to another base stays there; --base moves it back", async () => {
  await withRepos(async (clone, options, fake) => {
    await pushMirror(clone, { "src/sdk/api.py": "A = 2\n" });
    assertEquals((await openPullRequest(options)).base, "main");
    const [pull] = fake.repo("wandb/weave-sdk").pulls;
    pull.base = "dev"; // retargeted on the web
    pull.title = "edited";
    const kept = await openPullRequest(options);
    assertEquals([kept.action, kept.base, pull.base], ["updated", "dev", "dev"]);
    const patch = fake.requests.filter((r) => r.method === "PATCH").at(-1)!;
    assertEquals(Object.keys(patch.body as object), ["title"], "the base is not sent");
    const moved = await openPullRequest({ ...options, base: "main" });
    assertEquals([moved.action, moved.base, pull.base], ["updated", "main", "main"]);
    assertEquals(fake.repo("wandb/weave-sdk").pulls.length, 1);
  });
});

Deno.test("dry run: reads git, plans the API calls, sends none", async () => {
  await withRepos(async (clone, options, fake) => {
    await pushMirror(clone, { "src/sdk/api.py": "A = 3\n" });
    const client = new GitHubClient({ apiUrl: options.client.apiUrl, dryRun: true, env: {} });
    const result = await openPullRequest({ ...options, client, reviewers: ["alice"] });
    assertEquals(result.action, "dry-run");
    const post = result.planned!.find((c) => c.method === "POST" && c.path.endsWith("/pulls"));
    const body = post!.body as { body: string; base: string };
    assertEquals(body.base, "main");
    assertStringIncludes(body.body, "src/sdk/api.py | 2 +-");
    assertEquals(fake.requests, []);
  });
});

Deno.test("dry run without origin's commits in the clone: fetches nothing, still plans the calls", async () => {
  await withRepos(async (clone, options, fake) => {
    // The mirror branch is pushed from elsewhere: this clone does not have its commit.
    const elsewhere = await Deno.makeTempDir({ prefix: "sdk-elsewhere-" });
    try {
      const bare = await gitOutput(clone, ["remote", "get-url", "origin"]);
      await git(elsewhere, ["clone", "--quiet", bare, "."]);
      await commitFiles(elsewhere, {
        message: "regenerated elsewhere",
        files: { "src/sdk/api.py": "A = 4\n" },
      });
      await git(elsewhere, ["push", "--quiet", "origin", "HEAD:refs/heads/weave/my-feature"]);
    } finally {
      await removeAll(elsewhere);
    }
    const before = await snapshotTree(clone);
    const client = new GitHubClient({ apiUrl: options.client.apiUrl, dryRun: true, env: {} });
    const result = await openPullRequest({ ...options, client });
    assertEquals(result.action, "dry-run");
    assertEquals(result.planned!.map((c) => c.method), ["GET", "POST"]);
    assertEquals(await snapshotTree(clone), before, "the clone, .git included, is byte-identical");
    assertEquals(fake.requests, []);
  });
});
