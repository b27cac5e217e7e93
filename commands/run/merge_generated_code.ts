/** `merge_generated_code`: push the generated tree to the mirror branch, then pin that commit. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { mergeGeneratedCode } from "../../lib/sync/mirror.ts";
import { pinInputs } from "./pin_inputs.ts";
import type { Input } from "../options.ts";

export async function run(
  input: Input<"traceBranch" | "force" | "dryRun">,
): Promise<CommandOutput> {
  const { options } = input;
  const dryRun = options.dryRun ?? false;
  const context = await createContext(input);
  const { settings } = context;
  const result = await mergeGeneratedCode({
    ...await pinInputs(context),
    traceRepo: context.repoRoot,
    traceBranch: options.traceBranch,
    mirrorPrefix: settings.get("mirror_branch_prefix"),
    sourceRef: settings.get("source_ref"),
    specPath: settings.get("openapi_output"),
    force: options.force,
    dryRun,
  });
  const what = result.noop ? "unchanged" : result.pushed ? "pushed" : "dry run";
  const lines = [`${result.branch}: ${result.commit ?? "(not created)"} (${what})`];
  if (result.pin) {
    const state = result.pin.changed ? (dryRun ? " (dry run; not written)" : "") : " (unchanged)";
    lines.push(`${result.pin.pyprojectPath}: ${result.pin.entries.join(", ")}${state}`);
  }
  return { json: { dryRun, ...result }, lines };
}
