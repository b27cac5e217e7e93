/** Comparing two SDK API extractions: added, removed, changed; the predicate; the summary. */
import { assert, assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import {
  compareSdkApis,
  hasApiRemovals,
  summarizeSdkApiDiff,
  SUMMARY_NAME_LIMIT,
} from "./compare.ts";
import type { SdkApi, SdkMethod, SdkParam } from "./model.ts";

function param(name: string, over: Partial<SdkParam> = {}): SdkParam {
  return { name, kind: "keyword", required: true, annotation: "str", ...over };
}

function method(name: string, params: SdkParam[], over: Partial<SdkMethod> = {}): SdkMethod {
  return { name, sync: true, async: true, params, returns: `${name}Response`, ...over };
}

function api(over: Partial<SdkApi> = {}): SdkApi {
  return {
    layout: "stainless",
    package: "weave_server_sdk",
    packageDir: "src/weave_server_sdk",
    clients: [
      { name: "AsyncWeaveTrace", kind: "async", params: null },
      { name: "WeaveTrace", kind: "sync", params: [param("username"), param("password")] },
    ],
    resources: [
      {
        name: "calls",
        methods: [
          method("read", [param("project_id"), param("id")]),
          method("start", [param("start", { annotation: "CallStartParams" })]),
        ],
      },
      { name: "objects", methods: [method("read", [param("project_id")])] },
    ],
    types: ["CallReadResponse", "CallStartParams", "ObjectReadResponse"],
    ...over,
  };
}

Deno.test("identical APIs: nothing added, removed or changed", () => {
  const diff = compareSdkApis(api(), api());
  assertEquals(diff, { added: [], removed: [], changed: [] });
  assertEquals(hasApiRemovals(diff), false);
  assertEquals(summarizeSdkApiDiff(diff, "origin/main"), "SDK API vs origin/main: no change");
});

Deno.test("a removed resource lists its methods; added and removed items are sorted by kind", () => {
  const after = api({
    clients: [api().clients[1]],
    resources: [
      { name: "calls", methods: [...api().resources[0].methods, method("end", [])] },
      { name: "tables", methods: [method("query", [])] },
    ],
    types: ["CallEndParams", "CallReadResponse", "CallStartParams"],
  });
  const diff = compareSdkApis(api(), after);
  assertEquals(diff.added, [
    { kind: "resource", name: "tables" },
    { kind: "method", name: "calls.end" },
    { kind: "method", name: "tables.query" },
    { kind: "type", name: "CallEndParams" },
  ]);
  assertEquals(diff.removed, [
    { kind: "client", name: "AsyncWeaveTrace" },
    { kind: "resource", name: "objects" },
    { kind: "method", name: "objects.read" },
    { kind: "type", name: "ObjectReadResponse" },
  ]);
  assertEquals(diff.changed, []);
  assert(hasApiRemovals(diff));
  assertEquals(
    summarizeSdkApiDiff(diff, "origin/main (abc1234)"),
    [
      "SDK API vs origin/main (abc1234): clients 1 removed; resources 1 added, 1 removed; " +
      "methods 2 added, 1 removed; types 1 added, 1 removed",
      "  removed clients: AsyncWeaveTrace",
      "  removed resources: objects",
      "  removed methods: objects.read",
      "  removed types: ObjectReadResponse",
    ].join("\n"),
  );
});

Deno.test("a changed method says which parameters changed and how", () => {
  const after = api();
  after.resources[0].methods[0] = method("read", [
    param("project_id", { annotation: "int" }),
    param("call_id"),
    param("expand", { required: false }),
  ], { returns: "CallReadResponse | None", async: false });
  after.resources[0].methods[1] = method("start", [
    param("start", { annotation: "CallStartParams", required: false, kind: "positional" }),
  ]);
  const diff = compareSdkApis(api(), after);
  assertEquals(diff.added, []);
  assertEquals(diff.removed, []);
  assertEquals(diff.changed, [
    {
      kind: "method",
      name: "calls.read",
      changes: [
        { change: "removed-param", param: "id" },
        { change: "type-changed", param: "project_id", before: "str", after: "int" },
        { change: "new-required-param", param: "call_id" },
        { change: "new-optional-param", param: "expand" },
        { change: "return-type-changed", before: "readResponse", after: "CallReadResponse | None" },
        { change: "removed-variant", variant: "async" },
      ],
    },
    {
      kind: "method",
      name: "calls.start",
      changes: [
        { change: "now-optional", param: "start" },
        { change: "kind-changed", param: "start", before: "keyword", after: "positional" },
      ],
    },
  ]);
  assert(hasApiRemovals(diff), "a removed parameter is a removal");
  const summary = summarizeSdkApiDiff(diff);
  assertStringIncludes(summary, "SDK API vs the previous SDK: methods 2 changed");
  assertStringIncludes(
    summary,
    "  changed calls.read: removed param id; type of project_id: str → int; " +
      "new required param call_id; new optional param expand; " +
      "return type: readResponse → CallReadResponse | None; no async variant any more",
  );
  assertStringIncludes(
    summary,
    "  changed calls.start: param start now optional; param start: keyword → positional",
  );
});

Deno.test("additions alone are no removal; positional reordering is a change", () => {
  const before = api({
    resources: [{
      name: "calls",
      methods: [
        method("read", [param("a", { kind: "positional" }), param("b", { kind: "positional" })]),
      ],
    }],
  });
  const after = api({
    resources: [{
      name: "calls",
      methods: [
        method("read", [param("b", { kind: "positional" }), param("a", { kind: "positional" })]),
        method("end", []),
      ],
    }],
    types: [...api().types, "CallEndParams"],
  });
  const diff = compareSdkApis(before, after);
  assertEquals(diff.changed, [{
    kind: "method",
    name: "calls.read",
    changes: [{ change: "order-changed", before: "a, b", after: "b, a" }],
  }]);
  assertEquals(diff.added, [{ kind: "method", name: "calls.end" }, {
    kind: "type",
    name: "CallEndParams",
  }]);
  assertEquals(hasApiRemovals(diff), false);
});

Deno.test("long lists of removed names are capped in the summary, never in the diff", () => {
  const types = Array.from(
    { length: SUMMARY_NAME_LIMIT + 5 },
    (_, i) => `Type${String(i).padStart(2, "0")}`,
  );
  const diff = compareSdkApis(api({ types }), api({ types: [] }));
  assertEquals(diff.removed.length, SUMMARY_NAME_LIMIT + 5);
  const summary = summarizeSdkApiDiff(diff);
  assertStringIncludes(summary, `Type${SUMMARY_NAME_LIMIT - 1} … and 5 more (--json lists all)`);
  assert(!summary.includes(`Type${SUMMARY_NAME_LIMIT},`));
});

Deno.test("a client whose constructor parameters changed (auth) is a changed client", () => {
  const after = api({
    clients: [
      { name: "AsyncWeaveTrace", kind: "async", params: [param("api_key")] },
      { name: "WeaveTrace", kind: "sync", params: [param("api_key", { required: false })] },
    ],
  });
  const diff = compareSdkApis(api(), after);
  // Parameters appear where none were read before (null): nothing to compare.
  assertEquals(diff.changed, [{
    kind: "client",
    name: "WeaveTrace",
    changes: [
      { change: "removed-param", param: "username" },
      { change: "removed-param", param: "password" },
      { change: "new-optional-param", param: "api_key" },
    ],
  }]);
  assert(hasApiRemovals(diff));
  assertStringIncludes(
    summarizeSdkApiDiff(diff),
    "SDK API vs the previous SDK: clients 1 changed\n" +
      "  changed client WeaveTrace: removed param username; removed param password; " +
      "new optional param api_key",
  );
});
