/** The tree hash ("intact") on real git repositories, and `preserve` paths as the stamp has them. */
import { assertEquals, assertMatch, assertNotEquals } from "../../tests/helpers/assert.ts";
import { makeClone, removeAll } from "../../tests/helpers/sdk_clone.ts";
import { commitFiles } from "../../tests/helpers/git_fixtures.ts";
import { git } from "../git/git.ts";
import { SPEC_COPY_PATH, STAMP_PATH } from "./stamp.ts";
import { cleanPath, generatedTreeHash, keptPathsOf } from "./tree.ts";

const IDENTITY = {
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@t",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@t",
};

const GENERATED = {
  "weave_server_sdk/__init__.py": "PATHS = []\n",
  "weave_server_sdk/client.py": "class Client: ...\n",
  "custom/notes.md": "kept from main\n",
};

Deno.test("cleanPath and keptPathsOf: clean, sorted, unique, no empty entries", () => {
  assertEquals(cleanPath(" ./custom/code// "), "custom/code");
  assertEquals(cleanPath("README.md"), "README.md");
  assertEquals(keptPathsOf(["./b/", "a", "b", "", " ./ "]), ["a", "b"]);
  assertEquals(keptPathsOf([]), []);
});

Deno.test("tree hash: content, file mode, added and deleted files count; the stamp and kept paths do not", async () => {
  const clone = await makeClone(GENERATED);
  try {
    const first = await generatedTreeHash(clone, "HEAD");
    assertMatch(first, /^sha256:[0-9a-f]{64}$/);
    // Recommitting the same content (new timestamps, new commit) gives the same hash.
    await git(clone, ["commit", "--quiet", "--allow-empty", "-m", "again"], {
      env: IDENTITY,
    });
    assertEquals(await generatedTreeHash(clone, "HEAD"), first);
    await commitFiles(clone, { message: "a stamp", files: { [STAMP_PATH]: "{}\n" } });
    assertEquals(await generatedTreeHash(clone, "HEAD"), first, "the stamp is not counted");
    await commitFiles(clone, { message: "spec copy", files: { [SPEC_COPY_PATH]: "{}" } });
    assertEquals(
      await generatedTreeHash(clone, "HEAD"),
      first,
      "nor the spec copy beside it (its bytes are the stamp's spec hash)",
    );
    await commitFiles(clone, {
      message: "custom code",
      files: { "custom/notes.md": "edited by hand\n" },
    });
    const edited = await generatedTreeHash(clone, "HEAD");
    assertNotEquals(edited, first, "an edited file counts");
    assertEquals(
      await generatedTreeHash(clone, "HEAD", ["./custom/"]),
      await generatedTreeHash(clone, "HEAD~1", ["custom"]),
      "kept paths do not count",
    );
    await Deno.chmod(`${clone}/weave_server_sdk/client.py`, 0o755);
    await git(clone, ["update-index", "--chmod=+x", "weave_server_sdk/client.py"]);
    await git(clone, ["commit", "--quiet", "-m", "mode"], {
      env: IDENTITY,
    });
    assertNotEquals(await generatedTreeHash(clone, "HEAD"), edited, "a file mode counts");
    const added = await commitFiles(clone, {
      message: "added",
      files: { "weave_server_sdk/new.py": "" },
    });
    const beforeAdd = await generatedTreeHash(clone, `${added}~1`);
    assertNotEquals(await generatedTreeHash(clone, added), beforeAdd, "an added file counts");
    await git(clone, ["rm", "--quiet", "weave_server_sdk/new.py"]);
    await commitFiles(clone, { message: "deleted" });
    assertEquals(
      await generatedTreeHash(clone, "HEAD"),
      beforeAdd,
      "deleting it again restores it",
    );
  } finally {
    await removeAll(clone);
  }
});

Deno.test("tree hash: a kept path is a prefix of whole path parts only", async () => {
  const clone = await makeClone({ "lib/a.py": "1\n", "library/b.py": "2\n" });
  try {
    const all = await generatedTreeHash(clone, "HEAD");
    const withoutLib = await generatedTreeHash(clone, "HEAD", ["lib"]);
    assertNotEquals(withoutLib, all);
    await commitFiles(clone, { message: "edit library", files: { "library/b.py": "3\n" } });
    assertNotEquals(
      await generatedTreeHash(clone, "HEAD", ["lib"]),
      withoutLib,
      "library/ is not under lib/",
    );
  } finally {
    await removeAll(clone);
  }
});
