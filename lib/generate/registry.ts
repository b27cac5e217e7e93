/**
 * Generator names to backends. `stainless` is the hosted service (stainless/generator.ts); every
 * other name is a local generator run as a subprocess from an argv template (command/generator.ts).
 * Backends are loaded on demand, so a run pays only for the one it uses.
 */
import { usageError } from "../core/errors.ts";
import type { Settings } from "../config/settings.ts";
import { COMMAND_PRESETS } from "./presets.ts";
import { type Generator, SDK_TARGETS, type TargetClone } from "./types.ts";

/** Names accepted by --generator, with a one-line description each. */
export function generatorChoices(): Record<string, string> {
  return {
    stainless:
      "hosted Stainless API (needs STAINLESS_API_KEY and GITHUB_TOKEN; closed to new projects since May 2026)",
    ...Object.fromEntries(Object.values(COMMAND_PRESETS).map((p) => [p.name, p.summary])),
    command: "any local generator: generator_command is its argv template",
  };
}

/** Resolves a generator name to a backend. */
export async function getGenerator(name: string, settings: Settings): Promise<Generator> {
  if (name === "stainless") {
    const { StainlessGenerator } = await import("./stainless/generator.ts");
    return new StainlessGenerator();
  }
  const { CommandGenerator } = await import("./command/generator.ts");
  const custom = settings.get("generator_command");
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
      argv: Object.fromEntries(SDK_TARGETS.map((t) => [t, custom])),
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

const OUTPUT_KEYS = {
  python: "python_output",
  node: "node_output",
  typescript: "typescript_output",
} as const;

/** The SDK clones to generate, from python_output / node_output / typescript_output. */
export function targetClones(settings: Settings): TargetClone[] {
  return SDK_TARGETS.flatMap((target) => {
    const key = OUTPUT_KEYS[target];
    const clone = settings.get(key);
    return clone ? [{ target, clone, key, source: settings.origin(key) ?? key }] : [];
  });
}
