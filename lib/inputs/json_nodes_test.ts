/** Finding and editing nodes of a JSON document: JSONPath, matches_schema, pointers, edits. */
import { assert, assertEquals, assertRejects, assertThrows } from "../../tests/helpers/assert.ts";
import {
  deepMerge,
  destination,
  isDeepEqual,
  jsonPathSyntaxProblem,
  pointerSegments,
  renameKey,
  resolveTarget,
  writeAt,
} from "./json_nodes.ts";

const fail = (why: string): never => {
  throw new Error(why);
};

const doc = () => ({
  components: {
    schemas: {
      Id: { type: "string", format: "uuid" },
      Call: { properties: { id: { type: "string", format: "uuid" }, n: { type: "integer" } } },
      Other: { properties: { ref: { type: "string", format: "uuid" } } },
    },
  },
});

Deno.test("resolveTarget: a JSONPath gives each node with its parent, key and path", async () => {
  const d = doc();
  const matches = await resolveTarget(d, "$.components.schemas[*].properties.id", fail);
  assertEquals(matches.length, 1);
  assertEquals(matches[0].key, "id");
  assertEquals(matches[0].path, "$['components']['schemas']['Call']['properties']['id']");
  assert(matches[0].parent === d.components.schemas.Call.properties, "the real parent object");
  await assertRejects(() => resolveTarget(d, "$[?(", fail), /invalid JSONPath \$\[\?\(/);
});

Deno.test("jsonPathSyntaxProblem: what JSONPath Plus would silently take for a path", () => {
  const cases: [string, string | undefined][] = [
    ["$.[[[", '"[" at character 5 is never closed'],
    ["$.paths[", '"[" at character 8 is never closed'],
    ["$.a[0", '"[" at character 4 is never closed'],
    ["$.a)", 'unexpected ")" at character 4'],
    ["$.a[(0])", 'unexpected "]" at character 7'],
    ["$.a[]", 'empty "[]" at character 4'],
    ["$['a]", "unterminated ' quote from character 3"],
    ["$.a..", "it ends with a dot"],
    // Well formed, as Stainless configs write them (JSONPath Plus syntax).
    ["$.paths./calls/stream_query.post.responses.200.content.application/json", undefined],
    ["$.components.schemas.Query.properties.$expr", undefined],
    ["$..[?(@.type == 'a]b' && @.x)]", undefined],
    ["$['a\\'b'][0]", undefined],
    ["$.a.`.", undefined],
    ["$..book[(@.length-1)]", undefined],
  ];
  for (const [path, problem] of cases) assertEquals(jsonPathSyntaxProblem(path), problem, path);
});

Deno.test("resolveTarget: matches_schema finds every equal node, minus the ignored ones", async () => {
  const d = doc();
  const all = await resolveTarget(d, { matches_schema: "$.components.schemas.Id" }, fail);
  assertEquals(all.map((m) => m.path), [
    "$['components']['schemas']['Id']",
    "$['components']['schemas']['Call']['properties']['id']",
    "$['components']['schemas']['Other']['properties']['ref']",
  ]);
  const some = await resolveTarget(d, {
    matches_schema: "$.components.schemas.Id",
    ignore: ["$.components.schemas.Id", "$.components.schemas.Other.properties.ref"],
  }, fail);
  assertEquals(some.map((m) => m.key), ["id"]);
  await assertRejects(
    () => resolveTarget(d, { matches_schema: "$.components.schemas[*]" }, fail),
    /must select one schema \(3\)/,
  );
});

Deno.test("isDeepEqual compares structure, not identity or key order", () => {
  assert(isDeepEqual({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] }));
  assert(!isDeepEqual({ a: 1 }, { a: 1, b: undefined }));
  assert(!isDeepEqual([1, 2], [2, 1]));
  assert(!isDeepEqual({ 0: 1 }, [1]));
  assert(!isDeepEqual("1", 1));
});

Deno.test("deepMerge merges mappings, replaces the rest, and null removes a key", () => {
  const target: Record<string, unknown> = { a: { b: 1, c: 2 }, list: [1], gone: true };
  const inner = { e: 4 };
  deepMerge(target, { a: { c: 3, d: inner }, list: [2], gone: null });
  assertEquals(target, { a: { b: 1, c: 3, d: { e: 4 } }, list: [2] });
  inner.e = 5;
  assertEquals(target, { a: { b: 1, c: 3, d: { e: 4 } }, list: [2] }, "values are copied");
});

Deno.test("pointerSegments decodes ~1, ~0 and %-escapes; anything else is not a pointer", () => {
  assertEquals(pointerSegments("#/components/schemas/A~1B~0C%20D"), [
    "components",
    "schemas",
    "A/B~C D",
  ]);
  assertEquals(pointerSegments("other.json#/x"), undefined);
});

Deno.test("destination creates missing mappings on the way; a scalar in the way is undefined", () => {
  const d: Record<string, unknown> = { a: { x: 1 } };
  const found = destination(d, ["a", "b", "c"]);
  assertEquals(found?.key, "c");
  assertEquals(d, { a: { x: 1, b: {} } });
  assertEquals(destination(d, ["a", "x", "y"]), undefined);
});

Deno.test("writeAt writes at a plain path whose parent exists; wildcards are refused", () => {
  const d: Record<string, unknown> = { a: { list: [{}, {}] } };
  assert(writeAt(d, "$.a.list[1]['k']", "v", fail));
  assertEquals(d, { a: { list: [{}, { k: "v" }] } });
  assert(!writeAt(d, "$.missing.k", 1, fail), "no parent: nothing written");
  assertThrows(() => writeAt(d, "$.a[*]", 1, fail), /must be a plain path to one place/);
  assertThrows(() => writeAt(d, "$..a", 1, fail), /must be a plain path to one place/);
  assertThrows(() => writeAt(d, "a.b", 1, fail), /must start with \$/);
  assertThrows(() => writeAt(d, "$", 1, fail), /must name a place below the root/);
});

Deno.test("renameKey keeps the key's position", () => {
  const object = { first: 1, old: 2, last: 3 };
  renameKey(object, "old", "new");
  assertEquals(Object.entries(object), [["first", 1], ["new", 2], ["last", 3]]);
});
