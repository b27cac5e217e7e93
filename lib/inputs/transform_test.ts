import { assert, assertEquals, assertRejects, assertThrows } from "../../tests/helpers/assert.ts";
import { weaveFile } from "../../tests/helpers/weave.ts";
import { CodegenError } from "../core/errors.ts";
import type { OpenApiDocument } from "../spec/openapi.ts";
import { readSpecFile } from "./operations.ts";
import { type ConfigTransformation, readStainlessConfig } from "./stainless_config.ts";
import {
  applyTransformations,
  checkTransformations,
  TRANSFORMATION_COMMANDS,
} from "./transform.ts";

// deno-lint-ignore no-explicit-any
type Doc = any;

function spec(): Doc {
  return {
    openapi: "3.1.0",
    info: { title: "t", version: "1.0", description: "Trace API" },
    paths: {
      "/a": {
        get: {
          summary: "A",
          parameters: [{ name: "id", in: "query", schema: { type: "integer" } }],
          responses: { "200": { content: { "application/json": { schema: { type: "string" } } } } },
        },
      },
      "/b": {
        post: {
          parameters: [
            { name: "id", in: "query", schema: { type: "integer" } },
            { name: "x", in: "query", schema: { type: "string" } },
          ],
        },
      },
    },
    components: {
      schemas: {
        Err: { type: "object", properties: { msg: { type: "string" } } },
        Item: {
          type: "object",
          required: ["name"],
          properties: {
            name: { type: "string" },
            error: { type: "object", properties: { msg: { type: "string" } } },
            pair: { type: "array", prefixItems: [{ type: "string" }, { type: "string" }] },
          },
        },
      },
    },
  };
}

function t(command: string, args: Record<string, unknown>, line = 10): ConfigTransformation {
  return { index: 0, command, args, line };
}

async function apply(doc: Doc, ...list: ConfigTransformation[]) {
  const before = structuredClone(doc);
  const result = await applyTransformations(doc as OpenApiDocument, list, "s.yml");
  assertEquals(doc, before, "the input spec is never changed");
  return { doc: result.spec as Doc, outcomes: result.outcomes };
}

async function applyError(doc: Doc, transformation: ConfigTransformation): Promise<string> {
  const error = await assertRejects(() => applyTransformations(doc, [transformation], "s.yml"));
  assert(error instanceof CodegenError && error.exitCode === 2, String(error));
  return error.message;
}

Deno.test("update: replaces every match; template keeps the old value; fails at the root", async () => {
  const { doc, outcomes } = await apply(
    spec(),
    t("update", { target: "$.paths..parameters[?(@.name == 'id')].schema.type", value: "string" }),
    t("update", { target: "$.info.description", value: "[BETA] {{value}}", template: true }),
    t("update", { target: "$.info.nothing", value: 1 }),
  );
  assertEquals(doc.paths["/a"].get.parameters[0].schema, { type: "string" });
  assertEquals(doc.paths["/b"].post.parameters[0].schema, { type: "string" });
  assertEquals(doc.paths["/b"].post.parameters[1].schema, { type: "string" });
  assertEquals(doc.info.description, "[BETA] Trace API");
  assertEquals(outcomes.map((o) => [o.changed, o.unmatched]), [[2, []], [1, []], [0, [
    "$.info.nothing",
  ]]]);
  assertEquals(
    await applyError(spec(), t("update", { target: "$.info", value: "x", template: true })),
    "s.yml:10: transformation update: with `template: true`, `args.value` must be a string containing {{value}}",
  );
  assertEquals(
    await applyError(spec(), t("update", { target: "$", value: {} })),
    "s.yml:10: transformation update: cannot replace the document root",
  );
});

Deno.test("update with matches_schema replaces the duplicates of a schema, not the ignored original", async () => {
  const { doc } = await apply(
    spec(),
    t("update", {
      target: [{ matches_schema: "$.components.schemas.Err", ignore: "$.components.schemas.Err" }],
      value: { $ref: "#/components/schemas/Err" },
    }),
  );
  assertEquals(doc.components.schemas.Item.properties.error, { $ref: "#/components/schemas/Err" });
  assertEquals(doc.components.schemas.Err, spec().components.schemas.Err);
});

Deno.test("append: adds properties (never over an existing one) and array items", async () => {
  const { doc } = await apply(
    spec(),
    t("append", {
      target: "$.components.schemas.Item.properties",
      value: { id: { type: "string" } },
    }),
    t("append", { target: "$.components.schemas.Item.required", value: ["id"] }),
    t("append", { target: "$.components.schemas.Item.required", value: "error" }),
  );
  assertEquals(Object.keys(doc.components.schemas.Item.properties), [
    "name",
    "error",
    "pair",
    "id",
  ]);
  assertEquals(doc.components.schemas.Item.required, ["name", "id", "error"]);
  assertEquals(
    await applyError(
      spec(),
      t("append", { target: "$.components.schemas.Item.properties", value: { name: {} } }),
    ),
    "s.yml:10: transformation append: $['components']['schemas']['Item']['properties'] already has `name`",
  );
});

