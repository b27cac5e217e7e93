import { assert, assertEquals, assertThrows } from "../../tests/helpers/assert.ts";
import { weaveFile } from "../../tests/helpers/weave.ts";
import { CodegenError } from "../core/errors.ts";
import type { OpenApiDocument } from "../spec/openapi.ts";
import {
  describeSelection,
  type EndpointGroups,
  filterConfig,
  filterSpec,
  parseEndpointGroups,
  parseGroupNames,
  selectGroups,
} from "./groups.ts";
import { lintConfig } from "./lint.ts";
import { listOperations, readSpecFile, schemaNames } from "./operations.ts";
import { readStainlessConfig } from "./stainless_config.ts";

function usage(fn: () => unknown): string {
  const error = assertThrows(fn);
  assert(error instanceof CodegenError && error.exitCode === 2, String(error));
  assert(error.hint, "a usage error says what to do");
  return error.message;
}

function select(groups: EndpointGroups, ...names: string[]) {
  const selection = selectGroups(groups, { names });
  assert(selection);
  return selection;
}

const weaveSpec = () => readSpecFile(weaveFile("openapi.json"));

Deno.test("a group by tag keeps its operations and the components they reach, transitively", async () => {
  const spec = await weaveSpec();
  const result = filterSpec(spec, select({ fb: { include: ["tag:Feedback"], exclude: [] } }, "fb"));
  assertEquals(result.kept.map((op) => op.endpoint), [
    "post /feedback/create",
    "post /feedback/query",
    "post /feedback/purge",
    "post /feedback/replace",
  ]);
  assertEquals(result.removed.length, 63);
  assertEquals(listOperations(result.spec).length, 4);
  const schemas = schemaNames(result.spec);
  // ValidationError is reached only through HTTPValidationError (the 422 responses).
  for (
    const name of [
      "FeedbackCreateReq",
      "FeedbackQueryRes",
      "HTTPValidationError",
      "ValidationError",
    ]
  ) {
    assert(schemas.includes(name), `${name} kept: ${schemas.join(", ")}`);
  }
  assert(!schemas.includes("CallStartReq"), "an unreachable schema is removed");
  assert(result.removedComponents.includes("schemas/CallStartReq"));
  assertEquals(result.spec.components, {
    schemas: result.spec.components && (result.spec.components as { schemas: unknown }).schemas,
    securitySchemes: { HTTPBasic: { type: "http", scheme: "basic" } },
  });
  assertEquals(spec, await weaveSpec(), "the input spec is not filtered");
  // Every $ref left points at a component that is still there.
  const refs = [
    ...JSON.stringify(result.spec).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g),
  ];
  assert(refs.length > 0);
  for (const [, name] of refs) assert(schemas.includes(name), `dangling $ref to ${name}`);
});

Deno.test("groups by path glob: `*` is one segment, `**` any, the verb optional, exclude wins", async () => {
  const spec = await weaveSpec();
  const groups = parseEndpointGroups({
    call: { include: ["post /call/*"] },
    runs: { include: ["/v2/*/*/evaluation_runs/**"], exclude: ["delete /v2/**"] },
    health: { include: ["GET /health", "operationId:server_info_server_info_get"] },
  }, "codegen.yaml");
  const kept = (name: string) =>
    filterSpec(spec, select(groups, name)).kept.map((op) => op.endpoint);
  assertEquals(kept("call"), [
    "post /call/start",
    "post /call/end",
    "post /call/upsert_batch",
    "post /call/update",
    "post /call/read",
  ]);
  assertEquals(kept("runs"), [
    "get /v2/{entity}/{project}/evaluation_runs",
    "post /v2/{entity}/{project}/evaluation_runs",
    "get /v2/{entity}/{project}/evaluation_runs/{evaluation_run_id}",
    "post /v2/{entity}/{project}/evaluation_runs/{evaluation_run_id}/finish",
  ]);
  assertEquals(kept("health"), ["get /server_info", "get /health"]);
  const both = filterSpec(spec, select(groups, "health", "call"));
  assertEquals(both.kept.length, 7);
  assertEquals(Object.keys(both.spec.paths).length, 7);
});

