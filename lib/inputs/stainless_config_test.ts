import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/helpers/assert.ts";
import { weaveFile } from "../../tests/helpers/weave.ts";
import { CodegenError } from "../core/errors.ts";
import { parseEndpoint, parseStainlessConfig, readStainlessConfig } from "./stainless_config.ts";

Deno.test("the real Weave config: resources, both method forms, models, transformations, targets, lines", async () => {
  const config = await readStainlessConfig(weaveFile("openapi.stainless.yml"));
  assertEquals(config.methods.length, 66); // the commented-out `query_stream` is not a method
  assertEquals(config.models.length, 16);
  const pick = (resource: string, name: string) =>
    config.methods.find((m) => m.resource === resource && m.name === name);
  assertEquals(pick("services", "health_check"), {
    resource: "services",
    resourcePath: ["resources", "services"],
    name: "health_check",
    endpoint: "get /health",
    line: 106,
  });
  // The object form `{endpoint:, skip_test_reason:}`.
  assertEquals(pick("calls", "stream_query")?.endpoint, "post /calls/stream_query");
  assertEquals(pick("calls", "stream_query")?.line, 118);
  assertEquals(pick("tables", "query_stream"), undefined);
  assertEquals(
    config.models.filter((m) => m.resource === "$shared").map((m) => m.schema).slice(-7),
    [
      "InOperation",
      "Operation",
      "Expr",
      "ContainsOperation",
      "ConvertOperation",
      "ContainsSpec",
      "ConvertSpec",
    ],
  );
  assertEquals(config.models.find((m) => m.resource === "services"), {
    resource: "services",
    resourcePath: ["resources", "services"],
    name: "serverInfoRes",
    schema: "ServerInfoRes",
    line: 104,
  });
  assertEquals(
    config.transformations.map((t) => [t.command, t.line]),
    [["extractToRefs", 251], ["extractToRefs", 257], ["mergeObject", 263], ["mergeObject", 271], [
      "renameKey",
      287,
    ]],
  );
  assertEquals(config.transformations[0].args, {
    ref: {
      target: "$.components.schemas.ConvertSpec.properties.input",
      name: "#/components/schemas/Operation",
    },
  });
  assertEquals(config.targets, [
    { name: "node", packageName: "weave-server-sdk-old", line: 13 },
    { name: "python", packageName: "weave_server_sdk", line: 19 },
    { name: "typescript", packageName: "weave-server-sdk", line: 29 },
  ]);
  assertEquals(config.lines, {
    resources: 73,
    unspecifiedEndpoints: undefined,
    transformations: 250,
  });
  assertEquals(config.unspecifiedEndpoints, []);
});

const NESTED = `resources:
  v2:
    subresources:
      ops:
        methods:
          list: GET /v2/ops
          webhook:
            type: webhook_unwrap
        models:
          op: "#/components/schemas/Op"
          op_alias: { type: OpAlias }
unspecified_endpoints:
  - get /internal
  - "post /internal/{id}"
openapi:
  transforms:
    - command: update
      args: { target: $.info.version, value: "2" }
`;

Deno.test("subresources, upper-case verbs, endpoint-less methods, model forms, unspecified_endpoints, openapi.transforms", async () => {
  const config = await parseStainlessConfig(NESTED, "s.yml");
  assertEquals(config.resources.map((r) => [r.name, r.subresources.map((s) => s.resource)]), [
    ["v2", ["v2.ops"]],
  ]);
  assertEquals(config.methods, [
    {
      resource: "v2.ops",
      resourcePath: ["resources", "v2", "subresources", "ops"],
      name: "list",
      endpoint: "get /v2/ops",
      line: 6,
    },
    {
      resource: "v2.ops",
      resourcePath: ["resources", "v2", "subresources", "ops"],
      name: "webhook",
      line: 7,
    },
  ]);
  assertEquals(config.models.map((m) => [m.name, m.schema, m.line]), [
    ["op", "Op", 10],
    ["op_alias", "OpAlias", 11],
  ]);
  assertEquals(config.unspecifiedEndpoints, [
    { endpoint: "get /internal", line: 13 },
    { endpoint: "post /internal/{id}", line: 14 },
  ]);
  assertEquals(config.transformations.map((t) => [t.command, t.line]), [["update", 17]]);
  assertEquals(config.lines, { resources: 1, unspecifiedEndpoints: 12, transformations: 16 });
});