Deno.test("merge and mergeObject: deep merge, null removes a key, lists of targets", async () => {
  const { doc, outcomes } = await apply(
    spec(),
    t("merge", {
      target: "$.components.schemas.Item",
      value: { properties: { name: { minLength: 1 } }, description: "An item" },
    }),
    t("mergeObject", {
      target: ["$.components.schemas.Item.properties.pair", "$.components.schemas.Err"],
      object: { items: { $ref: "#/components/schemas/Err" }, prefixItems: null },
    }),
  );
  const item = doc.components.schemas.Item;
  assertEquals(item.properties.name, { type: "string", minLength: 1 });
  assertEquals(item.description, "An item");
  assertEquals(item.properties.pair, {
    type: "array",
    items: { $ref: "#/components/schemas/Err" },
  });
  assertEquals(doc.components.schemas.Err.items, { $ref: "#/components/schemas/Err" });
  assertEquals(outcomes.map((o) => o.changed), [1, 2]);
  assertEquals(
    await applyError(spec(), t("mergeObject", { target: "$.info.title", object: { a: 1 } })),
    "s.yml:10: transformation mergeObject: $['info']['title'] is not a mapping",
  );
});

Deno.test("remove: whole nodes (array items included) or keys of a mapping", async () => {
  const { doc, outcomes } = await apply(
    spec(),
    t("remove", { target: "$.paths./b.post.parameters[*]" }),
    t("remove", { target: "$.components.schemas.Item", keys: ["required", "absent"] }),
    t("remove", { target: "$.components.schemas.Err" }),
    t("remove", { target: "$.components.schemas.Item", keys: ["absent"] }),
  );
  assertEquals(doc.paths["/b"].post.parameters, []);
  assertEquals(doc.components.schemas.Item.required, undefined);
  assertEquals(Object.keys(doc.components.schemas), ["Item"]);
  assertEquals(outcomes.map((o) => o.changed), [2, 1, 1, 0]);
});

Deno.test("copy and move: from one node to places whose parent exists", async () => {
  const { doc, outcomes } = await apply(
    spec(),
    t("copy", {
      from: "$.components.schemas.Err",
      to: ["$.components.schemas.Error", "$.components.schemas['Other']", "$.nowhere.x"],
    }),
    t("move", {
      from: "$.components.schemas.Item.properties.error",
      to: "$.components.schemas.Nested",
    }),
    t("copy", { from: "$.components.schemas.Missing", to: "$.components.schemas.X" }),
  );
  const schemas = doc.components.schemas;
  assertEquals(schemas.Error, schemas.Err);
  assertEquals(schemas.Other, schemas.Err);
  assert(schemas.Error !== schemas.Err, "copies are independent");
  assertEquals(schemas.Nested, spec().components.schemas.Item.properties.error);
  assertEquals(schemas.Item.properties.error, undefined);
  assertEquals(outcomes.map((o) => [o.changed, o.unmatched]), [
    [2, ["$.nowhere.x"]],
    [1, []],
    [0, ["$.components.schemas.Missing"]],
  ]);
  assertEquals(
    await applyError(spec(), t("copy", { from: "$.paths.*", to: "$.x" })),
    "s.yml:10: transformation copy: `args.from` matches 2 nodes, not one",
  );
  assertEquals(
    await applyError(spec(), t("copy", { from: "$.info", to: "$.paths.*.x" })),
    "s.yml:10: transformation copy: $.paths.*.x must be a plain path to one place (no wildcard, filter or ..)",
  );
});

Deno.test("extractToRefs: the node becomes a named schema and a $ref to it", async () => {
  const { doc } = await apply(
    spec(),
    t("extractToRefs", {
      ref: {
        target: "$.components.schemas.Item.properties.error",
        name: "#/components/schemas/Error",
      },
    }),
  );
  assertEquals(doc.components.schemas.Error, spec().components.schemas.Item.properties.error);
  assertEquals(doc.components.schemas.Item.properties.error, {
    $ref: "#/components/schemas/Error",
  });
  assertEquals(
    await applyError(
      spec(),
      t("extractToRefs", {
        ref: {
          target: "$.components.schemas.Item.properties.name",
          name: "#/components/schemas/Err",
        },
      }),
    ),
    "s.yml:10: transformation extractToRefs: #/components/schemas/Err already exists with another schema",
  );
  assertEquals(
    await applyError(spec(), t("extractToRefs", { ref: { target: "$.info", name: "Err" } })),
    's.yml:10: transformation extractToRefs: `args.ref.name` must be a reference like "#/components/schemas/Name"',
  );
});

