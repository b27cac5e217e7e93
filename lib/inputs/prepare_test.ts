import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { weaveFile } from "../../tests/helpers/weave.ts";
import { CodegenError } from "../core/errors.ts";
import type { OpenApiDocument } from "../spec/openapi.ts";
import { selectGroups } from "./groups.ts";
import { lintConfig } from "./lint.ts";
import { listOperations, readSpecFile, schemaNames } from "./operations.ts";
import { prepareInputs, writePreparedInputs } from "./prepare.ts";
import { parseStainlessConfig, readStainlessConfig } from "./stainless_config.ts";

async function weave() {
  return {
    config: await readStainlessConfig(weaveFile("openapi.stainless.yml")),
    spec: await readSpecFile(weaveFile("openapi.json")),
  };
}

Deno.test("a config-reading generator gets the transformed spec and the pruned config, with warnings", async () => {
  const { config, spec } = await weave();
  const prepared = await prepareInputs(spec, "openapi.json", config, { readsConfig: true });
  assert(schemaNames(prepared.spec).includes("Expr"));
  assert(!schemaNames(spec).includes("Expr"), "the input spec is not changed");
  assertEquals(listOperations(prepared.spec).length, 67);
  assertEquals(
    prepared.warnings.map((w) => [w.line, w.code]),
    [
      [287, "transformation-matches-nothing"],
      [211, "endpoint-not-in-spec"],
      [212, "endpoint-not-in-spec"],
      [219, "endpoint-not-in-spec"],
      [220, "endpoint-not-in-spec"],
      [227, "endpoint-not-in-spec"],
      [228, "endpoint-not-in-spec"],
    ],
  );
  assert(prepared.warnings.every((w) => w.severity === "warning"));
  assertEquals((await parseStainlessConfig(prepared.configText!, "c.yml")).methods.length, 60);
  assertEquals(prepared.groups, undefined);
});

Deno.test("a generator that ignores the config gets the transformed spec only; strict has no say", async () => {
  const { config, spec } = await weave();
  const prepared = await prepareInputs(spec, "openapi.json", config, {
    readsConfig: false,
    strictConfig: true,
  });
  assertEquals(prepared.configText, undefined);
  assertEquals(prepared.warnings.map((w) => w.code), ["transformation-matches-nothing"]);
  assert(schemaNames(prepared.spec).includes("Operation"));
});

Deno.test("strict_config stops a config-reading generator on drift", async () => {
  const { config, spec } = await weave();
  const error = await assertRejects(() =>
    prepareInputs(spec, "openapi.json", config, { readsConfig: true, strictConfig: true })
  );
  assert(error instanceof CodegenError && error.exitCode === 1);
  assertMatch(error.message, /6 entries do not match the spec \(strict_config\)/);
});

Deno.test("with groups: transformed first, then filtered; the config loses the rest", async () => {
  const { config, spec } = await weave();
  const selection = selectGroups({ q: { include: ["tag:Calls"], exclude: [] } }, { names: ["q"] });
  const prepared = await prepareInputs(spec, "openapi.json", config, {
    readsConfig: true,
    selection,
  });
  assertEquals(prepared.groups?.kept.length, 8);
  // Expr exists (transformed before filtering) and the calls reach it through Query.
  assert(schemaNames(prepared.spec).includes("Expr"));
  const copy = await parseStainlessConfig(prepared.configText!, "c.yml");
  assertEquals(new Set(copy.methods.map((m) => m.resource)), new Set(["calls"]));
  // The six drifted methods are v2_* ones, outside the group: left out with the groups' others,
  // without a warning (66 methods - 8 of calls), and the services model nothing reaches any more.
  assertEquals(prepared.warnings.map((w) => w.code), ["transformation-matches-nothing"]);
  const removed = prepared.groups!.removedConfigEntries.map((e) =>
    `${e.kind} ${e.resourcePath[1]}.${e.name}`
  );
  assertEquals(removed.filter((e) => e.startsWith("methods ")).length, 58);
  assert(removed.includes("methods v2_scores.read"), removed.join(", "));
  assertEquals(removed.filter((e) => e.startsWith("models ")), ["models services.serverInfoRes"]);
  // The README examples name post /obj/create, outside the group: gone from the copy, no warning.
  assertEquals(prepared.groups!.removedReferences.map((r) => [r.key, r.endpoint]), [
    ["readme.example_requests.default", "post /obj/create"],
    ["readme.example_requests.headline", "post /obj/create"],
  ]);
  assert(!prepared.configText!.includes("example_requests"));
  // And strict_config has nothing to say about methods the groups leave out.
  await prepareInputs(spec, "openapi.json", config, {
    readsConfig: true,
    strictConfig: true,
    selection,
  });
});

