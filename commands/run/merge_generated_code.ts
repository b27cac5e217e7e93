/**
 * `merge_generated_code`: for every target with an SDK clone, push the generated tree to its
 * mirror branch, then pin that commit (pyproject.toml, a package.json, or not at all).
 */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import type { Context } from "../../lib/config/context.ts";
import { log } from "../../lib/core/log.ts";
import { mergeGeneratedCode, type MergeOutcome } from "../../lib/sync/mirror.ts";
import { formatMergePlan, plannedBranch } from "../../lib/pipeline/report.ts";
import { pinInputs, targetLabel } from "./pin_inputs.ts";
import type { Input } from "../options.ts";
import { lockTrace } from "./trace_lock.ts";

type Options = Input<"traceBranch" | "force" | "dryRun" | "noWait">["options"];

export async function run(
  input: Input<"traceBranch" | "force" | "dryRun" | "noWait">,
): Promise<CommandOutput> {
  const context = await createContext(input);
  // Held from before the first prompt (an answer may be saved) through the last pin.
  const release = await lockTrace(context, input.options);
  try {
    return await mergeTargets(context, input.options);
  } finally {
    await release();
  }
}

async function mergeTargets(context: Context, options: Options): Promise<CommandOutput> {
  const dryRun = options.dryRun ?? false;
  const { settings } = context;
  const targets = await pinInputs(context);
  const lines: string[] = [];
  const results: Record<string, Record<string, unknown>> = {};
  for (const { spec, sdkRepo, pin } of targets) {
    const label = targetLabel(spec.target, targets.length);
    const outcome: MergeOutcome = await mergeGeneratedCode({
      sdkRepo,
      target: spec.target,
      cloneKey: spec.outputKey,
      cloneSource: spec.origins.output,
      pin,
      traceRepo: context.repoRoot,
      traceBranch: options.traceBranch,
      mirrorPrefix: settings.get("mirror_branch_prefix"),
      sourceRef: settings.get("source_ref"),
      specPath: settings.get("openapi_output"),
      force: options.force,
      dryRun,
    });
    if (outcome.dryRun) {
      const { plan } = outcome;
      for (const line of formatMergePlan(plan)) log.info(`[dry-run] would ${label}${line}`);
      lines.push(`${label}${plannedBranch(plan)} (dry run)`);
      const pinned = plan.pin.result;
      if (pinned) {
        const state = pinned.changed ? " (dry run; not written)" : " (unchanged)";
        lines.push(`${label}${pinned.file}: ${pinned.entries.join(", ")}${state}`);
      }
      results[spec.target] = { plan };
      continue;
    }
    const { result } = outcome;
    lines.push(
      `${label}${result.branch}: ${result.commit} (${result.noop ? "unchanged" : "pushed"})`,
    );
    if (result.pin) {
      const state = result.pin.changed ? "" : " (unchanged)";
      lines.push(`${label}${result.pin.file}: ${result.pin.entries.join(", ")}${state}`);
    }
    results[spec.target] = { ...result, pin: result.pin?.pyproject ?? result.pin };
  }
  // The first target's fields at the top, as when there was only the Python SDK.
  const first = results[targets[0].spec.target];
  return { json: { dryRun, ...first, targets: results }, lines };
}
