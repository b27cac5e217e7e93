/** The stamp's inputs from the files on disk: hashes, endpoint count, repo-relative paths. */
import { assertEquals } from "../../tests/helpers/assert.ts";
import { EXAMPLE_STAINLESS_CONFIG } from "../../tests/helpers/sdk_clone.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { join } from "../core/paths.ts";
import { sha256Hex } from "../core/sha256.ts";
import {
  CODEGEN_VERSION,
  configuredEndpoints,
  hashConfigFile,
  hashSpecFile,
  stampInputs,
  stampPath,
} from "./inputs.ts";
import { STAMP_VERSION } from "./stamp.ts";

const IDENTITY = {
  generator: "stainful",
  generator_version: "0.6.0",
  generator_command: ["stainful", "generate"],
  generator_config: null,
  package_name: "weave_server_sdk",
  post_generate: [],
};

Deno.test("stampPath: relative to the trace repository", () => {
  assertEquals(
    stampPath("/src/weave", "/src/weave/tools/codegen/openapi.json"),
    "tools/codegen/openapi.json",
  );
});

Deno.test("hashSpecFile and hashConfigFile: sha256 of the exact bytes; a missing config is null", async () => {
  await withTempDir("codegen-inputs-", async (repo) => {
    const spec = join(repo, "openapi.json");
    await Deno.writeTextFile(spec, '{"openapi": "3.1.0"}');
    assertEquals(await hashSpecFile(repo, spec), {
      path: "openapi.json",
      sha256: `sha256:${await sha256Hex('{"openapi": "3.1.0"}')}`,
    });
    assertEquals(await hashConfigFile(repo, join(repo, "missing.yml")), {
      config: { path: "missing.yml", sha256: null },
      configuredEndpoints: null,
    });
    // The example config maps 8 methods to endpoints (nested `endpoint:` forms included).
    const config = join(repo, "tools/openapi.stainless.yml");
    await Deno.mkdir(join(repo, "tools"));
    await Deno.copyFile(EXAMPLE_STAINLESS_CONFIG, config);
    const bytes = await Deno.readFile(config);
    assertEquals(await hashConfigFile(repo, config), {
      config: { path: "tools/openapi.stainless.yml", sha256: `sha256:${await sha256Hex(bytes)}` },
      configuredEndpoints: 8,
    });
    // A config that cannot be read as one still has a hash; its endpoints are not counted.
    await Deno.writeTextFile(config, "resources: [unclosed\n");
    assertEquals(await configuredEndpoints(config), null);
    assertEquals((await hashConfigFile(repo, config)).config.sha256?.startsWith("sha256:"), true);
  });
});

Deno.test("stampInputs: the files, the identity and the fields every stamp has", () => {
  const hashes = {
    spec: { path: "tools/codegen/openapi.json", sha256: `sha256:${"a".repeat(64)}` as const },
    config: { path: "tools/codegen/openapi.stainless.yml", sha256: null },
    configuredEndpoints: null,
  };
  const groups = { groups: [{ name: "core", include: ["tag:Calls"], exclude: [] }] };
  assertEquals(stampInputs(hashes, "typescript", IDENTITY, groups), {
    spec: hashes.spec,
    config: hashes.config,
    fields: {
      stamp_version: STAMP_VERSION,
      target: "typescript",
      ...IDENTITY,
      endpoint_groups: groups,
      codegen_version: CODEGEN_VERSION,
      configured_endpoints: null,
    },
  });
  assertEquals(stampInputs(hashes, "python", IDENTITY).fields.endpoint_groups, null);
});
