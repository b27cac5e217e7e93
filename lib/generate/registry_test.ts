/** Generator names to backends, the --generator choices, and the SDK clones a run generates. */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { flagSettings } from "../../tests/helpers/generate_input.ts";
import type { CodegenError } from "../core/errors.ts";
import { CommandGenerator } from "./command/generator.ts";
import { StainlessGenerator } from "./stainless/generator.ts";
import { generatorChoices, getGenerator, targetClones } from "./registry.ts";
import { COMMAND_PRESETS } from "./presets.ts";

Deno.test("generatorChoices: stainless, every preset, then command, each described", () => {
  const choices = generatorChoices();
  assertEquals(Object.keys(choices), [
    "stainless",
    ...Object.keys(COMMAND_PRESETS),
    "command",
  ]);
  for (const [name, summary] of Object.entries(choices)) assert(summary.length > 10, name);
});

Deno.test("getGenerator: stainless is the hosted backend, presets the command backend", async () => {
  const settings = flagSettings("/repo");
  assert((await getGenerator("stainless", settings)) instanceof StainlessGenerator);
  const stainful = await getGenerator("stainful", settings);
  assert(stainful instanceof CommandGenerator);
  assertEquals([stainful.name, stainful.preset], ["stainful", COMMAND_PRESETS.stainful]);
});

Deno.test("getGenerator: unknown names and `command` without its argv are usage errors", async () => {
  const unknown = await assertRejects(
    () => getGenerator("openapi-generator", flagSettings("/repo")),
    /^unknown generator `openapi-generator`$/,
  );
  assertEquals((unknown as CodegenError).exitCode, 2);
  assertStringIncludes(
    (unknown as CodegenError).hint ?? "",
    "stainless, openapi-python-client, stainful, stlc, command",
  );
  const noArgv = await assertRejects(
    () => getGenerator("command", flagSettings("/repo")),
    /--generator command needs generator_command/,
  );
  assertEquals((noArgv as CodegenError).exitCode, 2);
});

Deno.test("generator_command: the argv of `command` for every target, or a preset's own argv", async () => {
  const argv = ["my-gen", "--spec", "{oas}", "--out", "{out}"];
  const settings = flagSettings("/repo", { generator_command: argv.join(" ") });
  const command = (await getGenerator("command", settings)) as CommandGenerator;
  assertEquals(command.targets, ["python", "node", "typescript"]);
  assertEquals(command.preset.argv.node, argv);
  const stainful = (await getGenerator("stainful", settings)) as CommandGenerator;
  assertEquals(stainful.name, "stainful");
  assertEquals(stainful.targets, ["python", "typescript"], "the preset's targets stay");
  assertEquals(stainful.preset.argv.typescript, argv);
});

Deno.test("targetClones: one per output setting, with the flag that set it", () => {
  assertEquals(targetClones(flagSettings("/repo")), []);
  const settings = flagSettings("/repo", {
    python_output: "/sdk/py",
    typescript_output: "/sdk/ts",
  });
  assertEquals(targetClones(settings), [
    { target: "python", clone: "/sdk/py", key: "python_output", source: "--python-output" },
    {
      target: "typescript",
      clone: "/sdk/ts",
      key: "typescript_output",
      source: "--typescript-output",
    },
  ]);
});