Deno.test("with groups: drift of a method the groups keep through an endpoint glob is reported", async () => {
  const { config, spec } = await weave();
  const groups = {
    scores: { include: ["/v2/{entity}/{project}/scores/**"], exclude: [] },
    // A tag pattern cannot match an endpoint the spec lacks: the predictions' drift is not kept.
    preds: { include: ["tag:Predictions"], exclude: [] },
    // An exclusion by glob applies to a missing endpoint too.
    runs: {
      include: ["/v2/{entity}/{project}/evaluation_runs/**"],
      exclude: ["delete /v2/**"],
    },
  };
  const selection = selectGroups(groups, { names: ["scores", "preds", "runs"] });
  const prepared = await prepareInputs(spec, "openapi.json", config, {
    readsConfig: true,
    selection,
  });
  assertEquals(
    prepared.warnings.filter((w) => w.code === "endpoint-not-in-spec")
      .map((w) => `${w.resource}.${w.method}`),
    ["v2_evaluation_runs.read", "v2_scores.read", "v2_scores.delete"],
  );
  const error = await assertRejects(() =>
    prepareInputs(spec, "openapi.json", config, {
      readsConfig: true,
      strictConfig: true,
      selection,
    })
  );
  assertMatch((error as Error).message, /3 entries do not match the spec \(strict_config\)/);
});

Deno.test("the config copy has no transformations, the spec copy has them applied", async () => {
  const { config, spec } = await weave();
  const prepared = await prepareInputs(spec, "openapi.json", config, { readsConfig: true });
  const copy = await parseStainlessConfig(prepared.configText!, "c.yml");
  assertEquals([config.transformations.length, copy.transformations.length], [5, 0]);
  assert(!/^\s*transform/m.test(prepared.configText!), "neither transformations nor transforms");
  // The rest of `openapi:` stays, with its comment-free neighbours in order.
  assertStringIncludes(prepared.configText!, "openapi:\n  code_samples: x-codeSamples\n");
  const schemas = (prepared.spec.components as { schemas: Record<string, unknown> }).schemas;
  assert("Operation" in schemas && "Expr" in schemas, "extractToRefs applied to the spec copy");
  // Applying the real transformations a second time, as a generator that reads them would, fails.
  const twice = await lintConfig(config, prepared.spec, "openapi.json");
  assertMatch(
    twice.findings.find((f) => f.code === "transformation-failed")?.message ?? "",
    /Operation already exists with another schema/,
  );
  // `transforms`, their newer name, and an `openapi:` left empty go too.
  const newer = await parseStainlessConfig(
    "resources: {}\nopenapi:\n  transforms:\n    - command: remove\n      args: {target: $.x}\n",
    "n.yml",
  );
  const other = await prepareInputs({ openapi: "3.1.0", paths: {} }, "s.json", newer, {
    readsConfig: true,
  });
  assertEquals(other.configText, "resources: {}\n");
});

Deno.test("no Stainless config: the spec is handed over as it is (or filtered)", async () => {
  const { spec } = await weave();
  const prepared = await prepareInputs(spec, "openapi.json", undefined, { readsConfig: true });
  assertEquals(prepared.spec, spec);
  assertEquals([prepared.configText, prepared.lint, prepared.warnings], [undefined, undefined, []]);
});

Deno.test("a transformation that cannot be applied stops the preparation (exit 2)", async () => {
  const spec: OpenApiDocument = { openapi: "3.1.0", paths: {} };
  const config = await parseStainlessConfig(
    "openapi:\n  transformations:\n    - command: flatten\n      args: {}\n",
    "s.yml",
  );
  const error = await assertRejects(() =>
    prepareInputs(spec, "spec.json", config, { readsConfig: false })
  );
  assert(error instanceof CodegenError && error.exitCode === 2);
  assertEquals(error.message, "s.yml:3: unknown transformation command `flatten`");
});

Deno.test("writePreparedInputs writes {oas} and {config} into the given directory", async () => {
  const { config, spec } = await weave();
  const dir = await Deno.makeTempDir({ prefix: "codegen-inputs-" });
  try {
    const prepared = await prepareInputs(spec, "openapi.json", config, { readsConfig: true });
    const paths = await writePreparedInputs(prepared, dir);
    assertEquals(paths, { oas: `${dir}/openapi.json`, config: `${dir}/openapi.stainless.yml` });
    assertEquals(JSON.parse(await Deno.readTextFile(paths.oas)), prepared.spec);
    assertEquals(await Deno.readTextFile(paths.config!), prepared.configText);
    const specOnly = await writePreparedInputs({ ...prepared, configText: undefined }, dir);
    assertEquals(specOnly, { oas: `${dir}/openapi.json` });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a README example whose endpoint the spec lacks is a warning, and leaves the copy", async () => {
  const spec: OpenApiDocument = {
    openapi: "3.1.0",
    paths: { "/a": { get: { operationId: "a" } } },
  };
  const config = await parseStainlessConfig(
    "resources:\n  a:\n    methods:\n      list: get /a\n" +
      "readme:\n  example_requests:\n    default:\n      type: request\n      endpoint: post /gone\n",
    "s.yml",
  );
  const prepared = await prepareInputs(spec, "spec.json", config, { readsConfig: true });
  assertEquals(prepared.warnings.map((w) => [w.line, w.message]), [[
    7,
    "readme.example_requests.default: post /gone is not in the spec; removed from the " +
    "generator's copy of the config",
  ]]);
  assertEquals(
    prepared.configText,
    "resources:\n  a:\n    methods:\n      list: get /a\n",
  );
});
