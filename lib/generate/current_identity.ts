/**
 * Who would generate each target now, for `codegen check`: the generator identity a generation
 * would stamp (name, version, argv, generator config, package name, hooks, kept paths) and the
 * endpoint groups it would select. Nothing is generated, written or fetched: a local generator's
 * version comes from the version cache, or from `<generator> --version` (not cached: this is a
 * run that writes nothing).
 */
import type { Settings } from "../config/settings.ts";
import type { SdkTarget } from "../config/structured_keys.ts";
import type { TargetSpec } from "../config/targets.ts";
import type { GroupSelection } from "../inputs/groups.ts";
import type { GeneratorIdentity } from "../provenance/stamp.ts";
import { baseInput } from "./generate_code.ts";
import { generatorsFor } from "./registry.ts";

export interface CurrentIdentities {
  identities: Partial<Record<SdkTarget, GeneratorIdentity>>;
  /** Each target's paths kept from main (`preserve`; none for the hosted generator). */
  kept: Partial<Record<SdkTarget, readonly string[]>>;
  groups: GroupSelection | null;
}

export async function currentIdentities(
  settings: Settings,
  repoRoot: string,
  specs: readonly TargetSpec[],
  options: { allGroups?: boolean } = {},
): Promise<CurrentIdentities> {
  const base = baseInput(settings, repoRoot, {
    dryRun: true,
    allGroups: options.allGroups,
    runTargets: specs,
  });
  const targets = specs.map((spec) => ({ target: spec.target, spec }));
  const identities: CurrentIdentities["identities"] = {};
  const kept: CurrentIdentities["kept"] = {};
  for (const { generator, targets: mine } of await generatorsFor(targets, settings)) {
    const input = { ...base, targets: mine };
    for (const target of mine) {
      identities[target.target] = await generator.identity(target, input);
      kept[target.target] = generator.keptPaths(target);
    }
  }
  return { identities, kept, groups: base.groups ?? null };
}
