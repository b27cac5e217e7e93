import { assert, assertEquals, assertNotEquals, assertThrows } from "../../tests/helpers/assert.ts";
import {
  canonicalJson,
  inputsKey,
  parseStamp,
  renderStamp,
  type Sha256Ref,
  STAMP_PATH,
  type StampInputs,
} from "./stamp.ts";
import { stampInputs } from "./inputs.ts";

const SPEC_SHA = `sha256:${"a".repeat(64)}` as Sha256Ref;
const CONFIG_SHA = `sha256:${"b".repeat(64)}` as Sha256Ref;
const TREE = `sha256:${"c".repeat(64)}` as Sha256Ref;

function inputs(): StampInputs {
  return stampInputs(
    {
      spec: { path: "tools/codegen/openapi.json", sha256: SPEC_SHA },
      config: { path: "tools/codegen/openapi.stainless.yml", sha256: CONFIG_SHA },
      configuredEndpoints: 8,
    },
    "python",
    {
      generator: "openapi-python-client",
      generator_version: "0.29.1",
      generator_command: ["openapi-python-client", "generate", "--path", "{oas}"],
      generator_config: `sha256:${"d".repeat(64)}`,
      package_name: "weave_server_sdk",
      post_generate: [["ruff", "format", "."]],
    },
  );
}

Deno.test("canonicalJson: sorted keys at every level, arrays in order, no whitespace", () => {
  assertEquals(
    canonicalJson({ b: 1, a: { d: [3, { z: 1, y: null }], c: "x" }, u: undefined }),
    '{"a":{"c":"x","d":[3,{"y":null,"z":1}]},"b":1}',
  );
  assertEquals(canonicalJson({ b: 1, a: 2 }), canonicalJson({ a: 2, b: 1 }));
});

Deno.test("the stamp's bytes: the two files first, codegen's fields in a fixed order, newline", async () => {
  const text = await renderStamp(inputs(), TREE);
  const key = await inputsKey(inputs());
  assertEquals(
    text,
    `{
  "tools/codegen/openapi.json": "${SPEC_SHA}",
  "tools/codegen/openapi.stainless.yml": "${CONFIG_SHA}",
  "codegen": {
    "stamp_version": 1,
    "target": "python",
    "generator": "openapi-python-client",
    "generator_version": "0.29.1",
    "generator_command": [
      "openapi-python-client",
      "generate",
      "--path",
      "{oas}"
    ],
    "generator_config": "sha256:${"d".repeat(64)}",
    "package_name": "weave_server_sdk",
    "post_generate": [
      [
        "ruff",
        "format",
        "."
      ]
    ],
    "endpoint_groups": null,
    "codegen_version": "${inputs().fields.codegen_version}",
    "configured_endpoints": 8,
    "inputs": "${key}",
    "tree": "${TREE}"
  }
}
`,
  );
  // Stable: the same inputs give the same bytes, whatever order the fields were built in.
  const shuffled = inputs();
  shuffled.fields = Object.fromEntries(
    Object.entries(shuffled.fields).reverse(),
  ) as typeof shuffled.fields;
  assertEquals(await renderStamp(shuffled, TREE), text);
});

Deno.test("the inputs key changes with every input and nothing else", async () => {
  const base = await inputsKey(inputs());
  assertEquals(await inputsKey(inputs()), base);
  const changed: Array<(i: StampInputs) => void> = [
    (i) => i.spec.sha256 = `sha256:${"e".repeat(64)}`,
    (i) => i.config.sha256 = null,
    (i) => i.spec.path = "openapi.json",
    (i) => i.fields.generator_version = "0.29.2",
    (i) => i.fields.generator_command = ["openapi-python-client", "generate"],
    (i) => i.fields.generator_config = null,
    (i) => i.fields.package_name = "other_sdk",
    // post_generate hooks change the tree: another hook, none, or a generator that runs none.
    (i) => i.fields.post_generate = [["ruff", "format", "src"]],
    (i) => i.fields.post_generate = [],
    (i) => i.fields.post_generate = null,
    // The paths kept from main: recorded only when there are some.
    (i) => i.fields.preserve = ["weave_server_sdk/lib"],
    (i) => i.fields.codegen_version = "9.9.9",
    (i) => i.fields.target = "typescript",
    // Endpoint groups (issue 11): a selection object is part of the key.
    (i) =>
      i.fields.endpoint_groups = { groups: [{ name: "core", include: ["/call/*"], exclude: [] }] },
  ];
  const keys = new Set([base]);
  for (const change of changed) {
    const next = inputs();
    change(next);
    keys.add(await inputsKey(next));
  }
  assertEquals(keys.size, changed.length + 1, "every change gives a key of its own");
  // The tree hash is not an input: rendering with another tree keeps the key.
  const a = parseStamp(await renderStamp(inputs(), TREE), STAMP_PATH);
  const b = parseStamp(await renderStamp(inputs(), `sha256:${"f".repeat(64)}`), STAMP_PATH);
  assertEquals(a.codegen.inputs, b.codegen.inputs);
  assertNotEquals(a.codegen.tree, b.codegen.tree);
});

Deno.test("parseStamp reads codegen's stamps and Weave's own keys, and rejects what is not one", async () => {
  const stamp = parseStamp(await renderStamp(inputs(), TREE), STAMP_PATH);
  assertEquals(stamp.files, {
    "tools/codegen/openapi.json": SPEC_SHA,
    "tools/codegen/openapi.stainless.yml": CONFIG_SHA,
  });
  assertEquals(stamp.codegen.generator, "openapi-python-client");
  assertEquals(stamp.codegen.tree, TREE);
  // Weave's vendoring stamp has `core_commit` (not a file hash): ignored.
  const weave = JSON.parse(await renderStamp(inputs(), TREE));
  weave.core_commit = "0123abc";
  assert(!("core_commit" in parseStamp(JSON.stringify(weave), STAMP_PATH).files));
  assertThrows(() => parseStamp("{", "x"), /not JSON/);
  assertThrows(() => parseStamp("[]", "x"), /not a JSON object/);
  assertThrows(() => parseStamp('{"a": "sha256:00"}', "x"), /no `codegen` object/);
  assertThrows(
    () => parseStamp('{"codegen": {"inputs": "sha256:00", "tree": "x"}}', "x"),
    /no `codegen.inputs`/,
  );
});

Deno.test("preserve: absent from the stamp (and the key) when none; after post_generate when some", async () => {
  const none = await renderStamp(inputs(), TREE);
  assert(!none.includes('"preserve"'));
  assertEquals(parseStamp(none, STAMP_PATH).codegen.preserve, undefined);
  const kept = inputs();
  kept.fields.preserve = ["README.md", "weave_server_sdk/lib"];
  const text = await renderStamp(kept, TREE);
  assert(
    text.includes(
      '  ],\n    "preserve": [\n      "README.md",\n      "weave_server_sdk/lib"\n    ],\n' +
        '    "endpoint_groups"',
    ),
    text,
  );
  assertEquals(parseStamp(text, STAMP_PATH).codegen.preserve, [
    "README.md",
    "weave_server_sdk/lib",
  ]);
  const bad = JSON.parse(text);
  bad.codegen.preserve = "README.md";
  assertThrows(() => parseStamp(JSON.stringify(bad), "x"), /`codegen.preserve` is not a list/);
});
