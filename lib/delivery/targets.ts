/**
 * The SDK targets `open-pr` and `publish` deliver, from the settings: one per target with an SDK
 * clone (lib/config/targets.ts; vendored targets have no SDK repository of their own), each
 * with its own repository (`targets.<t>.github_repo`, else `github_repo`, else its clone's
 * origin). Every command that loops over `deliveryTargets` handles them all.
 */
import { CodegenError } from "../core/errors.ts";
import { exists } from "../core/fs.ts";
import type { Context } from "../config/context.ts";
import { originOf, requireTargets, splitTargets, type TargetSpec } from "../config/targets.ts";
import type { CheckedClone } from "../git/clone.ts";
import { readStainlessConfig } from "../inputs/stainless_config.ts";
import type { Language } from "../pin/version_files.ts";

export interface DeliveryTarget {
  /** "python", "typescript"; named in messages, tag prefixes and results. */
  target: string;
  /** How its version files are read (publish). */
  language: Language;
  /** The SDK clone: a path (checked by the step), or a CheckedClone whose lock the caller holds. */
  clone: string | CheckedClone;
  /** Config key of the clone's path, named in messages. */
  cloneKey: string;
  /** Where the path was given (the flag typed, argument, variable, file line), for messages. */
  cloneSource?: string;
  packageName: string;
  /** The target's own repository on GitHub (owner/name), when set; else the step's default. */
  githubRepo?: string;
  /** Where githubRepo was set, for messages. */
  githubRepoSource?: string;
  /** The target's generator (for the reproduce command when the stamp does not say). */
  generator?: string;
}

/** The path of a target's clone, checked or not. */
export function clonePath(target: DeliveryTarget): string {
  return typeof target.clone === "string" ? target.clone : target.clone.path;
}

/**
 * The package name of a target: its `package_name`, else `targets.<t>.package_name` of the
 * Stainless config, else the target's name (a pull request's title needs some name).
 */
export async function deliveredPackageName(
  spec: TargetSpec,
  stainlessConfigPath: string | undefined,
): Promise<string> {
  if (spec.packageName) return spec.packageName;
  if (stainlessConfigPath && await exists(stainlessConfigPath)) {
    try {
      const config = await readStainlessConfig(stainlessConfigPath);
      const names = spec.language === "typescript"
        ? [spec.target, "typescript", "node"]
        : ["python"];
      const named = names.map((n) => config.targets.find((t) => t.name === n)?.packageName)
        .find(Boolean);
      if (named) return named;
    } catch (error) {
      if (!(error instanceof CodegenError)) throw error;
      // An unreadable config names no package: the target's name stands in.
    }
  }
  return spec.target;
}

/** One delivery target from a target's spec (its clone as given, or checked by the caller). */
export async function deliveryTarget(
  spec: TargetSpec,
  context: Pick<Context, "settings">,
  clone?: CheckedClone,
): Promise<DeliveryTarget> {
  const { settings } = context;
  return {
    target: spec.target,
    language: spec.language,
    clone: clone ?? spec.output!,
    cloneKey: spec.outputKey,
    cloneSource: spec.origins.output,
    packageName: await deliveredPackageName(spec, settings.get("stainless_config")),
    githubRepo: spec.githubRepo,
    githubRepoSource: spec.githubRepo ? originOf(spec, "github_repo", settings) : undefined,
    generator: spec.generator,
  };
}

/**
 * The configured targets that have a clone. `needs.packageName`: the step names the package (a
 * pull request does; a release reads the version files and does not), so a Python target's is
 * required (asked for on a terminal).
 */
export async function deliveryTargets(
  context: Pick<Context, "settings" | "require">,
  needs: { packageName: boolean },
): Promise<DeliveryTarget[]> {
  const { clones } = splitTargets(await requireTargets(context, needs));
  if (clones.length === 0) {
    throw new CodegenError("every configured target is vendored: no SDK repository to deliver", {
      kind: "usage",
      hint: "open-pr and publish work on SDK clones (targets.<t>.output); a vendored copy is " +
        "reviewed in the trace repository's own pull request.",
    });
  }
  return await Promise.all(clones.map((spec) => deliveryTarget(spec, context)));
}