Deno.test("components: refs inside reached components, discriminator mappings, used security schemes", () => {
  const spec: OpenApiDocument = {
    openapi: "3.1.0",
    security: [],
    paths: {
      "/a": {
        parameters: [{ $ref: "#/components/parameters/Id" }],
        get: {
          security: [{ basic: [] }],
          responses: { "200": { $ref: "#/components/responses/AOk" } },
        },
        post: { responses: { "200": { $ref: "#/components/responses/Unused" } } },
      },
      "/b": { get: { responses: {} } },
    },
    components: {
      parameters: { Id: { name: "id", in: "path", schema: { $ref: "#/components/schemas/Id" } } },
      responses: {
        AOk: { content: { "application/json": { schema: { $ref: "#/components/schemas/A" } } } },
        Unused: { description: "x" },
      },
      schemas: {
        Id: { type: "string" },
        A: { properties: { b: { $ref: "#/components/schemas/B" } } },
        B: { anyOf: [{ $ref: "#/components/schemas/C" }] },
        C: { discriminator: { propertyName: "k", mapping: { d: "#/components/schemas/D" } } },
        D: { type: "object" },
        E: { properties: { f: { $ref: "#/components/schemas/F" } } },
        F: { type: "object" },
        "X/Y": { type: "object" },
      },
      securitySchemes: { basic: { type: "http", scheme: "basic" }, bearer: { type: "http" } },
    },
  };
  const result = filterSpec(spec, select({ g: { include: ["get /a"], exclude: [] } }, "g"));
  assertEquals(Object.keys(result.spec.paths), ["/a"]);
  assertEquals(Object.keys(result.spec.paths["/a"]), ["parameters", "get"]);
  assertEquals(result.spec.components, {
    parameters: { Id: (spec.components as Record<string, Record<string, unknown>>).parameters.Id },
    responses: { AOk: (spec.components as Record<string, Record<string, unknown>>).responses.AOk },
    schemas: {
      Id: { type: "string" },
      A: { properties: { b: { $ref: "#/components/schemas/B" } } },
      B: { anyOf: [{ $ref: "#/components/schemas/C" }] },
      C: { discriminator: { propertyName: "k", mapping: { d: "#/components/schemas/D" } } },
      D: { type: "object" },
    },
    securitySchemes: { basic: { type: "http", scheme: "basic" } },
  });
  assertEquals(result.removedComponents, [
    "responses/Unused",
    "schemas/E",
    "schemas/F",
    "schemas/X/Y",
    "securitySchemes/bearer",
  ]);
});

Deno.test("the hosted config loses the methods, models and references of what the groups removed", async () => {
  const config = await readStainlessConfig(weaveFile("openapi.stainless.yml"));
  const spec = await weaveSpec();
  const selection = select({ fb: { include: ["tag:Feedback"], exclude: [] } }, "fb");
  // Decided on the transformed spec, as Stainless will see it.
  const { transformedSpec } = await lintConfig(config, spec, "openapi.json");
  const filtered = filterSpec(transformedSpec, selection);
  const text = await filterConfig(config, filtered.spec);
  const { parseStainlessConfig } = await import("./stainless_config.ts");
  const pruned = await parseStainlessConfig(text, "copy.yml");
  assertEquals(pruned.methods.map((m) => `${m.resource}.${m.name}`), [
    "feedback.create",
    "feedback.query",
    "feedback.purge",
    "feedback.replace",
  ]);
  // Shared models stay while the kept operations reach their schema (Query → AndOperation...).
  assertEquals(pruned.resources.map((r) => r.name), ["$shared", "feedback"]);
  const schemas = schemaNames(filtered.spec);
  assertEquals(pruned.models.filter((m) => !schemas.includes(m.schema)), []);
  const left = new Set(pruned.models.map((m) => m.schema));
  // Operation and Expr, made by the transformations, stay.
  assertEquals(config.models.filter((m) => !left.has(m.schema)).map((m) => m.schema), [
    "ServerInfoRes",
  ]);
  assertEquals(pruned.transformations.length, 5, "the spec sent is not transformed");
  assertEquals(pruned.targets.length, 3);
  // The README examples named post /obj/create, which the build does not get.
  assert(!text.includes("example_requests") && !text.includes("*ref_0"), text);
});

