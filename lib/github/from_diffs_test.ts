/** The real spec diff and SDK API comparison, handed to the PR body and the version bump. */
import { assertEquals, assertMatch } from "../../tests/helpers/assert.ts";
import { diffSpecs } from "../spec/diff.ts";
import type { OpenApiDocument } from "../spec/openapi.ts";
import { compareSdkApis } from "../sdk_api/compare.ts";
import type { SdkApi } from "../sdk_api/model.ts";
import { changeLevel } from "./changes.ts";
import { sdkApiReportOf, specChangesOf } from "./from_diffs.ts";
import { pullRequestTitle } from "./pr_body.ts";

const ok = { "200": { description: "ok" } };
function spec(paths: Record<string, unknown>): OpenApiDocument {
  return { openapi: "3.1.0", info: { title: "t", version: "1" }, paths } as OpenApiDocument;
}
const query = (required: boolean) => ({
  post: {
    operationId: "query",
    parameters: [{ name: "limit", in: "query", required, schema: { type: "integer" } }],
    responses: ok,
  },
});

Deno.test("spec diff → operation changes: added, removed (breaking), changed with descriptions", async () => {
  const before = spec({ "/calls/query": query(false), "/obj": { delete: { responses: ok } } });
  const after = spec({ "/calls/query": query(true), "/health": { get: { responses: ok } } });
  const changes = specChangesOf(await diffSpecs(before, after));
  assertEquals(changes.added, [{ operation: "GET /health", breaking: false }]);
  assertEquals(changes.removed, [{ operation: "DELETE /obj", breaking: true }]);
  assertEquals(changes.changed.map((c) => [c.operation, c.breaking]), [[
    "POST /calls/query",
    true,
  ]]);
  assertMatch(changes.changed[0].descriptions![0], /limit/);
  assertEquals(changeLevel(changes), "breaking");
});

Deno.test("SDK API comparison → report lines; a parameter made required is breaking", () => {
  const api = (required: boolean, extra: string[] = []): SdkApi => ({
    layout: "stainless",
    package: "weave_server_sdk",
    packageDir: "src/weave_server_sdk",
    clients: [],
    resources: [{
      name: "calls",
      methods: [{
        name: "read",
        sync: true,
        async: true,
        params: [{ name: "id", kind: "keyword", required, annotation: "str" }],
        returns: null,
      }],
    }],
    types: ["CallReadResponse", ...extra],
  });
  const added = sdkApiReportOf(compareSdkApis(api(false), api(false, ["CallStartParams"])));
  assertEquals(added, {
    added: ["CallStartParams (type)"],
    removed: [],
    changed: [],
    breaking: false,
  });
  assertEquals(changeLevel(undefined, added), "feature");
  const stricter = sdkApiReportOf(compareSdkApis(api(false), api(true)));
  assertEquals(stricter, {
    added: [],
    removed: [],
    changed: ["calls.read: param id now required"],
    breaking: true,
  });
  const content = {
    target: "python",
    packageName: "weave_server_sdk",
    head: "weave/x",
    source: { repository: "wandb/weave", branch: "x", commit: "a".repeat(40) },
    reproduce: "codegen all",
  };
  assertMatch(pullRequestTitle({ ...content, apiReport: stricter }), /^feat\(api\)!: /);
});
