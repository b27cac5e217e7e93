/** The tree hash and the skip decision on real git repositories. */
import { assert, assertEquals, assertMatch, assertNotEquals } from "../../tests/helpers/assert.ts";
import { makeClone, removeAll } from "../../tests/helpers/sdk_clone.ts";
import { commitFiles } from "../../tests/helpers/git_fixtures.ts";
import { git, gitOutput } from "../git/git.ts";
import {
  renderStamp,
  type Sha256Ref,
  SPEC_COPY_PATH,
  STAMP_PATH,
  type StampInputs,
} from "./stamp.ts";
import { stampInputs } from "./inputs.ts";
import { generatedTreeHash } from "./tree.ts";
import { compareStamp, readStampAt } from "./up_to_date.ts";

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

function inputs(specSha = "a"): StampInputs {
  return stampInputs(
    {
      spec: { path: "tools/codegen/openapi.json", sha256: `sha256:${specSha.repeat(64)}` },
      config: { path: "tools/codegen/openapi.stainless.yml", sha256: null },
      configuredEndpoints: null,
    },
    "python",
    {
      generator: "fake",
      generator_version: null,
      generator_command: ["fake", "{out}"],
      generator_config: null,
      package_name: "weave_server_sdk",
      post_generate: [],
    },
  );
}

/** A commit holding GENERATED and a stamp of `stamped` whose tree hash is of that commit. */
async function stampedClone(stamped: StampInputs, kept: string[] = []) {
  const clone = await makeClone(GENERATED);
  const tree = await generatedTreeHash(clone, "HEAD", kept);
  const commit = await commitFiles(clone, {
    message: "stamp",
    files: { [STAMP_PATH]: await renderStamp(stamped, tree) },
  });
  return { clone, commit };
}

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

Deno.test("compareStamp: up to date; other inputs; hand-edited; no stamp; no main", async () => {
  const { clone, commit } = await stampedClone(inputs());
  try {
    const same = await compareStamp(clone, commit, inputs(), []);
    assert(same.upToDate, same.reason);
    assertMatch(same.reason, /generated from the same inputs .* and is intact/);

    const other = await compareStamp(clone, commit, inputs("e"), []);
    assert(!other.upToDate);
    assertMatch(
      other.reason,
      /inputs changed since main \(\w+\) was generated: the spec \(tools\/codegen\/openapi\.json\)/,
    );
    const newer = inputs();
    newer.fields.generator_version = "2.0";
    const upgraded = await compareStamp(clone, commit, newer, []);
    assertMatch(upgraded.reason, /generator_version null → "2\.0"/);

    const edited = await commitFiles(clone, {
      message: "hand edit",
      files: { "weave_server_sdk/client.py": "# edited\n" },
    });
    const handEdited = await compareStamp(clone, edited, inputs(), []);
    assert(!handEdited.upToDate);
    assertMatch(handEdited.reason, /was changed after it was generated/);

    const first = await gitOutput(clone, ["rev-list", "--max-parents=0", "HEAD"]);
    assertMatch(
      (await compareStamp(clone, first, inputs(), [])).reason,
      /has no \.codegen\/origin\.json/,
    );
    assertEquals((await compareStamp(clone, undefined, inputs(), [])).upToDate, false);

    const broken = await commitFiles(clone, {
      message: "broken stamp",
      files: { [STAMP_PATH]: "not json" },
    });
    const found = await readStampAt(clone, broken);
    assertEquals(found.kind, "invalid");
    assertMatch(
      (await compareStamp(clone, broken, inputs(), [])).reason,
      /not a codegen origin stamp/,
    );
  } finally {
    await removeAll(clone);
  }
});

Deno.test("compareStamp: edits under preserved paths keep main up to date", async () => {
  const kept = ["custom"];
  const { clone } = await stampedClone(inputs(), kept);
  try {
    const edited = await commitFiles(clone, {
      message: "custom",
      files: { "custom/notes.md": "my own notes\n" },
    });
    const result = await compareStamp(clone, edited, inputs(), kept);
    assert(result.upToDate, result.reason);
    const sha: Sha256Ref = result.key;
    assertMatch(sha, /^sha256:/);
  } finally {
    await removeAll(clone);
  }
});
