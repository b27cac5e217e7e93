import { assertEquals } from "../../tests/helpers/assert.ts";
import { join } from "node:path";
import { makeClone, removeAll, treeFiles } from "../../tests/helpers/sdk_clone.ts";
import { commitDirectoryOnMain } from "../git/main_branch.ts";
import { describeJunk, findJunk, isJunkPath, junkIn, junkPathspecs } from "./hygiene.ts";

const TREE: Record<string, string> = {
  "pyproject.toml": "[project]\n",
  "pkg/__init__.py": "",
  "pkg/_core/__pycache__/client.cpython-311.pyc": "bytecode",
  "pkg/_core/client.py": "",
  "__pycache__/top.cpython-311.pyc": "bytecode",
  "pkg/stray.pyc": "bytecode",
  "pkg/old.pyo": "bytecode",
  ".pytest_cache/v/cache/lastfailed": "{}",
  "pkg/.mypy_cache/3.11/x.json": "{}",
  ".ruff_cache/CACHEDIR.TAG": "",
  ".DS_Store": "",
  "docs/.DS_Store": "",
  "pkg.egg-info/PKG-INFO": "",
  "node_modules/x/index.js": "",
  // Names that only look alike stay.
  "pkg/pycache.py": "",
  "docs/node_modules.md": "",
  "pkg/types/pyc_helpers.py": "",
};

const KEPT = [
  "docs/node_modules.md",
  "pkg/__init__.py",
  "pkg/_core/client.py",
  "pkg/pycache.py",
  "pkg/types/pyc_helpers.py",
  "pyproject.toml",
];

async function writeTree(dir: string): Promise<void> {
  for (const [path, content] of Object.entries(TREE)) {
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, path), content);
  }
}

Deno.test("isJunkPath: bytecode, tool caches, OS litter, installed dependencies; lookalikes kept", () => {
  const paths = Object.keys(TREE);
  assertEquals(paths.filter((p) => !isJunkPath(p)).sort(), KEPT);
  assertEquals(junkIn(paths).length, paths.length - KEPT.length);
});

Deno.test("findJunk lists junk directories once and junk files; describeJunk shortens", async () => {
  const dir = await Deno.makeTempDir({ prefix: "codegen-junk-" });
  try {
    await writeTree(dir);
    const junk = await findJunk(dir);
    assertEquals(junk, [
      ".DS_Store",
      ".pytest_cache/",
      ".ruff_cache/",
      "__pycache__/",
      "docs/.DS_Store",
      "node_modules/",
      "pkg.egg-info/",
      "pkg/.mypy_cache/",
      "pkg/_core/__pycache__/",
      "pkg/old.pyo",
      "pkg/stray.pyc",
    ]);
    assertEquals(describeJunk(junk, 2), ".DS_Store, .pytest_cache/, … (11 in all)");
  } finally {
    await removeAll(dir);
  }
});

Deno.test("the tree is staged without the junk (git pathspecs at any depth)", async () => {
  const clone = await makeClone();
  const out = await Deno.makeTempDir({ prefix: "codegen-junk-" });
  try {
    await writeTree(out);
    const made = await commitDirectoryOnMain(clone, out, {
      preserve: [],
      message: "generated",
      exclude: junkPathspecs(),
    });
    assertEquals(await treeFiles(clone, made!.commit), KEPT);
    // The same tree without the option: the junk would have been committed.
    const dirty = await commitDirectoryOnMain(clone, out, { preserve: [], message: "generated" });
    assertEquals((await treeFiles(clone, dirty!.commit)).length, Object.keys(TREE).length);
  } finally {
    await removeAll(clone, out);
  }
});
