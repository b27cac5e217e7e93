/** Where the trace repository's lock lives, checked against git's own answer, on real repositories. */
import { join } from "node:path";
import { assertEquals, assertMatch, assertRejects } from "../../tests/helpers/assert.ts";
import { commitFiles, gitIn } from "../../tests/helpers/git_fixtures.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { CodegenError } from "../core/errors.ts";
import { lockTraceRepo, TRACE_LOCK_NAME, traceLockPath } from "./trace_lock.ts";

/** What `git rev-parse --absolute-git-dir` says for `dir`. */
async function gitDirOf(dir: string): Promise<string> {
  return (await gitIn(dir, "rev-parse", "--absolute-git-dir")).trim();
}

Deno.test("traceLockPath: in the git directory of a work tree's top level, linked worktrees included", async () => {
  await withTempDir("codegen-trace-lock-", async (root) => {
    const repo = join(root, "repo");
    await gitIn(root, "init", "--quiet", "-b", "main", repo);
    assertEquals(await traceLockPath(repo), join(await gitDirOf(repo), TRACE_LOCK_NAME));

    // A linked worktree has a `.git` file pointing at its own git directory.
    await commitFiles(repo, { message: "first", files: { "README.md": "x\n" } });
    const worktree = join(root, "worktree");
    await gitIn(repo, "worktree", "add", "--quiet", "-b", "other", worktree);
    const worktreeGitDir = await gitDirOf(worktree);
    assertMatch(worktreeGitDir, /\/\.git\/worktrees\/worktree$/);
    assertEquals(await traceLockPath(worktree), join(worktreeGitDir, TRACE_LOCK_NAME));
  });
});

Deno.test("traceLockPath: a folder inside a repository or outside git is locked through the temporary directory", async () => {
  await withTempDir("codegen-trace-lock-", async (root) => {
    const repo = join(root, "repo");
    await gitIn(root, "init", "--quiet", "-b", "main", repo);
    const nested = join(repo, "examples", "trace");
    await Deno.mkdir(nested, { recursive: true });
    const plain = join(root, "plain");
    await Deno.mkdir(plain);
    const tmp = Deno.env.get("TMPDIR") || "/tmp";
    const nestedLock = await traceLockPath(nested);
    assertMatch(nestedLock, /\/codegen-trace-[0-9a-f]{16}\.lock$/);
    assertEquals(nestedLock.startsWith(`${tmp}/`), true, nestedLock);
    const plainLock = await traceLockPath(plain);
    assertMatch(plainLock, /\/codegen-trace-[0-9a-f]{16}\.lock$/);
    assertEquals(plainLock === nestedLock, false, "one lock per folder");
    // A `.git` file that points nowhere is not a work tree.
    await Deno.writeTextFile(join(plain, ".git"), "gitdir: /nonexistent/codegen/.git\n");
    assertEquals(await traceLockPath(plain), plainLock);
  });
});

Deno.test("the trace lock is one lock however the repository is spelled (a symlink to it)", async () => {
  await withTempDir("codegen-trace-lock-", async (root) => {
    const repo = join(root, "repo");
    await gitIn(root, "init", "--quiet", "-b", "main", repo);
    const link = join(root, "link");
    await Deno.symlink(repo, link);
    const release = await lockTraceRepo(repo, { noWait: true, timeoutSeconds: 0 });
    try {
      const error = await assertRejects(
        () => lockTraceRepo(link, { noWait: true, timeoutSeconds: 0 }),
        /is already locked by this codegen run/,
      );
      assertEquals(error instanceof CodegenError, true);
    } finally {
      await release();
    }
    // Released: the other spelling takes it now.
    await (await lockTraceRepo(link, { noWait: true, timeoutSeconds: 0 }))();
  });
});