Deno.test("YAML anchors and aliases are followed", async () => {
  const config = await parseStainlessConfig(
    `info: &title { title: T }
resources:
  a:
    methods: &shared
      list: get /a
  b:
    methods: *shared
openapi:
  transformations:
    - command: merge
      args: { target: $.info, value: *title }
`,
    "s.yml",
  );
  assertEquals(config.methods.map((m) => `${m.resource}.${m.name}: ${m.endpoint}`), [
    "a.list: get /a",
    "b.list: get /a",
  ]);
  assertEquals(config.transformations[0].args, { target: "$.info", value: { title: "T" } });
});

async function parseError(text: string): Promise<CodegenError> {
  const error = await assertRejects(() => parseStainlessConfig(text, "conf/s.yml"));
  assert(error instanceof CodegenError, String(error));
  assertEquals(error.exitCode, 2);
  assert(error.hint, "every error says what to do");
  return error;
}

Deno.test("bad YAML names file:line:col", async () => {
  const error = await parseError("resources:\n  calls:\n    methods: {start: post /a\n");
  assertMatch(error.message, /^conf\/s\.yml:\d+:\d+: invalid YAML: /);
  assertMatch((await parseError("a: 1\na: 2\n")).message, /^conf\/s\.yml:2:1: invalid YAML/);
});

Deno.test("wrong shapes name file:line and the key", async () => {
  assertEquals(
    (await parseError("resources:\n  calls:\n    methods:\n      start: fetch /a\n")).message,
    'conf/s.yml:4: `calls.methods.start`: "fetch /a" is not an endpoint',
  );
  assertEquals(
    (await parseError("resources:\n  calls:\n    methods:\n      - post /a\n")).message,
    "conf/s.yml:3: `calls.methods` must be a mapping of `key: value` lines",
  );
  assertEquals(
    (await parseError("resources:\n  calls:\n    methods:\n      start: [post /a]\n")).message,
    "conf/s.yml:4: `calls.methods.start` must be an endpoint (`post /path`) or a mapping with `endpoint:`",
  );
  assertEquals(
    (await parseError("resources:\n  calls:\n    models:\n      m: {name: X}\n")).message,
    "conf/s.yml:4: `calls.models.m` must name a schema (`Name` or `#/components/schemas/Name`)",
  );
  assertEquals(
    (await parseError("openapi:\n  transformations:\n    - args: {}\n")).message,
    "conf/s.yml:3: `openapi.transformations[0]` must be a mapping with `command:` and `args:`",
  );
  assertEquals(
    (await parseError("openapi:\n  transformations: []\n  transforms: []\n")).message,
    "conf/s.yml:3: `openapi.transforms` and `openapi.transformations` are both set",
  );
  assertEquals(
    (await parseError("unspecified_endpoints:\n  internal: get /x\n")).message,
    "conf/s.yml:1: `unspecified_endpoints` must be a list of endpoints",
  );
  assertEquals(
    (await parseError("- resources\n")).message,
    "conf/s.yml:1: the top level must be a mapping of `key: value` lines",
  );
});

Deno.test("a missing config file is named", async () => {
  const error = await assertRejects(() => readStainlessConfig("/nonexistent/s.yml"));
  assertMatch(error.message, /Stainless config not found: \/nonexistent\/s\.yml/);
});

Deno.test("parseEndpoint", () => {
  assertEquals(parseEndpoint("post /call/start"), { verb: "post", path: "/call/start" });
  assertEquals(parseEndpoint(" DELETE  /a/{id} "), { verb: "delete", path: "/a/{id}" });
  assertEquals(parseEndpoint("post/call/start"), undefined);
  assertEquals(parseEndpoint("fetch /a"), undefined);
  assertEquals(parseEndpoint("get a"), undefined);
});
