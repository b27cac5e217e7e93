/**
 * Generator names to backends. `stainless` is the hosted service (stainless/generator.ts); every
 * other name is a local generator run as a subprocess from an argv template (command/generator.ts).
 * Backends are loaded on demand, so a run pays only for the one it uses.
 *
 * Each target has its own generator (lib/config/targets.ts: `targets.<t>.generator`, else the
 * `generator` key); targets with the same generator and argv share one backend (one hosted build
 * for all its targets).
 */
import { usageError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import type { Settings } from "../config/settings.ts";
import type { TargetSpec } from "../config/targets.ts";
import { unknownChoice } from "../core/suggest.ts";
import { COMMAND_PRESETS } from "./presets.ts";
import type { Generator, InputReaders } from "./types.ts";

/** Names accepted by --generator, with a one-line description each. */
export function generatorChoices(): Record<string, string> {
  return {
    stainless:
      "hosted Stainless API (needs STAINLESS_API_KEY and GITHUB_TOKEN; closed to new projects since May 2026)",
    ...Object.fromEntries(Object.values(COMMAND_PRESETS).map((p) => [p.name, p.summary])),
    command: "any local generator: generator_command is its argv template",
  };
}

/** Resolves a generator name (and the user's argv template, if any) to a backend. */
export async function getGenerator(name: string, custom?: string[]): Promise<Generator> {
  if (name === "stainless") {
    const { StainlessGenerator } = await import("./stainless/generator.ts");
    return new StainlessGenerator();
  }
  const { CommandGenerator } = await import("./command/generator.ts");
  if (name === "command") {
    if (!custom) {
      throw usageError(
        "--generator command needs generator_command (the generator's argv template)",
        'Pass --generator-command "my-gen --spec {oas} --out {out}" or set `generator_command:` in the config file.',
      );
    }
    return new CommandGenerator({
      name: "command",
      maturity: "custom",
      summary: "custom command",
      argv: { python: custom, node: custom, typescript: custom },
    });
  }
  const preset = COMMAND_PRESETS[name];
  if (!preset) {
    const choices = Object.keys(generatorChoices());
    throw usageError(`unknown generator \`${name}\``, `Choose one of: ${choices.join(", ")}.`);
  }
  if (!custom) return new CommandGenerator(preset);
  // A preset with the user's argv (e.g. stlc's real flags): same name, same targets; where the
  // output lands is the user's argv's business.
  return new CommandGenerator({
    ...preset,
    argv: Object.fromEntries(Object.keys(preset.argv).map((t) => [t, custom])),
    treeRoot: undefined,
  });
}

/**
 * The argv template a target's local generator runs (the preset's, or `generator_command`);
 * undefined for the hosted generator and for a name nobody knows.
 */
export function localTemplate(spec: TargetSpec): readonly string[] | undefined {
  if (spec.generator === "stainless") return undefined;
  if (spec.generatorCommand) return spec.generatorCommand;
  const preset = COMMAND_PRESETS[spec.generator];
  return preset?.argv[spec.target] ?? preset?.argv[spec.language];
}

/**
 * The targets that get the prepared inputs of a run (lib/generate/local_inputs.ts): every target
 * of a local generator gets the spec copy, those whose argv names `{config}` the config copy.
 */
export function inputReaders(specs: readonly TargetSpec[]): InputReaders {
  const local = specs.filter((spec) => localTemplate(spec) !== undefined);
  return {
    spec: local.map((spec) => spec.target),
    config: local.filter((spec) => localTemplate(spec)!.some((arg) => arg.includes("{config}")))
      .map((spec) => spec.target),
  };
}

/** What makes two targets share a backend: the generator and its argv. */
function groupKey(spec: TargetSpec): string {
  return JSON.stringify([spec.generator, spec.generatorCommand ?? null]);
}

/**
 * The backend of each target, grouped: one entry per generator (and argv), with its targets in
 * the order given. A generator name nobody knows, and a generator that cannot produce a target
 * (openapi-python-client for TypeScript), are configuration errors naming the target and where
 * its generator was chosen.
 */
export async function generatorsFor<T extends { target: string; spec: TargetSpec }>(
  targets: readonly T[],
  settings: Settings,
): Promise<{ generator: Generator; targets: T[] }[]> {
  const groups = new Map<string, { generator: Generator; targets: T[] }>();
  for (const target of targets) {
    const { spec } = target;
    for (const note of spec.unused ?? []) {
      log.warn(`${spec.target}: ${note}`);
    }
    const where = spec.origins.generator
      ? `targets.${spec.target}.generator (${spec.origins.generator})`
      : `generator (${settings.origin("generator") ?? "default"})`;
    const choices = Object.keys(generatorChoices());
    if (!choices.includes(spec.generator)) {
      throw unknownChoice(
        "generator",
        spec.generator,
        choices,
        `the ${spec.target} target's ${where}`,
      );
    }
    const key = groupKey(spec);
    let group = groups.get(key);
    if (!group) {
      group = { generator: await getGenerator(spec.generator, spec.generatorCommand), targets: [] };
      groups.set(key, group);
    }
    if (!group.generator.supports(spec.target)) {
      const generator = group.generator;
      throw usageError(
        `the ${spec.target} target: generator ${generator.name} cannot generate a ${spec.language} SDK (it generates: ${
          generator.targets.join(", ")
        }; chosen by ${where})`,
        `Choose a generator for ${spec.target} that does, e.g. \`targets.${spec.target}.generator: ${
          spec.language === "python" ? "openapi-python-client" : "stainful"
        }\` in the config file (or --target ${spec.target}.generator=...).`,
      );
    }
    group.targets.push(target);
  }
  return [...groups.values()];
}
