/** LocalInputs: the prepared copies of the spec and config for local generators. */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { captureLog } from "../../tests/helpers/capture_log.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { EXAMPLE_STAINLESS_CONFIG, SMALL_SPEC } from "../../tests/helpers/sdk_clone.ts";
import { Settings } from "../config/settings.ts";
import { LocalInputs } from "./local_inputs.ts";
import type { GenerateInput } from "./types.ts";
import { GeneratorWarnings } from "./warnings.ts";

Deno.test("a strict_config failure is an error of write(), never an unhandled rejection, however slow the disk", async () => {
  await withTempDir("codegen-inputs-", async (dir) => {
    const specPath = join(dir, "openapi.json");
    await Deno.writeTextFile(specPath, JSON.stringify(SMALL_SPEC)); // lacks most config methods
    const configFile = {
      path: join(dir, "c.yaml"),
      exists: false,
      values: {},
      placeholders: {},
      warnings: [],
    };
    const settings = new Settings({
      repoRoot: dir,
      cwd: dir,
      configFile,
      flags: { strict_config: true },
      env: {},
    });
    const input = {
      repoRoot: dir,
      specPath,
      stainlessConfigPath: EXAMPLE_STAINLESS_CONFIG,
      targets: [],
      settings,
      dryRun: false,
    } satisfies GenerateInput;
    // A slow mkdir: the preparation fails while write() waits for the directory.
    const mkdir = Deno.mkdir;
    Deno.mkdir = async (...args: Parameters<typeof Deno.mkdir>) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return await mkdir(...args);
    };
    try {
      await assertRejects(
        () => new LocalInputs(input).write(true, join(dir, "inputs")),
        /entries do not match the spec \(strict_config\)/,
      );
    } finally {
      Deno.mkdir = mkdir;
    }
  });
});

Deno.test("the warnings about the copies name the targets that read them, once", async () => {
  await withTempDir("codegen-inputs-", async (dir) => {
    const specPath = join(dir, "openapi.json");
    await Deno.writeTextFile(specPath, JSON.stringify(SMALL_SPEC)); // lacks most config methods
    const configFile = { path: join(dir, "c.yaml"), exists: false, values: {}, placeholders: {} };
    const settings = new Settings({
      repoRoot: dir,
      cwd: dir,
      configFile: { ...configFile, warnings: [] },
      env: {},
    });
    const log = captureLog("normal");
    try {
      const warnings = new GeneratorWarnings();
      const input = {
        repoRoot: dir,
        specPath,
        stainlessConfigPath: EXAMPLE_STAINLESS_CONFIG,
        targets: [],
        settings,
        dryRun: false,
        warnings,
        // python's generator reads the spec only, typescript's and node's the config too.
        readers: { spec: ["python", "typescript"], config: ["typescript"] },
      } satisfies GenerateInput;
      // Two backends (one per kind of generator) prepare the same copies: said once.
      await new LocalInputs(input).write(true, join(dir, "a"));
      await new LocalInputs(input).write(false, join(dir, "b"));
      await new LocalInputs(input).write(true, join(dir, "c"));
      const drift = warnings.list.filter((w) => w.message.includes("is not in the spec"));
      assert(drift.length > 0);
      assert(drift.every((w) => w.target === "typescript" && !w.targets), JSON.stringify(drift));
      const unmatched = warnings.list.filter((w) => w.message.includes("matches nothing"));
      assertEquals(unmatched.map((w) => [w.target, w.targets]), [[
        undefined,
        ["python", "typescript"],
      ]]);
      assertStringIncludes(log.text(), "warning: python, typescript: codegen: ");
      assertEquals(warnings.list.length, drift.length + 1);
    } finally {
      log.restore();
    }
  });
});
