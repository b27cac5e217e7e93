/** `merge_generated_code`: push the generated tree to the mirror branch, then pin that commit. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { log } from "../../lib/core/log.ts";
import { mergeGeneratedCode } from "../../lib/sync/mirror.ts";
import { formatMergePlan } from "../../lib/pipeline/report.ts";
import { pinInputs } from "./pin_inputs.ts";
import type { Input } from "../options.ts";
import { lockTrace } from "./trace_lock.ts";

export async function run(
  input: Input<"traceBranch" | "force" | "dryRun" | "noWait">,
): Promise<CommandOutput> {
  const { options } = input;
  const dryRun = options.dryRun ?? false;
  const context = await createContext(input);
  const { settings } = context;
  const release = await lockTrace(context, options);
  const outcome = await pinInputs(context).then((pin) =>
    mergeGeneratedCode({
      ...pin,
      traceRepo: context.repoRoot,
      traceBranch: options.traceBranch,
      mirrorPrefix: settings.get("mirror_branch_prefix"),
      sourceRef: settings.get("source_ref"),
      specPath: settings.get("openapi_output"),
      force: options.force,
      dryRun,
    })
  ).finally(release);
  if (outcome.dryRun) {
    const { plan } = outcome;
    for (const line of formatMergePlan(plan)) log.info(`[dry-run] would ${line}`);
    const commit = plan.push === "no" ? plan.mirrorTip : undefined;
    const pin = plan.pin.result;
    const state = pin.changed ? " (dry run; not written)" : " (unchanged)";
    return {
      json: { dryRun, plan },
      lines: [
        `${plan.branch}: ${commit ?? "(not created)"} (dry run)`,
        `${pin.pyprojectPath}: ${pin.entries.join(", ")}${state}`,
      ],
    };
  }
  const { result } = outcome;
  const state = result.pin.changed ? "" : " (unchanged)";
  return {
    json: { dryRun, ...result },
    lines: [
      `${result.branch}: ${result.commit} (${result.noop ? "unchanged" : "pushed"})`,
      `${result.pin.pyprojectPath}: ${result.pin.entries.join(", ")}${state}`,
    ],
  };
}
