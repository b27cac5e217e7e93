/**
 * The local generator presets, through the command backend: the argv each builds (placeholders
 * filled in), the config file openapi-python-client gets, and the targets each supports.
 */
import {
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { PROJECT_ROOT } from "../../tests/helpers/cli.ts";
import { flagSettings, generateInput, targetClone } from "../../tests/helpers/generate_input.ts";
import { makeTraceRepo, removeAll } from "../../tests/helpers/sdk_clone.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { join } from "node:path";
import { CommandGenerator } from "./command/generator.ts";
import { COMMAND_PRESETS } from "./presets.ts";
import type { TargetClone } from "./types.ts";

const PYTHON: TargetClone = targetClone(flagSettings("/repo"), "python", "/sdk/py");
const TYPESCRIPT: TargetClone = targetClone(flagSettings("/repo"), "typescript", "/sdk/ts");

async function withTraceRepo(fn: (repo: string) => Promise<void>): Promise<void> {
  const repo = await makeTraceRepo();
  try {
    await fn(repo);
  } finally {
    await removeAll(repo);
  }
}

Deno.test("each preset's name is its key; targets: opc Python, stainful Python and TS, stlc all", () => {
  for (const [key, preset] of Object.entries(COMMAND_PRESETS)) assertEquals(preset.name, key);
  const targets = (name: string) => new CommandGenerator(COMMAND_PRESETS[name]).targets;
  assertEquals(targets("openapi-python-client"), ["python"]);
  assertEquals(targets("stainful"), ["python", "typescript"]);
  assertEquals(targets("stlc"), ["python", "node", "typescript"]);
});

Deno.test("stlc preset: argv construction; without stlc a real run stops at preflight", async () => {
  await withTraceRepo(async (repo) => {
    const stlc = new CommandGenerator(COMMAND_PRESETS.stlc);
    const input = generateInput(repo, flagSettings(repo), [TYPESCRIPT]);
    const argv = await stlc.argvFor(TYPESCRIPT, input, "/work");
    assertEquals(argv.slice(1), [
      "generate",
      "--oas",
      join(repo, "tools/codegen/openapi.json"),
      "--config",
      join(repo, "tools/codegen/openapi.stainless.yml"),
      "--target",
      "typescript",
      "--out",
      "/work/out",
    ]);
    assertMatch(argv[0], /(^|\/)stlc$/);
    await stlc.preflight(input); // a dry run needs no executable
    const error = await assertRejects(
      () => stlc.preflight({ ...input, dryRun: false }),
      /`stlc` not found/,
    );
    assertStringIncludes((error as { hint?: string }).hint ?? "", "self-hosted");
  });
});

Deno.test("openapi-python-client preset: pinned executable, package name and its own config file", async () => {
  await withTraceRepo(async (repo) => {
    await withTempDir("codegen-preset-", async (work) => {
      const opc = new CommandGenerator(COMMAND_PRESETS["openapi-python-client"]);
      const input = { ...generateInput(repo, flagSettings(repo), [PYTHON]), dryRun: false };
      const argv = await opc.argvFor(PYTHON, input, work);
      assertEquals(argv[0], `${PROJECT_ROOT}/.venv/bin/openapi-python-client`);
      assertEquals(argv.slice(1, 8), [
        "generate",
        "--path",
        join(repo, "tools/codegen/openapi.json"),
        "--output-path",
        `${work}/out`,
        "--meta",
        "setup",
      ]);
      assertEquals(argv.slice(8), ["--config", `${work}/openapi-python-client.json`]);
      const config = JSON.parse(await Deno.readTextFile(argv[9]));
      // No package_name configured: it comes from targets.python.package_name of the Stainless config.
      assertEquals(config.package_name_override, "weave_server_sdk");
      assertEquals(config.project_name_override, "weave_server_sdk");
      assertEquals(config.content_type_overrides, {
        "application/jsonl": "application/octet-stream",
      });
      await assertRejects(
        async () => await opc.preflight(generateInput(repo, flagSettings(repo), [TYPESCRIPT])),
        /generator openapi-python-client cannot generate the typescript SDK \(it supports: python\)/,
      );
    });
  });
});

Deno.test("a generator_config setting replaces the preset's own config file, which is not written", async () => {
  await withTraceRepo(async (repo) => {
    await withTempDir("codegen-preset-", async (work) => {
      const opc = new CommandGenerator(COMMAND_PRESETS["openapi-python-client"]);
      const settings = flagSettings(repo, { generator_config: "/etc/opc.json" });
      const python = targetClone(settings, "python", "/sdk/py");
      const input = { ...generateInput(repo, settings, [python]), dryRun: false };
      assertEquals((await opc.argvFor(python, input, work)).slice(-2), [
        "--config",
        "/etc/opc.json",
      ]);
      assertEquals([...Deno.readDirSync(work)], []);
    });
  });
});
