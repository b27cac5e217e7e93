/** The tree hash equals git's tree id for the same files (checked with real git). */
import { assert, assertEquals, assertNotEquals } from "../../tests/helpers/assert.ts";
import { join } from "../core/paths.ts";
import { removeIfExists } from "../core/fs.ts";
import { git, gitOutput } from "../git/git.ts";
import { blobId, compareBytes, hashTree, treeIdOf } from "./tree_hash.ts";

/** A directory with the cases git orders or encodes specially. */
async function fixture(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "tree-hash-" });
  const files: Record<string, string> = {
    "a.txt": "a\n",
    "a-b": "dash sorts before slash\n",
    "a/inner.py": "x = 1\n",
    "a0": "zero sorts after slash\n",
    "pkg/__init__.py": "",
    "pkg/sub/deep.py": "from . import x\n",
    "é.txt": "non-ASCII name\n",
    "bin/run.sh": "#!/bin/sh\necho hi\n",
  };
  for (const [path, content] of Object.entries(files)) {
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, path), content);
  }
  await Deno.chmod(join(dir, "bin/run.sh"), 0o755);
  await Deno.symlink("../a.txt", join(dir, "pkg/link"));
  await Deno.mkdir(join(dir, "empty/nested"), { recursive: true });
  return dir;
}

async function gitTree(dir: string): Promise<string> {
  await git(dir, ["init", "--quiet"]);
  await git(dir, ["add", "--all"]);
  const tree = await gitOutput(dir, ["write-tree"]);
  await removeIfExists(join(dir, ".git"));
  return tree;
}

Deno.test("hashTree gives git's tree id: modes, symlinks, name order, empty dirs", async () => {
  const dir = await fixture();
  try {
    const ours = await hashTree(dir);
    assertEquals(ours.tree, await gitTree(dir));
    const byPath = new Map(ours.files.map((f) => [f.path, f]));
    assertEquals(byPath.get("bin/run.sh")?.mode, "100755");
    assertEquals(byPath.get("pkg/link")?.mode, "120000");
    assertEquals(byPath.get("a.txt")?.mode, "100644");
    assert(!ours.files.some((f) => f.path.startsWith("empty")), "empty directories count");
    assertEquals(ours.files.map((f) => f.path), [...byPath.keys()].sort(compareBytes));
    assertEquals(await treeIdOf(ours.files), ours.tree);
  } finally {
    await removeIfExists(dir);
  }
});

Deno.test("hashTree is stable and sees a one-byte change, a mode change and skip", async () => {
  const dir = await fixture();
  try {
    const first = await hashTree(dir);
    assertEquals(await hashTree(dir), first);
    await Deno.writeTextFile(join(dir, "a/inner.py"), "x = 2\n");
    const edited = await hashTree(dir);
    assertNotEquals(edited.tree, first.tree);
    assertEquals(edited.tree, await gitTree(dir));
    await Deno.chmod(join(dir, "a.txt"), 0o744);
    assertNotEquals((await hashTree(dir)).tree, edited.tree);
    const skipped = await hashTree(dir, { skip: (path) => path === "a" || path === "a.txt" });
    assert(!skipped.files.some((f) => f.path.startsWith("a/") || f.path === "a.txt"));
    assert(skipped.files.some((f) => f.path === "a-b"));
  } finally {
    await removeIfExists(dir);
  }
});

Deno.test("blobId equals git hash-object", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bytes = new TextEncoder().encode("hello\r\nworld");
    await Deno.writeFile(join(dir, "f"), bytes);
    assertEquals(await blobId(bytes), await gitOutput(dir, ["hash-object", "f"]));
  } finally {
    await removeIfExists(dir);
  }
});
