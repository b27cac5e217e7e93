/** Moving local main in SDK clones: never losing work, never touching a dirty worktree. */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { join } from "node:path";
import {
  commitDirectoryOnMain,
  fetchCommit,
  mainState,
  moveLocalMain,
  REFLOG_PREFIX,
} from "./main_branch.ts";
import type { CodegenError } from "../core/errors.ts";
import { git, gitOutput } from "./git.ts";
import { head, makeClone, removeAll, treeFiles } from "../../tests/helpers/sdk_clone.ts";
import { commitFiles } from "../../tests/helpers/git_fixtures.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";

const reason = `${REFLOG_PREFIX}: test`;

/** A commit on a side branch of `clone` (not an ancestor of main), returned by sha. */
async function sideCommit(clone: string, files: Record<string, string>): Promise<string> {
  const branch = await gitOutput(clone, ["symbolic-ref", "--short", "HEAD"]);
  await git(clone, ["checkout", "--quiet", "--orphan", "generated"]);
  await git(clone, ["rm", "-r", "--quiet", "--force", "."]);
  const sha = await commitFiles(clone, { message: "generated", files });
  await git(clone, ["checkout", "--quiet", "--force", branch]);
  await git(clone, ["clean", "-fdq"]);
  return sha;
}

Deno.test("local main checked out and clean: ref and worktree move; old work saved on a backup branch", async () => {
  const clone = await makeClone({ "README.md": "mine\n", "stale.py": "x\n" });
  try {
    const old = await head(clone);
    const generated = await sideCommit(clone, { "sdk/__init__.py": "v = 1\n" });
    const moved = await moveLocalMain(clone, generated, { reason, target: "python" });
    assertEquals([moved.previous, moved.current, moved.changed, moved.worktree], [
      old,
      generated,
      true,
      clone,
    ]);
    assertEquals(await head(clone, "HEAD"), generated);
    assertEquals(await Deno.readTextFile(join(clone, "sdk/__init__.py")), "v = 1\n");
    assertEquals(await Deno.stat(join(clone, "stale.py")).catch(() => null), null);
    // "generated" still references the new commit, but the old main was only on main: backed up.
    assert(moved.backup?.startsWith("codegen/backup/main-"), moved.backup);
    assertEquals(await head(clone, moved.backup!), old);
    // Moving again to the same commit is a no-op.
    assertEquals(
      (await moveLocalMain(clone, generated, { reason, target: "python" })).changed,
      false,
    );
  } finally {
    await removeAll(clone);
  }
});

Deno.test("local main checked out and dirty: refused with a hint, nothing changes", async () => {
  const clone = await makeClone();
  try {
    const old = await head(clone);
    const generated = await sideCommit(clone, { "a.py": "1\n" });
    await Deno.writeTextFile(join(clone, "untracked.txt"), "work in progress\n");
    const error = await assertRejects(
      () => moveLocalMain(clone, generated, { reason, target: "python" }),
      /uncommitted/,
    );
    assertStringIncludes(error.message, "has uncommitted changes");
    assertStringIncludes((error as CodegenError).hint ?? "", "stash");
    assertEquals(await head(clone, "main"), old);
    assertEquals(await Deno.readTextFile(join(clone, "untracked.txt")), "work in progress\n");
  } finally {
    await removeAll(clone);
  }
});

Deno.test("local main not checked out: only the ref moves, even with a dirty worktree elsewhere", async () => {
  const clone = await makeClone();
  try {
    const generated = await sideCommit(clone, { "a.py": "1\n" });
    await git(clone, ["checkout", "--quiet", "-b", "feature"]);
    await Deno.writeTextFile(join(clone, "README.md"), "dirty\n");
    const moved = await moveLocalMain(clone, generated, { reason, target: "python" });
    assertEquals([moved.current, moved.worktree, moved.backup], [generated, undefined, undefined]); // feature keeps the old tip
    assertEquals(await head(clone, "main"), generated);
    assertEquals(await Deno.readTextFile(join(clone, "README.md")), "dirty\n");
    assertEquals(await gitOutput(clone, ["reflog", "-n1", "--format=%gs", "main"]), reason);
  } finally {
    await removeAll(clone);
  }
});

Deno.test("local main checked out in a linked worktree: that worktree's state decides", async () => {
  const clone = await makeClone();
  const linked = `${clone}-linked`;
  try {
    await git(clone, ["checkout", "--quiet", "-b", "feature"]);
    await git(clone, ["worktree", "add", "--quiet", linked, "main"]);
    const state = await mainState(clone);
    assertEquals(state.checkedOutIn, await Deno.realPath(linked));
    const generated = await sideCommit(clone, { "a.py": "1\n" });
    await Deno.writeTextFile(join(linked, "README.md"), "dirty\n");
    await assertRejects(
      () => moveLocalMain(clone, generated, { reason, target: "python" }),
      /uncommitted/,
    );
    await git(linked, ["checkout", "--quiet", "--", "README.md"]);
    await moveLocalMain(clone, generated, { reason, target: "python" });
    assertEquals(await Deno.readTextFile(join(linked, "a.py")), "1\n");
  } finally {
    await removeAll(clone, linked);
  }
});

Deno.test("dry run reports and changes nothing", async () => {
  const clone = await makeClone();
  try {
    const old = await head(clone);
    const generated = await sideCommit(clone, { "a.py": "1\n" });
    const moved = await moveLocalMain(clone, generated, { reason, target: "python", dryRun: true });
    assertEquals(moved.changed, true);
    assertEquals(await head(clone, "main"), old);
  } finally {
    await removeAll(clone);
  }
});

