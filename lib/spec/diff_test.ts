/** Spec diffs on small fixture pairs with known classifications, and on the real Weave pair. */
import { assert, assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { weaveFile } from "../../tests/helpers/weave.ts";
import { diffSpecs, jsonPointer, type SpecDiff } from "./diff.ts";
import { breakingChangesMessage, formatDiffSummary, formatSpecDiff } from "./diff_format.ts";
import { countOperations, type OpenApiDocument } from "./openapi.ts";

const STRING = { type: "string" };
const json = (schema: unknown) => ({ "application/json": { schema } });

/** A small FastAPI-like spec: a `$ref` cycle (Obj.parent), request and response schemas. */
function baseSpec() {
  return {
    openapi: "3.1.0",
    info: { title: "Trace", version: "1" },
    paths: {
      "/obj/{digest}": {
        get: {
          parameters: [{ name: "digest", in: "path", required: true, schema: STRING }],
          responses: {
            "200": { description: "OK", content: json({ $ref: "#/components/schemas/Obj" }) },
          },
        },
        delete: {
          parameters: [{ name: "digest", in: "path", required: true, schema: STRING }],
          responses: { "200": { description: "OK" } },
        },
      },
      "/objs/query": {
        post: {
          requestBody: { required: true, content: json({ $ref: "#/components/schemas/Query" }) },
          responses: {
            "200": {
              description: "OK",
              content: json({ type: "array", items: { $ref: "#/components/schemas/Obj" } }),
            },
          },
        },
      },
    } as Record<string, Record<string, unknown>>,
    components: {
      schemas: {
        Obj: {
          type: "object",
          required: ["digest"],
          properties: {
            digest: STRING,
            kind: { type: "string", enum: ["op", "dataset"] },
            size: { type: "integer" },
            parent: { anyOf: [{ $ref: "#/components/schemas/Obj" }, { type: "null" }] },
          },
        },
        Query: {
          type: "object",
          properties: {
            kind: { type: "string", enum: ["op", "dataset"] },
            limit: { type: "integer" },
          },
        },
      },
      parameters: {
        Trace: { name: "trace", in: "header", required: false, schema: STRING },
      } as Record<string, unknown>,
    },
  };
}

type Spec = ReturnType<typeof baseSpec>;
// deno-lint-ignore no-explicit-any
type Operation = any;

function op(spec: Spec, path: string, method: string): Operation {
  return spec.paths[path][method];
}

/** Diff of the base spec against a changed copy. */
async function diffAfter(change: (spec: Spec) => void): Promise<SpecDiff> {
  const after = baseSpec();
  change(after);
  return await diffSpecs(baseSpec() as OpenApiDocument, after as OpenApiDocument);
}

/** The only changed operation of a diff, and the types of its changes. */
function onlyChanged(diff: SpecDiff) {
  assertEquals(diff.changed.length, 1, formatSpecDiff(diff, { details: "all" }));
  const [entry] = diff.changed;
  return { ...entry, types: entry.changes.map((c) => c.type) };
}

Deno.test("an added operation is listed as added, not breaking", async () => {
  const diff = await diffAfter((s) => {
    s.paths["/obj/{digest}"].put = { responses: { "200": { description: "OK" } } };
  });
  assertEquals(diff.added, ["PUT /obj/{digest}"]);
  assertEquals([diff.removed, diff.changed, diff.breaking], [[], [], false]);
  assertEquals(formatDiffSummary(diff), "1 operation added, 0 removed, 0 changed");
});

Deno.test("a removed operation is breaking, named METHOD /path", async () => {
  const diff = await diffAfter((s) => delete s.paths["/obj/{digest}"].delete);
  assertEquals(diff.removed, ["DELETE /obj/{digest}"]);
  assertEquals([diff.breaking, diff.counts.breakingChanges], [true, 1]);
  assertEquals(formatSpecDiff(diff).split("\n"), [
    "0 operations added, 1 removed, 0 changed",
    "  - DELETE /obj/{digest} (breaking)",
  ]);
});

Deno.test("a new required request parameter is breaking; a new optional one is not", async () => {
  const add = (required: boolean) => (s: Spec) =>
    op(s, "/obj/{digest}", "get").parameters.push({
      name: "version",
      in: "query",
      required,
      schema: { type: "integer" },
    });
  const required = onlyChanged(await diffAfter(add(true)));
  assertEquals([required.operation, required.breaking, required.types], [
    "GET /obj/{digest}",
    true,
    ["breaking"],
  ]);
  assertEquals(required.changes[0].description, "[Added] required query parameter `version`");
  assertEquals(required.changes[0].pointer, "/paths/~1obj~1{digest}/get/parameters/1");

  const optional = onlyChanged(await diffAfter(add(false)));
  assertEquals([optional.breaking, optional.types], [false, ["non-breaking"]]);
  // The library calls every parameter with a `required` field "required"; corrected.
  assertEquals(optional.changes[0].description, "[Added] query parameter `version`");
});

Deno.test("an optional path-level parameter through $ref is described as optional", async () => {
  const diff = await diffAfter((s) => {
    s.paths["/obj/{digest}"].parameters = [{ $ref: "#/components/parameters/Trace" }];
  });
  assertEquals(diff.changed.map((c) => c.operation), ["GET /obj/{digest}", "DELETE /obj/{digest}"]);
  for (const entry of diff.changed) {
    assertEquals(entry.changes.map((c) => [c.type, c.description]), [
      ["non-breaking", "[Added] header parameter `trace`"],
    ]);
  }
});

Deno.test("removing a required response property is breaking, in every operation using it", async () => {
  const diff = await diffAfter((s) => {
    const obj = s.components.schemas.Obj;
    obj.required = [];
    delete (obj.properties as Partial<typeof obj.properties>).digest;
  });
  assertEquals(diff.changed.map((c) => [c.operation, c.breaking]), [
    ["GET /obj/{digest}", true],
    ["POST /objs/query", true],
  ]);
  assertEquals(formatDiffSummary(diff), "0 operations added, 0 removed, 2 changed (2 breaking)");
  assertStringIncludes(
    formatSpecDiff(diff),
    "breaking: [Removed] property `digest` in Response 200 content (application/json)",
  );
});

Deno.test("removing an optional response property is non-breaking (the library's rule)", async () => {
  const diff = await diffAfter((s) => {
    delete (s.components.schemas.Obj.properties as { size?: unknown }).size;
  });
  assertEquals(diff.changed.map((c) => [c.operation, c.breaking]), [
    ["GET /obj/{digest}", false],
    ["POST /objs/query", false],
  ]);
  assertEquals(diff.breaking, false);
});

Deno.test("an enum value added: non-breaking in a request, breaking in a response", async () => {
  const diff = await diffAfter((s) => {
    s.components.schemas.Obj.properties.kind.enum.push("model");
    s.components.schemas.Query.properties.kind.enum.push("model");
  });
  const query = diff.changed.find((c) => c.operation === "POST /objs/query")!;
  const kinds = query.changes.map((c) => [c.type, c.pointer.split("/")[4]]);
  assertEquals(kinds, [["non-breaking", "requestBody"], ["breaking", "responses"]]);
  assertEquals(diff.changed.find((c) => c.operation === "GET /obj/{digest}")!.breaking, true);
  // A description the library leaves empty gets the action and where it happened.
  assertEquals(
    query.changes[1].description,
    "[Added] responses/200/content/application~1json/schema/items/properties/kind/enum/2",
  );
});

Deno.test("a change inside a $ref cycle is found", async () => {
  const diff = await diffAfter((s) => {
    s.components.schemas.Obj.properties.parent.anyOf.push({ type: "string" } as never);
  });
  assert(diff.changed.some((c) => c.operation === "GET /obj/{digest}"));
});

Deno.test("a renamed path template is a changed operation, not a removal and an addition", async () => {
  const diff = await diffAfter((s) => {
    const item = s.paths["/obj/{digest}"];
    delete s.paths["/obj/{digest}"];
    for (const method of ["get", "delete"]) (item as Operation)[method].parameters[0].name = "id";
    delete (item as Operation).get.responses["200"].content;
    item.put = { responses: {} };
    s.paths["/obj/{id}"] = item;
  });
  assertEquals([diff.added, diff.removed], [["PUT /obj/{id}"], []]);
  assertEquals(diff.changed.map((c) => [c.operation, c.previousPath, c.changes.length]), [
    ["GET /obj/{id}", "/obj/{digest}", 2],
    ["DELETE /obj/{id}", "/obj/{digest}", 1],
  ]);
  assertStringIncludes(
    formatSpecDiff(diff),
    "  ~ DELETE /obj/{id} (was /obj/{digest}): 1 non-breaking",
  );
});

Deno.test("deprecations, doc-only changes and changes outside operations", async () => {
  const diff = await diffAfter((s) => {
    op(s, "/obj/{digest}", "delete").deprecated = true;
    op(s, "/obj/{digest}", "get").description = "Reads an object.";
    s.info.version = "2";
    Object.assign(s, { security: [{ basic: [] }] });
  });
  assertEquals(diff.changed.map((c) => [c.operation, c.changes.map((x) => x.type)]), [
    ["GET /obj/{digest}", ["annotation"]],
    ["DELETE /obj/{digest}", ["deprecated"]],
  ]);
  assertEquals(diff.other.map((c) => [c.type, c.pointer]), [
    ["annotation", "/info/version"],
    ["breaking", "/security"],
  ]);
  assertEquals(
    formatDiffSummary(diff),
    "0 operations added, 0 removed, 2 changed (0 breaking); 2 other changes (1 breaking)",
  );
  assertEquals(formatSpecDiff(diff).split("\n"), [
    formatDiffSummary(diff),
    "  ~ GET /obj/{digest}: 1 annotation",
    "  ~ DELETE /obj/{digest}: 1 deprecated",
    "      deprecated: [Added] deprecated status",
    "  other: 1 breaking, 1 annotation",
    "      breaking: [Added] /security",
  ]);
  assertEquals(formatSpecDiff(diff, { details: "none" }).split("\n").length, 4);
  assertStringIncludes(
    formatSpecDiff(diff, { details: "all" }),
    "      annotation: [Replaced] document metadata (info.version)",
  );
});

Deno.test("identical documents: no changes; the inputs are never modified", async () => {
  const before = baseSpec();
  const after = baseSpec();
  after.paths["/new"] = { get: { responses: {} } };
  delete after.paths["/objs/query"];
  const [beforeText, afterText] = [JSON.stringify(before), JSON.stringify(after)];
  await diffSpecs(before as OpenApiDocument, after as OpenApiDocument);
  assertEquals([JSON.stringify(before), JSON.stringify(after)], [beforeText, afterText]);

  const same = await diffAfter(() => {});
  assertEquals(formatSpecDiff(same), "no changes");
  assertEquals([same.added, same.removed, same.changed, same.other, same.breaking], [
    [],
    [],
    [],
    [],
    false,
  ]);
});

Deno.test("`additionalProperties: true` (the JSON Schema default) is no change", async () => {
  const diff = await diffAfter((s) => {
    const schema = s.components.schemas.Obj as Record<string, unknown>;
    schema.additionalProperties = true;
  });
  assertEquals(diff.counts.breakingChanges, 0);
  assertEquals(diff.changed, []);
  const closed = await diffAfter((s) => {
    (s.components.schemas.Obj as Record<string, unknown>).additionalProperties = false;
  });
  assert(closed.changed.length > 0, "additionalProperties: false is a real change");
});

Deno.test("JSON pointers escape ~ and /", () => {
  assertEquals(jsonPointer(["paths", "/a~b/{c}", "get", 0]), "/paths/~1a~0b~1{c}/get/0");
});

Deno.test("the real Weave pair: 29 → 67 operations, counts as the library classifies them", async () => {
  const read = async (name: string) =>
    JSON.parse(await Deno.readTextFile(weaveFile(name))) as OpenApiDocument;
  const [before, after] = [await read("openapi.older.json"), await read("openapi.json")];
  assertEquals([countOperations(before), countOperations(after)], [29, 67]);
  const diff = await diffSpecs(before, after, { before: "older", after: "current" });
  assertEquals([diff.before, diff.after], ["older", "current"]);
  assertEquals(diff.counts, {
    added: 38,
    removed: 0,
    changed: 26,
    changedBreaking: 0,
    breakingChanges: 0,
  });
  assertEquals(diff.other, []);
  assert(diff.added.includes("DELETE /v2/{entity}/{project}/ops/{object_id}"));
  assertEquals(diff.added[0], "POST /otel/v1/trace");
  // Pydantic 2 spells out `additionalProperties: true` (the default) in the newer spec; the
  // library alone counted 7 breaking changes for it. The same documents are accepted: none.
  const callRead = diff.changed.find((c) => c.operation === "POST /call/read")!;
  assertEquals(callRead.changes.filter((c) => c.type === "breaking").length, 0);
  assertEquals(diff.breaking, false);
  const callStart = diff.changed.find((c) => c.operation === "POST /call/start")!;
  assertEquals(callStart.breaking, false);
  assert(callStart.changes.some((c) => c.description.includes("property `thread_id`")));
  assertEquals(
    formatDiffSummary(diff),
    "38 operations added, 0 removed, 26 changed (0 breaking)",
  );
});

Deno.test("--fail-on-breaking's error counts what breaks and names both sides", async () => {
  const diff = await diffAfter((s) => {
    delete s.paths["/obj/{digest}"].delete;
    op(s, "/obj/{digest}", "get").parameters.push({ name: "v", in: "query", required: true });
  });
  assertEquals(
    breakingChangesMessage({ ...diff, before: "HEAD:openapi.json", after: "new.json" }),
    "breaking API changes from HEAD:openapi.json to new.json: 1 operation removed, 1 operation changed incompatibly",
  );
});
