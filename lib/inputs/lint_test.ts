import { assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { weaveFile } from "../../tests/helpers/weave.ts";
import type { OpenApiDocument } from "../spec/openapi.ts";
import { formatLint, lintConfig, type LintFinding, lintJson } from "./lint.ts";
import { readSpecFile } from "./operations.ts";
import { parseStainlessConfig, readStainlessConfig } from "./stainless_config.ts";

async function lintWeave() {
  const config = await readStainlessConfig(weaveFile("openapi.stainless.yml"));
  const spec = await readSpecFile(weaveFile("openapi.json"));
  return await lintConfig(config, spec, "openapi.json");
}

const brief = (f: LintFinding) => [f.line, f.severity, f.code, f.resource, f.method, f.endpoint];

Deno.test("the real Weave files: the six config methods whose endpoint the spec changed", async () => {
  const result = await lintWeave();
  const errors = result.findings.filter((f) => f.severity === "error");
  const v2 = "/v2/{entity}/{project}";
  assertEquals(errors.map(brief), [
    [
      211,
      "error",
      "endpoint-not-in-spec",
      "v2_evaluation_runs",
      "read",
      `get ${v2}/evaluation_runs/{evaluation_run_id}/versions/{digest}`,
    ],
    [
      212,
      "error",
      "endpoint-not-in-spec",
      "v2_evaluation_runs",
      "delete",
      `delete ${v2}/evaluation_runs/{evaluation_run_id}`,
    ],
    [
      219,
      "error",
      "endpoint-not-in-spec",
      "v2_predictions",
      "read",
      `get ${v2}/predictions/{prediction_id}/versions/{digest}`,
    ],
    [
      220,
      "error",
      "endpoint-not-in-spec",
      "v2_predictions",
      "delete",
      `delete ${v2}/predictions/{prediction_id}`,
    ],
    [
      227,
      "error",
      "endpoint-not-in-spec",
      "v2_scores",
      "read",
      `get ${v2}/scores/{score_id}/versions/{digest}`,
    ],
    [228, "error", "endpoint-not-in-spec", "v2_scores", "delete", `delete ${v2}/scores/{score_id}`],
  ]);
  // What each one became in the spec.
  assertEquals(errors.map((f) => f.suggestion), [
    `get ${v2}/evaluation_runs/{evaluation_run_id}`,
    `delete ${v2}/evaluation_runs`,
    `get ${v2}/predictions/{prediction_id}`,
    `delete ${v2}/predictions`,
    `get ${v2}/scores/{score_id}`,
    `delete ${v2}/scores`,
  ]);
  // No model error: Expr and Operation come from the config's own transformations.
  assertEquals(result.findings.filter((f) => f.code === "model-not-in-spec"), []);
});

Deno.test("the real Weave files: unmapped operations and the rename with nothing to rename", async () => {
  const result = await lintWeave();
  const v2 = "/v2/{entity}/{project}";
  assertEquals(
    result.findings.filter((f) => f.code === "unmapped-operation").map((f) => [f.line, f.endpoint]),
    [
      [73, "post /table/query_stream"],
      [73, `delete ${v2}/evaluation_runs`],
      [73, `get ${v2}/evaluation_runs/{evaluation_run_id}`],
      [73, `delete ${v2}/predictions`],
      [73, `get ${v2}/predictions/{prediction_id}`],
      [73, `delete ${v2}/scores`],
      [73, `get ${v2}/scores/{score_id}`],
    ],
  );
  const rename = result.findings.filter((f) => f.code === "transformation-matches-nothing");
  assertEquals(rename.map((f) => [f.line, f.severity, f.transformation]), [
    [287, "warning", {
      index: 4,
      command: "renameKey",
      target: "$.paths./calls/stream_query.post.responses.200.content.application/json",
    }],
  ]);
  assertEquals([result.errors, result.warnings], [6, 8]);
  assertEquals(result.checked, { methods: 66, operations: 67, models: 16, transformations: 5 });
});

Deno.test("the human format: file:line: severity: message [code], then a summary", async () => {
  const text = formatLint(await lintWeave(), "tools/codegen/openapi.stainless.yml");
  const lines = text.split("\n");
  assertEquals(lines.length, 15);
  assertEquals(
    lines[7],
    "tools/codegen/openapi.stainless.yml:211: error: v2_evaluation_runs.read: " +
      "get /v2/{entity}/{project}/evaluation_runs/{evaluation_run_id}/versions/{digest} is not in " +
      "the spec (did you mean get /v2/{entity}/{project}/evaluation_runs/{evaluation_run_id}?) " +
      "[endpoint-not-in-spec]",
  );
  assertEquals(
    lines[14],
    "tools/codegen/openapi.stainless.yml: 6 errors, 8 warnings (66 methods, 16 models and " +
      "5 transformations checked against 67 operations of openapi.json)",
  );
});

Deno.test("the JSON shape: ok, counts and the findings, without the transformed spec", async () => {
  const json = lintJson(await lintWeave());
  assertEquals(Object.keys(json), [
    "ok",
    "config",
    "spec",
    "errors",
    "warnings",
    "checked",
    "findings",
  ]);
  assertEquals([json.ok, json.errors, json.warnings, json.findings.length], [false, 6, 8, 14]);
  assertEquals(JSON.parse(JSON.stringify(json.findings[7])), {
    file: weaveFile("openapi.stainless.yml"),
    line: 211,
    severity: "error",
    code: "endpoint-not-in-spec",
    message: json.findings[7].message,
    resource: "v2_evaluation_runs",
    method: "read",
    endpoint: "get /v2/{entity}/{project}/evaluation_runs/{evaluation_run_id}/versions/{digest}",
    suggestion: "get /v2/{entity}/{project}/evaluation_runs/{evaluation_run_id}",
  });
});

const SPEC: OpenApiDocument = {
  openapi: "3.1.0",
  paths: {
    "/call/start": { post: { operationId: "call_start", responses: {} } },
    "/call/end": { post: { operationId: "call_end", responses: {} } },
    "/internal": { get: { responses: {} } },
  },
  components: {
    schemas: {
      Query: { type: "object", properties: { expr: { anyOf: [{ type: "string" }] } } },
      CallStartReq: { type: "object" },
    },
  },
};

async function lintText(yaml: string) {
  return await lintConfig(await parseStainlessConfig(yaml, "s.yml"), SPEC, "spec.json");
}

Deno.test("rule: a method whose endpoint is not in the spec is an error with the closest endpoint", async () => {
  const result = await lintText(`resources:
  calls:
    methods:
      start: post /call/strat
      end: { endpoint: post /call/end }
unspecified_endpoints:
  - get /internal
`);
  assertEquals(result.findings.map(brief), [
    [4, "error", "endpoint-not-in-spec", "calls", "start", "post /call/strat"],
    [6, "warning", "unmapped-operation", undefined, undefined, "post /call/start"],
  ]);
  assertEquals(result.findings[0].suggestion, "post /call/start");
  assertStringIncludes(result.findings[1].message, "post /call/start (call_start) is in the spec");
});

Deno.test("rule: an operation neither mapped nor listed in unspecified_endpoints is a warning", async () => {
  const result = await lintText(`resources:
  calls:
    methods:
      start: post /call/start
      end: post /call/end
`);
  assertEquals(result.findings.map(brief), [
    [1, "warning", "unmapped-operation", undefined, undefined, "get /internal"],
  ]);
  assertEquals(result.errors, 0);
});

Deno.test("rule: a model that is not a schema is an error, unless a transformation creates it", async () => {
  const models = `resources:
  $shared:
    models:
      query: Query
      expr: "#/components/schemas/Expr"
      start: CallStartReg
unspecified_endpoints: [post /call/start, post /call/end, get /internal]
`;
  const plain = await lintText(models);
  assertEquals(plain.findings.map((f) => [f.line, f.code, f.model, f.schema, f.suggestion]), [
    [5, "model-not-in-spec", "expr", "Expr", undefined],
    [6, "model-not-in-spec", "start", "CallStartReg", "CallStartReq"],
  ]);
  const transformed = await lintText(`${models}openapi:
  transformations:
    - command: extractToRefs
      args:
        ref:
          target: $.components.schemas.Query.properties.expr
          name: "#/components/schemas/Expr"
`);
  assertEquals(transformed.findings.map((f) => [f.line, f.model]), [[6, "start"]]);
  assertEquals(
    (transformed.transformedSpec.components as { schemas: Record<string, unknown> }).schemas.Expr,
    { anyOf: [{ type: "string" }] },
  );
});

Deno.test("rule: transformation targets that match nothing warn; one that cannot apply is an error", async () => {
  const result = await lintText(
    `unspecified_endpoints: [post /call/start, post /call/end, get /internal]
openapi:
  transformations:
    - command: mergeObject
      args:
        target: [$.components.schemas.Query, $.components.schemas.Gone]
        object: { description: q }
    - command: mergeObjekt
      args: {}
    - command: update
      args: { target: $.info.nothing, value: 1 }
`,
  );
  assertEquals(result.findings.map((f) => [f.line, f.severity, f.code, f.transformation]), [
    [4, "warning", "transformation-matches-nothing", {
      index: 0,
      command: "mergeObject",
      target: "$.components.schemas.Gone",
    }],
    [8, "error", "transformation-failed", { index: 1, command: "mergeObjekt" }],
    [10, "warning", "transformation-matches-nothing", {
      index: 2,
      command: "update",
      target: "$.info.nothing",
    }],
  ]);
  assertEquals(
    result.findings[1].message,
    "unknown transformation command `mergeObjekt` (did you mean `mergeObject`?)",
  );
  // The lint went on: the first transformation was applied.
  assertEquals(
    (result.transformedSpec.components as { schemas: { Query: { description: string } } }).schemas
      .Query.description,
    "q",
  );
});

Deno.test("rule: a malformed JSONPath target is an error naming the config line, not 'matches nothing'", async () => {
  const result = await lintText(
    `unspecified_endpoints: [post /call/start, post /call/end, get /internal]
openapi:
  transformations:
    - command: update
      args: { target: "$.[[[", value: 1 }
    - command: remove
      args: { target: "$.paths[" }
`,
  );
  assertEquals(result.findings.map((f) => [f.line, f.severity, f.code, f.message]), [
    [
      4,
      "error",
      "transformation-failed",
      'transformation update: invalid JSONPath $.[[[: "[" at character 5 is never closed',
    ],
    [
      6,
      "error",
      "transformation-failed",
      'transformation remove: invalid JSONPath $.paths[: "[" at character 8 is never closed',
    ],
  ]);
  assertEquals(result.errors, 2);
});