Deno.test("commitDirectoryOnMain: full tree replacement keeping preserved paths; clone index untouched", async () => {
  const clone = await makeClone({
    "old.py": "stale\n",
    "src/pkg/lib/custom.py": "mine\n",
    "keep/me.txt": "k\n",
  });
  const out = await Deno.makeTempDir({ prefix: "gen-out-" });
  try {
    await Deno.mkdir(join(out, "src/pkg/lib"), { recursive: true });
    await Deno.writeTextFile(join(out, "src/pkg/__init__.py"), "new\n");
    await Deno.writeTextFile(join(out, "src/pkg/lib/custom.py"), "generator's version\n");
    await Deno.mkdir(join(out, ".git")); // a generator that ran `git init` must not nest a repository
    await Deno.writeTextFile(join(out, "run.sh"), "#!/bin/sh\n");
    await Deno.chmod(join(out, "run.sh"), 0o755);
    const before = await head(clone);
    const made = await commitDirectoryOnMain(clone, out, {
      preserve: ["src/pkg/lib/", "./keep", "absent"],
      message: "gen",
    });
    assert(made);
    assertEquals(await treeFiles(clone, made.commit), [
      "keep/me.txt",
      "run.sh",
      "src/pkg/__init__.py",
      "src/pkg/lib/custom.py",
    ]);
    assertEquals(await gitOutput(clone, ["show", `${made.commit}:src/pkg/lib/custom.py`]), "mine");
    assertEquals(
      (await gitOutput(clone, ["ls-tree", made.commit, "run.sh"])).slice(0, 6),
      "100755",
    );
    assertEquals(await gitOutput(clone, ["rev-parse", `${made.commit}^`]), before);
    // Nothing moved yet, and the clone's own index/worktree are as they were.
    assertEquals(await head(clone, "main"), before);
    assertEquals(await gitOutput(clone, ["status", "--porcelain"]), "");
    // Same output again on top of the new commit: no change, no commit.
    await moveLocalMain(clone, made.commit, { reason, target: "python" });
    await Deno.mkdir(join(out, "src/pkg/lib"), { recursive: true });
    assertEquals(
      await commitDirectoryOnMain(clone, out, {
        preserve: ["src/pkg/lib", "keep"],
        message: "gen",
      }),
      undefined,
    );
  } finally {
    await removeAll(clone, out);
  }
});

Deno.test("commitDirectoryOnMain: excluded files left out; files added last (text or bytes) always staged, computed from the staged tree", async () => {
  const clone = await makeClone({ "README.md": "old\n" });
  await withTempDir("gen-out-", async (out) => {
    await Deno.mkdir(join(out, "pkg/__pycache__"), { recursive: true });
    await Deno.writeTextFile(join(out, "pkg/__init__.py"), "new\n");
    await Deno.writeTextFile(join(out, "pkg/__pycache__/x.pyc"), "bytecode");
    // A generated .gitignore, and an exclusion matching it, must not drop the files added last.
    await Deno.writeTextFile(join(out, ".gitignore"), ".codegen/\n");
    const bytes = new Uint8Array([0x7b, 0x0a, 0xff, 0x7d]); // not even valid UTF-8
    let seen = "";
    const made = await commitDirectoryOnMain(clone, out, {
      preserve: [],
      message: "gen",
      exclude: [":(exclude,glob)**/__pycache__/**", ":(exclude,glob)**/.codegen/**"],
      addLast: async (tree) => {
        seen = await gitOutput(clone, ["ls-tree", "-r", "--name-only", tree]);
        return { ".codegen/origin.json": "{}\n", ".codegen/spec.bin": bytes };
      },
    });
    assert(made);
    assertEquals(seen, ".gitignore\npkg/__init__.py", "the staged tree, without the exclusions");
    assertEquals(await treeFiles(clone, made.commit), [
      ".codegen/origin.json",
      ".codegen/spec.bin",
      ".gitignore",
      "pkg/__init__.py",
    ]);
    // The exact bytes, byte for byte (git hashes them as the file written in `out`).
    assertEquals(
      await gitOutput(clone, ["rev-parse", `${made.commit}:.codegen/spec.bin`]),
      await gitOutput(clone, ["hash-object", join(out, ".codegen/spec.bin")]),
    );
    assertEquals(await Deno.readFile(join(out, ".codegen/spec.bin")), bytes);
  }).finally(() => removeAll(clone));
});

Deno.test("fetchCommit: fetches by sha without persisting the remote, FETCH_HEAD or the token", async () => {
  const source = await makeClone({ "a.txt": "a\n" });
  const clone = await makeClone();
  try {
    const sha = await head(source);
    const token = "ghs_neverPersistedToken_1234";
    assertEquals(
      await fetchCommit(clone, `file://${source}`, sha, { target: "python", token }),
      sha,
    );
    const config = await Deno.readTextFile(join(clone, ".git/config"));
    assert(!config.includes(token) && !config.includes("remote"), config);
    assertEquals(await gitOutput(clone, ["for-each-ref", "refs/codegen*"]), "");
    assertEquals(await Deno.stat(join(clone, ".git/FETCH_HEAD")).catch(() => null), null);
    const refDirs = () => [...Deno.readDirSync(join(clone, ".git/refs"))].map((e) => e.name).sort();
    assertEquals(refDirs(), ["heads", "tags"], "no empty directory of the temporary ref left");
    const unknown = await commitFiles(source, { message: "second", files: { "b.txt": "b\n" } }); // not in the clone yet
    await assertRejects(
      () => fetchCommit(clone, `file://${source}-missing`, unknown, { target: "python" }),
      /fetch the generated python code failed/,
    );
    assertEquals(refDirs(), ["heads", "tags"], "nothing left by the failed fetch either");
  } finally {
    await removeAll(source, clone);
  }
});
