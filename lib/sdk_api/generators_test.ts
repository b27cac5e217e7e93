/**
 * The SDK API report on real generator output: openapi-python-client and stainful (from the
 * project's .venv) generate the example trace server's SDK twice, from its spec and from a copy
 * that adds POST /obj/delete and removes POST /calls/query. Each generator runs once per spec
 * for the whole file (about a second each).
 */
import { assert, assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { join } from "node:path";
import { VENV_BIN } from "../../tests/helpers/cli.ts";
import {
  EXAMPLE_STAINLESS_CONFIG,
  exportExampleSpec,
  makeClone,
  removeAll,
} from "../../tests/helpers/sdk_clone.ts";
import { GIT_ENV } from "../../tests/helpers/git_fixtures.ts";
import { run } from "../os/process.ts";
import { git, gitOutput } from "../git/git.ts";
import { extractSdkApi } from "./extract.ts";
import { compareSdkApis, hasApiRemovals } from "./compare.ts";
import { reportSdkApi } from "./report.ts";
import { type SdkApi } from "./model.ts";

const ENV = { PATH: `${VENV_BIN}:${Deno.env.get("PATH") ?? ""}` };

/** The same generator config as the openapi-python-client preset (lib/generate/presets.ts). */
const OPC_CONFIG = {
  project_name_override: "weave_server_sdk",
  package_name_override: "weave_server_sdk",
  content_type_overrides: { "application/jsonl": "application/octet-stream" },
};

type Spec = { paths: Record<string, Record<string, Record<string, unknown>>> };

/** The example spec with one operation added (POST /obj/delete) and one removed (/calls/query). */
function changedSpec(spec: Spec): Spec {
  const copy: Spec = structuredClone(spec);
  assert(copy.paths["/calls/query"] && copy.paths["/obj/read"], "the example spec changed");
  delete copy.paths["/calls/query"];
  const read = copy.paths["/obj/read"].post;
  copy.paths["/obj/delete"] = {
    post: { ...read, summary: "Obj Delete", operationId: "obj_delete_obj_delete_post" },
  };
  return copy;
}

/** The example Stainless config, following the same change. */
function changedConfig(text: string): string {
  const query = "      query: post /calls/query\n";
  const read = "      read: post /obj/read\n";
  assert(text.includes(query) && text.includes(read), "the example Stainless config changed");
  return text.replace(query, "").replace(read, `${read}      delete: post /obj/delete\n`);
}

interface Generated {
  dir: string;
  opc: { old: SdkApi; new: SdkApi };
  stainful: { old: SdkApi; new: SdkApi };
  /** Where stainful wrote the new SDK (for the git report). */
  stainfulNewOut: string;
}

async function generate(dir: string): Promise<Generated> {
  await exportExampleSpec(join(dir, "old.json"));
  const spec = JSON.parse(await Deno.readTextFile(join(dir, "old.json")));
  await Deno.writeTextFile(join(dir, "new.json"), JSON.stringify(changedSpec(spec), null, 2));
  const config = await Deno.readTextFile(EXAMPLE_STAINLESS_CONFIG);
  await Deno.writeTextFile(join(dir, "old.yml"), config);
  await Deno.writeTextFile(join(dir, "new.yml"), changedConfig(config));
  await Deno.writeTextFile(join(dir, "opc.json"), JSON.stringify(OPC_CONFIG));
  const apis: Record<string, SdkApi> = {};
  for (const version of ["old", "new"]) {
    const spec = join(dir, `${version}.json`);
    const opcOut = join(dir, `opc-${version}`);
    const stainfulOut = join(dir, `stainful-${version}`);
    await run(`${VENV_BIN}/openapi-python-client`, [
      ...["generate", "--path", spec, "--output-path", opcOut, "--meta", "setup"],
      ...["--config", join(dir, "opc.json")],
    ], { env: ENV, what: "openapi-python-client" });
    await run(`${VENV_BIN}/stainful`, [
      ...["generate", "--spec", spec, "--config", join(dir, `${version}.yml`)],
      ...["--out", stainfulOut],
    ], { env: ENV, what: "stainful" });
    apis[`opc-${version}`] = await extractSdkApi(opcOut);
    apis[`stainful-${version}`] = await extractSdkApi(stainfulOut);
  }
  return {
    dir,
    opc: { old: apis["opc-old"], new: apis["opc-new"] },
    stainful: { old: apis["stainful-old"], new: apis["stainful-new"] },
    stainfulNewOut: join(dir, "stainful-new"),
  };
}

const names = (items: { kind: string; name: string }[], kind: string) =>
  items.filter((i) => i.kind === kind).map((i) => i.name);

Deno.test("the API report on two real generations names the added and removed methods", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "sdk-api-generators-" });
  try {
    const sdks = await generate(dir);

    await t.step("openapi-python-client: operation modules under api/<tag>/", () => {
      assertEquals(sdks.opc.old.layout, "openapi-python-client");
      assertEquals(sdks.opc.old.clients.map((c) => c.name), ["AuthenticatedClient", "Client"]);
      const diff = compareSdkApis(sdks.opc.old, sdks.opc.new);
      // Its models come from the spec's components, which the change left alone.
      assertEquals(diff.added, [{ kind: "method", name: "objects.obj_delete_obj_delete_post" }]);
      assertEquals(diff.removed, [{ kind: "method", name: "calls.calls_query_calls_query_post" }]);
      assertEquals(diff.changed, []);
      assert(hasApiRemovals(diff));
    });

    await t.step("stainful: resource methods and types", () => {
      assertEquals(sdks.stainful.old.layout, "stainful");
      assertEquals(sdks.stainful.old.clients.map((c) => [c.name, c.kind]), [
        ["AsyncWeaveTrace", "async"],
        ["WeaveTrace", "sync"],
      ]);
      // stainful's client takes one api_key (sent as a Bearer token), not username/password.
      const options = sdks.stainful.old.clients[1].params?.map((p) => p.name);
      assertEquals(options?.slice(0, 2), ["api_key", "base_url"]);
      const diff = compareSdkApis(sdks.stainful.old, sdks.stainful.new);
      assertEquals(names(diff.added, "method"), ["objects.delete"]);
      assertEquals(names(diff.removed, "method"), ["calls.query"]);
      assertEquals(diff.changed, []);
      assert(
        names(diff.removed, "type").includes("CallQueryParams"),
        "types/ lost CallQueryParams",
      );
      assert(
        names(diff.added, "type").includes("ObjectDeleteParams"),
        "types/ has no delete params",
      );
      assert(hasApiRemovals(diff));
    });

    await t.step("parameters of a real method", () => {
      const calls = sdks.stainful.old.resources.find((r) => r.name === "calls");
      const read = calls?.methods.find((m) => m.name === "read");
      assertEquals(read?.params.map((p) => [p.name, p.kind, p.required]), [
        ["project_id", "keyword", true],
        ["id", "keyword", true],
      ]);
      assertEquals([read?.sync, read?.async], [true, true]);
    });

    await t.step("the report reads the previous SDK from origin/main of a clone", async () => {
      const clone = await makeClone();
      try {
        await run(`${VENV_BIN}/stainful`, [
          ...["generate", "--spec", join(dir, "old.json"), "--config", join(dir, "old.yml")],
          ...["--out", clone],
        ], { env: ENV, what: "stainful" });
        await git(clone, ["add", "--all"]);
        await git(clone, ["commit", "--quiet", "-m", "old SDK"], { env: GIT_ENV });
        await git(clone, ["update-ref", "refs/remotes/origin/main", "HEAD"]);
        // Local main moves on without the SDK: origin/main comes first.
        await git(clone, ["rm", "-r", "--quiet", "weave_server_sdk"]);
        await git(clone, ["commit", "--quiet", "-m", "no SDK"], { env: GIT_ENV });

        const report = await reportSdkApi({ clone, next: { dir: sdks.stainfulNewOut } });
        assertEquals(report.base?.rev, "origin/main");
        assertEquals(report.before, sdks.stainful.old);
        assertEquals(report.diff, compareSdkApis(sdks.stainful.old, sdks.stainful.new));
        assertStringIncludes(report.summary, "weave_server_sdk (stainful): 3 resources, 8 methods");
        assertStringIncludes(report.summary, "SDK API vs origin/main (");
        assertStringIncludes(report.summary, "  removed methods: calls.query\n");

        const fromMain = await reportSdkApi({
          clone,
          next: { dir: sdks.stainfulNewOut },
          base: ["main"],
        });
        assertEquals(fromMain.before, null);
        assertStringIncludes(fromMain.baseNote ?? "", "no Python SDK package found");
        assertEquals(names(fromMain.diff.added, "method").length, 8);
        assertEquals(fromMain.diff.removed, []);
        assertEquals(await gitOutput(clone, ["status", "--porcelain"]), "");
      } finally {
        await removeAll(clone);
      }
    });
  } finally {
    await removeAll(dir);
  }
});
