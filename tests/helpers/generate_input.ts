/** Inputs of the generator backends for unit tests: settings from flags only, no config file. */
import { join } from "node:path";
import { Settings } from "../../lib/config/settings.ts";
import type { GenerateInput, TargetClone } from "../../lib/generate/types.ts";
import type { SdkTarget } from "../../lib/config/structured_keys.ts";
import { specOf } from "../../lib/config/targets.ts";

/** Settings of a run in `repoRoot` from these flags (keys) alone: no config file, no env. */
export function flagSettings(repoRoot: string, flags: Record<string, unknown> = {}): Settings {
  const configFile = {
    path: join(repoRoot, "generate_config.yaml"),
    exists: false,
    values: {},
    placeholders: {},
    warnings: [],
  };
  return new Settings({ repoRoot, cwd: repoRoot, configFile, flags, env: {} });
}

/** A dry-run GenerateInput for a trace repository made by makeTraceRepo(). */
export function generateInput(
  repoRoot: string,
  settings: Settings,
  targets: TargetClone[],
): GenerateInput {
  return {
    repoRoot,
    specPath: join(repoRoot, "tools/codegen/openapi.json"),
    stainlessConfigPath: join(repoRoot, "tools/codegen/openapi.stainless.yml"),
    targets,
    settings,
    dryRun: true,
  };
}

/** A target's clone with its spec as `settings` give it (`source`: the flag named in messages). */
export function targetClone(
  settings: Settings,
  target: SdkTarget,
  clone: string,
  source = `--${target}-output`,
): TargetClone {
  return { target, clone, source, spec: specOf(settings, target) };
}
