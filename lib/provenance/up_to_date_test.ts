/** The skip decision, and `check`'s comparison of a stamp with the inputs, on real git repositories. */
import { assert, assertEquals, assertMatch } from "../../tests/helpers/assert.ts";
import { makeClone, removeAll } from "../../tests/helpers/sdk_clone.ts";
import { commitFiles } from "../../tests/helpers/git_fixtures.ts";
import { gitOutput } from "../git/git.ts";
import { commitFilesOnTop as commitOnTop } from "../git/commit_files.ts";
import { parseStamp, renderStamp, type Sha256Ref, STAMP_PATH, type StampInputs } from "./stamp.ts";
import { stampInputs } from "./inputs.ts";
import { generatedTreeHash } from "./tree.ts";
import { compareStamp, compareWithStamp, readStampAt } from "./up_to_date.ts";

const GENERATED = {
  "weave_server_sdk/__init__.py": "PATHS = []\n",
  "weave_server_sdk/client.py": "class Client: ...\n",
  "custom/notes.md": "kept from main\n",
  "pyproject.toml": '[project]\nname = "weave_server_sdk"\nversion = "0.1.0"\n',
};

const TREE = `sha256:${"c".repeat(64)}` as Sha256Ref;

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

Deno.test("compareStamp: a publish release commit on top of main is no hand edit; an edit on top of it is", async () => {
  const { clone, commit } = await stampedClone(inputs());
  try {
    const released = await commitOnTop(clone, commit, {
      "pyproject.toml": '[project]\nname = "weave_server_sdk"\nversion = "0.2.0"\n',
      "CHANGELOG.md": "# Changelog\n\n## 0.2.0\n",
    }, "release: 0.2.0\n");
    const result = await compareStamp(clone, released, inputs(), []);
    assert(result.upToDate, result.reason);
    assertMatch(result.reason, /and is intact \(with the release commit 0\.2\.0 on top\)$/);
    const edited = await commitOnTop(clone, released, {
      "weave_server_sdk/client.py": "# edited after the release\n",
    }, "hand edit\n");
    assertMatch(
      (await compareStamp(clone, edited, inputs(), [])).reason,
      /was changed after it was generated/,
    );
  } finally {
    await removeAll(clone);
  }
});

Deno.test("compareStamp: the stamp's own preserve list decides what is kept, not the current one", async () => {
  const kept = inputs();
  kept.fields.preserve = ["custom"];
  const { clone } = await stampedClone(kept, ["custom"]);
  try {
    const edited = await commitFiles(clone, {
      message: "custom",
      files: { "custom/notes.md": "my own notes\n" },
    });
    // Whatever this run's preserve says, the generation kept custom/ (as its stamp records).
    const result = await compareStamp(clone, edited, kept, []);
    assert(result.upToDate, result.reason);
  } finally {
    await removeAll(clone);
  }
});

Deno.test("compareWithStamp: each input that differs is named; a version the generator cannot tell here is noted", async () => {
  const stamped = inputs();
  stamped.fields.generator_version = "1.0.0";
  const stamp = parseStamp(await renderStamp(stamped, TREE), "test stamp");
  assertEquals(await compareWithStamp(stamp, stamped), { changes: [], notes: [] });

  const hooked = inputs();
  hooked.fields.generator_version = "1.0.0";
  hooked.fields.post_generate = [["npm", "pkg", "set", "name={package}"]];
  hooked.fields.preserve = ["lib"];
  const changed = await compareWithStamp(stamp, hooked);
  assertEquals(changed.changes, [
    'post_generate [] → [["npm","pkg","set","name={package}"]]',
    'preserve null → ["lib"]',
  ]);

  // Not installed where `check` runs: compared without the version, and said so.
  const unknown = inputs();
  const same = await compareWithStamp(stamp, unknown);
  assertEquals(same.changes, []);
  assertEquals(same.notes, [
    'fake did not tell its version here (is it installed?): the stamp\'s generator_version "1.0.0" was not compared',
  ]);
  unknown.fields.package_name = "other_sdk";
  assertEquals((await compareWithStamp(stamp, unknown)).changes, [
    'package_name "weave_server_sdk" → "other_sdk"',
  ]);
  // Another version is a change.
  const upgraded = inputs();
  upgraded.fields.generator_version = "1.1.0";
  assertEquals((await compareWithStamp(stamp, upgraded)).changes, [
    'generator_version "1.0.0" → "1.1.0"',
  ]);
});
