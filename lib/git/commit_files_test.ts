import { assertEquals, assertNotEquals } from "../../tests/helpers/assert.ts";
import { makeClone, removeAll } from "../../tests/helpers/sdk_clone.ts";
import { commitFiles, gitIn } from "../../tests/helpers/git_fixtures.ts";
import { gitOutput } from "./git.ts";
import { commitFilesOnTop } from "./commit_files.ts";

Deno.test("commitFilesOnTop: parent's tree plus the files; index, work tree and branches untouched; reused when identical", async () => {
  const clone = await makeClone({ "a.txt": "a\n", ".codegen/origin.json": "old\n" });
  try {
    await Deno.writeTextFile(`${clone}/dirty.txt`, "uncommitted\n");
    const parent = await gitOutput(clone, ["rev-parse", "HEAD"]);
    const status = await gitOutput(clone, ["status", "--porcelain"]);
    const commit = await commitFilesOnTop(
      clone,
      parent,
      { ".codegen/origin.json": "new\n", "b/c.txt": "c\n" },
      "Add the stamp\n",
    );
    assertEquals(await gitOutput(clone, ["rev-parse", `${commit}^`]), parent);
    assertEquals(await gitOutput(clone, ["show", `${commit}:.codegen/origin.json`]), "new");
    assertEquals(await gitOutput(clone, ["show", `${commit}:b/c.txt`]), "c");
    assertEquals(await gitOutput(clone, ["show", `${commit}:a.txt`]), "a");
    assertEquals(await gitOutput(clone, ["rev-parse", "HEAD"]), parent, "no branch moved");
    assertEquals(await gitOutput(clone, ["status", "--porcelain"]), status);
    // The same again, offering the commit just made: reused, no new commit.
    const files = { ".codegen/origin.json": "new\n", "b/c.txt": "c\n" };
    assertEquals(await commitFilesOnTop(clone, parent, files, "x", commit), commit);
    // Another parent or other files: a new commit.
    const other = await commitFiles(clone, { message: "other", files: { "a.txt": "A\n" } });
    assertNotEquals(await commitFilesOnTop(clone, other, files, "x", commit), commit);
  } finally {
    await removeAll(clone);
  }
});

Deno.test("commitFilesOnTop: a replaced file keeps its mode; bytes are stored as given", async () => {
  const clone = await makeClone({ "run.sh": "#!/bin/sh\n", "CHANGELOG.md": "old\n" });
  try {
    await gitIn(clone, "update-index", "--chmod=+x", "run.sh");
    // Hermetic identity (tests/helpers/git_fixtures.ts): the user's git config is not needed.
    await gitIn(clone, "commit", "--quiet", "-m", "executable");
    // An attribute that would convert line endings if filters applied.
    await Deno.writeTextFile(`${clone}/.gitattributes`, "*.md text eol=crlf\n");
    const parent = await gitOutput(clone, ["rev-parse", "HEAD"]);
    const commit = await commitFilesOnTop(
      clone,
      parent,
      { "run.sh": "#!/bin/sh\necho new\n", "CHANGELOG.md": "new\n", "bin/new.sh": "x\n" },
      "Release\n",
    );
    const modes = await gitOutput(clone, ["ls-tree", "-r", commit]);
    const mode = (path: string) =>
      modes.split("\n").find((line) => line.endsWith(`\t${path}`))?.split(" ")[0];
    assertEquals([mode("run.sh"), mode("CHANGELOG.md"), mode("bin/new.sh")], [
      "100755",
      "100644",
      "100644",
    ]);
    assertEquals(await gitOutput(clone, ["cat-file", "-p", `${commit}:CHANGELOG.md`]), "new");
    assertEquals(
      await gitOutput(clone, ["cat-file", "-s", `${commit}:CHANGELOG.md`]),
      "4",
      "no CRLF",
    );
  } finally {
    await removeAll(clone);
  }
});

Deno.test("commitFilesOnTop: paths to leave out are removed from the tree", async () => {
  const clone = await makeClone({
    "pkg/a.py": "a\n",
    "pkg/__pycache__/a.cpython-311.pyc": "x",
    "odd name\twith tab.pyc": "y",
  });
  try {
    const parent = await gitOutput(clone, ["rev-parse", "HEAD"]);
    const commit = await commitFilesOnTop(
      clone,
      parent,
      { "s.json": "{}\n" },
      "stamp\n",
      undefined,
      [
        "pkg/__pycache__/a.cpython-311.pyc",
        "odd name\twith tab.pyc",
      ],
    );
    const files = await gitOutput(clone, ["ls-tree", "-r", "-z", "--name-only", commit]);
    assertEquals(files.split("\0").filter(Boolean).sort(), ["pkg/a.py", "s.json"]);
  } finally {
    await removeAll(clone);
  }
});
