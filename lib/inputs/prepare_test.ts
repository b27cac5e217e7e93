import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/helpers/assert.ts";
import { weaveFile } from "../../tests/helpers/weave.ts";
import { CodegenError } from "../core/errors.ts";
import type { OpenApiDocument } from "../spec/openapi.ts";
import { selectGroups } from "./groups.ts";
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
  // The six drift removals are warnings; what the groups removed is listed apart, without them:
  // 66 methods - 8 of calls - 6 drifted, and the services model nothing reaches any more.
  assertEquals(prepared.warnings.length, 7);
  const drifted = new Set(prepared.warnings.map((w) => `${w.resource}.${w.method}`));
  const removed = prepared.groups!.removedConfigEntries.map((e) =>
    `${e.kind} ${e.resourcePath[1]}.${e.name}`
  );
  assertEquals(removed.filter((e) => drifted.has(e.split(" ")[1])), []);
  assertEquals(removed.filter((e) => e.startsWith("methods ")).length, 52);
  assertEquals(removed.filter((e) => e.startsWith("models ")), ["models services.serverInfoRes"]);
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
