/**
 * The SDK targets `open-pr` and `publish` deliver, from the settings: one per SDK repository the
 * pipeline pushes a mirror branch to. Today that is the Python SDK (`python_output`,
 * `package_name`); a `targets:` map (issue 11) adds entries here, and every command that loops
 * over `deliveryTargets` handles them.
 */
import type { Context } from "../config/context.ts";
import type { CheckedClone } from "../git/clone.ts";
import type { Language } from "../release/version_files.ts";

export interface DeliveryTarget {
  /** "python"; named in messages, tag prefixes and results. */
  target: string;
  /** How its version files are read (publish). */
  language: Language;
  /** The SDK clone: a path (checked by the step), or a CheckedClone whose lock the caller holds. */
  clone: string | CheckedClone;
  /** Config key of the clone's path, named in messages. */
  cloneKey: string;
  packageName: string;
}

/** The path of a target's clone, checked or not. */
export function clonePath(target: DeliveryTarget): string {
  return typeof target.clone === "string" ? target.clone : target.clone.path;
}

/**
 * The configured targets. `needs.packageName`: the step names the package (a pull request does;
 * a release reads the version files and does not), so it is required (asked for on a terminal).
 */
export async function deliveryTargets(
  context: Context,
  needs: { packageName: boolean },
): Promise<DeliveryTarget[]> {
  const clone = await context.require("python_output");
  const packageName = needs.packageName
    ? await context.require("package_name")
    : context.settings.get("package_name") ?? "";
  return [{ target: "python", language: "python", clone, cloneKey: "python_output", packageName }];
}
