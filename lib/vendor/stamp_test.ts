/** The stamp's format and bytes, and `check` on stamps that are missing, foreign or tampered. */
import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../tests/helpers/assert.ts";
import { join } from "../core/paths.ts";
import { removeIfExists } from "../core/fs.ts";
import { buildStamp, formatStamp, parseStamp, readStamp, stampPathFor } from "./stamp.ts";
import { checkVendoredCopy, compareInputs, describeVendorCheck } from "./check.ts";
import { hashTree } from "./tree_hash.ts";

const ORIGIN = {
  "tools/codegen/openapi.stainless.yml": "sha256:bb",
  "tools/codegen/openapi.json": "sha256:aa",
  codegen: { version: "0.1.0", generator: "stainful", groups: ["calls"] },
};
const FILE = { path: "a.py", mode: "100644" as const, blob: "0".repeat(40) };

Deno.test("buildStamp adds codegen.vendor to a copy; formatStamp sorts keys at every level", () => {
  const origin = structuredClone(ORIGIN);
  const stamp = buildStamp(origin, {
    subtree: "weave_server_sdk",
    importPath: "weave.vendor.weave_server_sdk",
    tree: "1".repeat(40),
    files: [FILE],
  });
  assertEquals(origin, ORIGIN);
  const text = formatStamp(stamp);
  assertEquals(
    text,
    `{
  "codegen": {
    "generator": "stainful",
    "groups": [
      "calls"
    ],
    "vendor": {
      "files": {
        "a.py": "100644 ${"0".repeat(40)}"
      },
      "import_path": "weave.vendor.weave_server_sdk",
      "subtree": "weave_server_sdk",
      "tree": "${"1".repeat(40)}"
    },
    "version": "0.1.0"
  },
  "tools/codegen/openapi.json": "sha256:aa",
  "tools/codegen/openapi.stainless.yml": "sha256:bb"
}
`,
  );
  assertEquals(formatStamp(JSON.parse(text)), text);
  assertEquals(parseStamp(text, "s.json").vendor?.files, [FILE]);
  assertEquals(formatStamp({ name: "é" }), '{\n  "name": "\\u00e9"\n}\n');
});

Deno.test("parseStamp names the file and what is wrong", () => {
  for (
    const [text, why] of [
      ["{", "not valid JSON"],
      ["[]", "not a JSON object"],
      ['{"codegen": 1}', "`codegen` is not an object"],
      ['{"codegen": {"vendor": {"tree": "x"}}}', "needs `tree` and `files`"],
      ['{"codegen": {"vendor": {"tree": "x", "files": {"a": "644 x"}}}}', "entry a is not"],
    ]
  ) {
    const error = assertThrows(() => parseStamp(text, "w.origin.json"));
    assertStringIncludes(error.message, "the vendoring stamp w.origin.json is malformed: ");
    assertStringIncludes(error.message, why);
  }
});

Deno.test("compareInputs: changed, new and dropped inputs, and codegen entries", () => {
  const read = parseStamp(JSON.stringify(ORIGIN), "s");
  assertEquals(compareInputs(read), []);
  assertEquals(
    compareInputs(read, { "tools/codegen/openapi.json": "sha256:aa", "groups.yml": "sha256:cc" }, {
      generator: "stainful",
      groups: ["calls", "objects"],
    }),
    [
      { key: "groups.yml", stamped: undefined, current: "sha256:cc" },
      { key: "tools/codegen/openapi.stainless.yml", stamped: "sha256:bb", current: undefined },
      { key: "codegen.groups", stamped: ["calls"], current: ["calls", "objects"] },
    ],
  );
});

Deno.test("check: a missing, a foreign (Weave's own) and a tampered stamp", async () => {
  const repo = await Deno.makeTempDir({ prefix: "vendor-check-" });
  const destination = join(repo, "pkg");
  try {
    await Deno.mkdir(destination);
    await Deno.writeTextFile(join(destination, "a.py"), "x = 1\n");
    const check = () => checkVendoredCopy({ repoRoot: repo, vendorDir: "pkg" });
    assertEquals((await check()).stamp, "missing");
    assertStringIncludes(describeVendorCheck(await check(), repo)[0], "pkg: no stamp pkg.origin");

    await Deno.writeTextFile(stampPathFor(destination), JSON.stringify(ORIGIN));
    const foreign = await check();
    assertEquals([foreign.stamp, foreign.inSync], ["foreign", false]);

    const hashed = await hashTree(destination);
    const stamp = buildStamp(ORIGIN, { subtree: "pkg", ...hashed });
    await Deno.writeTextFile(stampPathFor(destination), formatStamp(stamp));
    assertEquals((await check()).inSync, true);

    const tampered = JSON.parse(formatStamp(stamp));
    tampered.codegen.vendor.files["b.py"] = `100644 ${"2".repeat(40)}`;
    await Deno.writeTextFile(stampPathFor(destination), JSON.stringify(tampered));
    const invalid = await check();
    assertEquals(invalid.stamp, "invalid");
    assertStringIncludes(invalid.stampProblem ?? "", "its file list hashes to");

    await Deno.writeTextFile(stampPathFor(destination), "{");
    assertEquals((await check()).stamp, "invalid");
    await removeIfExists(destination);
    await Deno.writeTextFile(stampPathFor(destination), formatStamp(stamp));
    assertEquals((await check()).files.removed, ["a.py"]);
  } finally {
    await removeIfExists(repo);
  }
});

Deno.test("readStamp of a directory is an error, not a missing stamp", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "pkg.origin.json"));
    await assertRejects(() => readStamp(join(dir, "pkg.origin.json")));
  } finally {
    await removeIfExists(dir);
  }
});
