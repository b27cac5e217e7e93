/** Trace branch and mirror branch naming (the push itself is covered end to end). */
import { join } from "node:path";
import { assertEquals, assertRejects } from "../../tests/helpers/assert.ts";
import { mirrorBranchName, resolveTraceBranch } from "./prepare.ts";
import { commitFiles, gitIn } from "../../tests/helpers/git_fixtures.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";

function withTrace(fn: (repo: string) => Promise<void>) {
  return withTempDir("codegen-mirror-", async (root) => {
    const repo = join(root, "trace");
    await gitIn(root, "init", "--quiet", "-b", "feature/x", repo);
    await commitFiles(repo, { message: "one", files: { "a.txt": "a\n" } });
    await fn(repo);
  });
}

Deno.test("the trace branch is the checked-out branch, unless --trace-branch names one", async () => {
  await withTrace(async (repo) => {
    assertEquals(await resolveTraceBranch(repo, undefined, { GITHUB_HEAD_REF: "ci" }), "feature/x");
    assertEquals(await resolveTraceBranch(repo, "flag", {}), "flag");
  });
});

Deno.test("in detached HEAD: GITHUB_HEAD_REF, then GITHUB_REF_NAME, else a usage error", async () => {
  await withTrace(async (repo) => {
    await gitIn(repo, "checkout", "--quiet", "--detach");
    assertEquals(
      await resolveTraceBranch(repo, undefined, {
        GITHUB_HEAD_REF: "pr",
        GITHUB_REF_NAME: "1/merge",
      }),
      "pr",
    );
    assertEquals(
      await resolveTraceBranch(repo, undefined, {
        GITHUB_HEAD_REF: "",
        GITHUB_REF_NAME: "1/merge",
      }),
      "1/merge",
    );
    const error = await assertRejects(
      () => resolveTraceBranch(repo, undefined, {}),
      /detached HEAD/,
    );
    assertEquals((error as { exitCode?: number }).exitCode, 2);
  });
});

Deno.test("mirror branch names are prefixed and validated", async () => {
  await withTrace(async (repo) => {
    assertEquals(await mirrorBranchName(repo, "weave/", "feature/x"), "weave/feature/x");
    assertEquals(await mirrorBranchName(repo, "sdk-", "main"), "sdk-main");
    await assertRejects(
      () => mirrorBranchName(repo, "weave/", "a..b"),
      /not a legal git branch name/,
    );
  });
});