Deno.test("renameKey: keeps the key's position; refuses to overwrite", async () => {
  const { doc } = await apply(
    spec(),
    t("renameKey", {
      target: "$.paths./a.get.responses.200.content.application/json",
      to: "application/jsonl",
    }),
    t("renameKey", { target: "$.components.schemas.Item.properties.name", to: "title" }),
  );
  assertEquals(Object.keys(doc.paths["/a"].get.responses["200"].content), ["application/jsonl"]);
  assertEquals(Object.keys(doc.components.schemas.Item.properties), ["title", "error", "pair"]);
  assertEquals(
    await applyError(spec(), t("renameKey", { target: "$.components.schemas.Err", to: "Item" })),
    "s.yml:10: transformation renameKey: $['components']['schemas']['Err']: `Item` exists",
  );
});

Deno.test("an unknown command or bad arguments name the command and the config line", async () => {
  assertEquals(
    await applyError(spec(), t("mergeObjects", { target: "$.info" }, 42)),
    "s.yml:42: unknown transformation command `mergeObjects` (did you mean `mergeObject`?)",
  );
  assertEquals(
    await applyError(spec(), t("flatten", {}, 7)),
    "s.yml:7: unknown transformation command `flatten`",
  );
  assertEquals(
    await applyError(spec(), t("update", { value: 1 })),
    "s.yml:10: transformation update: `args.target` is missing",
  );
  assertEquals(
    await applyError(spec(), t("update", { target: "$..[?(@.a.b(", value: 1 })),
    's.yml:10: transformation update: invalid JSONPath $..[?(@.a.b(: "(" at character 12 is never closed',
  );
  // Well formed, but refused by JSONPath Plus itself.
  assertEquals(
    await applyError(spec(), t("update", { target: "$..[?(@.x ==)]", value: 1 })),
    "s.yml:10: transformation update: invalid JSONPath $..[?(@.x ==)]: Expected expression after == at character 9",
  );
  assertEquals(TRANSFORMATION_COMMANDS, [
    "update",
    "append",
    "merge",
    "remove",
    "copy",
    "move",
    "extractToRefs",
    "mergeObject",
    "renameKey",
  ]);
});

Deno.test("checkTransformations refuses, without a spec, what no spec could take", async () => {
  const checkError = (transformation: ConfigTransformation) => {
    const error = assertThrows(() => checkTransformations([transformation], "s.yml"));
    assert(error instanceof CodegenError && error.exitCode === 2, String(error));
    return error.message;
  };
  assertEquals(
    checkError(t("mergeObjekt", { target: "$.info", object: {} }, 63)),
    "s.yml:63: unknown transformation command `mergeObjekt` (did you mean `mergeObject`?)",
  );
  assertEquals(
    checkError(t("mergeObject", { target: "$.info" })),
    "s.yml:10: transformation mergeObject: `args.object` is missing",
  );
  assertEquals(
    checkError(t("remove", { target: { matches_schema: "$.a[" } })),
    's.yml:10: transformation remove: invalid JSONPath $.a[: "[" at character 4 is never closed',
  );
  assertEquals(
    checkError(t("move", { from: "$.a", to: ["$.b", "$.c"] })),
    "s.yml:10: transformation move: `args.to` must be one JSONPath for move",
  );
  assertEquals(
    checkError(t("extractToRefs", { ref: { target: "$.a", name: "Expr" } })),
    's.yml:10: transformation extractToRefs: `args.ref.name` must be a reference like "#/components/schemas/Name"',
  );
  // What a target matches is the run's business: these pass here whatever the spec holds.
  checkTransformations([
    t("update", { target: { matches_schema: "$.components.schemas.Nope" }, value: 1 }),
    t("copy", { from: "$.nowhere", to: "$.elsewhere" }),
  ], "s.yml");
  // The real Weave config passes.
  const config = await readStainlessConfig(weaveFile("openapi.stainless.yml"));
  checkTransformations(config.transformations, config.file);
});

Deno.test("the real Weave config's transformations create Expr and Operation, and change only a copy", async () => {
  const config = await readStainlessConfig(weaveFile("openapi.stainless.yml"));
  const original = await readSpecFile(weaveFile("openapi.json"));
  const { doc, outcomes } = await apply(original, ...config.transformations);
  const schemas = doc.components.schemas;
  assertEquals(schemas.Query.properties.$expr, { $ref: "#/components/schemas/Expr" });
  assertEquals(schemas.ConvertSpec.properties.input, { $ref: "#/components/schemas/Operation" });
  assertEquals(schemas.Expr.anyOf.length, 8);
  assertEquals(schemas.Operation.anyOf.length, 11);
  assertEquals(schemas.GteOperation.properties.$gte.items, {
    $ref: "#/components/schemas/Operation",
  });
  assertEquals(schemas.GteOperation.properties.$gte.prefixItems, undefined);
  assertEquals(schemas.ContainsSpec.properties.substr.$ref, "#/components/schemas/Operation");
  assertEquals(outcomes.map((o) => [o.transformation.command, o.changed, o.unmatched]), [
    ["extractToRefs", 1, []],
    ["extractToRefs", 1, []],
    ["mergeObject", 1, []],
    ["mergeObject", 7, []],
    // The spec already says application/jsonl: the rename has nothing left to do.
    ["renameKey", 0, ["$.paths./calls/stream_query.post.responses.200.content.application/json"]],
  ]);
});