Deno.test("selection: unknown group (did you mean), none defined, --all-groups, stable description", () => {
  const groups = parseEndpointGroups({
    v2: { include: ["/v2/**"] },
    core: { include: ["tag:Calls", "get /health"], exclude: ["post /calls/delete"] },
  }, "codegen.yaml");
  assertEquals(selectGroups(groups, {}), undefined);
  assertEquals(selectGroups(groups, { names: [] }), undefined);
  assertEquals(
    usage(() => selectGroups(groups, { names: ["core", "cor2"] })),
    "unknown endpoint group `cor2` (did you mean `core`?)",
  );
  assertEquals(
    usage(() => selectGroups({}, { names: ["core"] })),
    "endpoint groups were selected, but the config defines none",
  );
  const all = selectGroups(groups, { all: true });
  assertEquals(all?.groups.map((g) => g.name), ["core", "v2"]);
  const a = describeSelection(select(groups, "v2", "core", "v2"));
  assertEquals(a, "core(tag:Calls, get /health; exclude post /calls/delete) + v2(/v2/**)");
  assertEquals(describeSelection(select(groups, "core", "v2")), a);
  assertEquals(parseGroupNames(" core,v2  otel,"), ["core", "v2", "otel"]);
});

Deno.test("a group that matches nothing is a usage error naming it", async () => {
  const spec = await weaveSpec();
  const groups = parseEndpointGroups({
    ok: { include: ["tag:Calls"] },
    typo: { include: ["tag:Call", "/cals/**"] },
  }, "codegen.yaml");
  assertEquals(
    usage(() => filterSpec(spec, select(groups, "ok", "typo"))),
    "endpoint group `typo` matches no operation of the spec",
  );
});

Deno.test("group definitions are validated, naming the source and the group", () => {
  const bad = (value: unknown) => usage(() => parseEndpointGroups(value, "codegen.yaml"));
  assertEquals(
    bad(["core"]),
    "codegen.yaml: endpoint_groups must map group names to {include, exclude}",
  );
  assertEquals(
    bad({ core: ["tag:Calls"] }),
    "codegen.yaml: endpoint_groups.core must be a mapping with `include:`",
  );
  assertEquals(
    bad({ core: { include: [] } }),
    "codegen.yaml: endpoint_groups.core.include is empty",
  );
  assertEquals(
    bad({ core: { include: "tag:Calls" } }),
    "codegen.yaml: endpoint_groups.core.include must be a list of patterns",
  );
  assertEquals(
    bad({ core: { include: ["calls/*"] } }),
    "codegen.yaml: endpoint_groups.core.include: `calls/*` is not a pattern",
  );
  assertEquals(
    bad({ core: { include: ["fetch /a"] } }),
    "codegen.yaml: endpoint_groups.core.include: `fetch /a` is not a pattern",
  );
  assertEquals(
    bad({ core: { include: ["/a"], only: [] } }),
    "codegen.yaml: endpoint_groups.core: unknown key `only`",
  );
  assertEquals(
    bad({ core: { include: ["tag: "] } }),
    "codegen.yaml: endpoint_groups.core.include: `tag: ` names no tag",
  );
  assertEquals(
    bad({ core: { includes: ["/a"] } }),
    "codegen.yaml: endpoint_groups.core: unknown key `includes` (did you mean `include`?)",
  );
  assertEquals(parseEndpointGroups(undefined, "codegen.yaml"), {});
});
