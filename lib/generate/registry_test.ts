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
import { generatorChoices, generatorsFor, getGenerator } from "./registry.ts";
import { resolveTargets } from "../config/targets.ts";
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
  assert((await getGenerator("stainless")) instanceof StainlessGenerator);
  const stainful = await getGenerator("stainful");
  assert(stainful instanceof CommandGenerator);
  assertEquals([stainful.name, stainful.preset], ["stainful", COMMAND_PRESETS.stainful]);
});

Deno.test("getGenerator: unknown names and `command` without its argv are usage errors", async () => {
  const unknown = await assertRejects(
    () => getGenerator("openapi-generator"),
    /^unknown generator `openapi-generator`$/,
  );
  assertEquals((unknown as CodegenError).exitCode, 2);
  assertStringIncludes(
    (unknown as CodegenError).hint ?? "",
    "stainless, openapi-python-client, stainful, stlc, command",
  );
  const noArgv = await assertRejects(
    () => getGenerator("command"),
    /--generator command needs generator_command/,
  );
  assertEquals((noArgv as CodegenError).exitCode, 2);
});

Deno.test("generator_command: the argv of `command` for every target, or a preset's own argv", async () => {
  const argv = ["my-gen", "--spec", "{oas}", "--out", "{out}"];
  const command = (await getGenerator("command", argv)) as CommandGenerator;
  assertEquals(command.targets, ["python", "node", "typescript"]);
  assertEquals(command.preset.argv.node, argv);
  const stainful = (await getGenerator("stainful", argv)) as CommandGenerator;
  assertEquals(stainful.name, "stainful");
  assertEquals(stainful.targets, ["python", "typescript"], "the preset's targets stay");
  assertEquals(stainful.preset.argv.typescript, argv);
});

Deno.test("generatorsFor: one backend per generator; a generator that cannot produce a target is named", async () => {
  const settings = flagSettings("/repo", {
    generator: "openapi-python-client",
    python_output: "/sdk/py",
    targets: ["typescript.output=/sdk/ts", "typescript.generator=stainful"],
  });
  const targets = resolveTargets(settings).map((spec) => ({ target: spec.target, spec }));
  const groups = await generatorsFor(targets, settings);
  assertEquals(
    groups.map((g) => [g.generator.name, g.targets.map((t) => t.target)]),
    [["openapi-python-client", ["python"]], ["stainful", ["typescript"]]],
  );
  const wrong = flagSettings("/repo", {
    generator: "openapi-python-client",
    targets: ["typescript.output=/sdk/ts"],
  });
  const error = await assertRejects(
    () =>
      generatorsFor(resolveTargets(wrong).map((spec) => ({ target: spec.target, spec })), wrong),
    /the typescript target: generator openapi-python-client cannot generate a typescript SDK/,
  );
  assertEquals((error as CodegenError).exitCode, 2);
  assertStringIncludes((error as CodegenError).hint ?? "", "targets.typescript.generator");
  const typo = flagSettings("/repo", {
    targets: ["python.output=/p", "python.generator=stainfull"],
  });
  await assertRejects(
    () => generatorsFor(resolveTargets(typo).map((spec) => ({ target: spec.target, spec })), typo),
    /the python target's targets\.python\.generator \(--target python\.generator=stainfull\): unknown generator `stainfull` \(did you mean `stainful`\?\)/,
  );
});
