/** `vendor`: the vendored targets generated and copied into the trace repository. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { usageError } from "../../lib/core/errors.ts";
import { log } from "../../lib/core/log.ts";
import { resolveTargets, splitTargets } from "../../lib/config/targets.ts";
import { planVendoring, prepareVendoring, runVendoring } from "../../lib/generate/vendoring.ts";
import { formatWarning, WarningsError } from "../../lib/generate/warnings.ts";
import type { Input } from "../options.ts";

export async function run(
  input: Input<"dryRun" | "regenerate" | "allGroups">,
): Promise<CommandOutput> {
  const { options } = input;
  const dryRun = options.dryRun ?? false;
  const context = await createContext(input);
  const { vendored } = splitTargets(resolveTargets(context.settings));
  if (vendored.length === 0) {
    throw usageError(
      "no target is vendored: vendor needs a target with vendor_dir",
      "Pass --vendor-dir python=weave/vendor/weave_server_sdk, or set " +
        "targets.<target>.vendor_dir in the config file.",
    );
  }
  const prepared = await prepareVendoring({
    settings: context.settings,
    repoRoot: context.repoRoot,
    targets: vendored,
    dryRun,
    allGroups: options.allGroups ?? false,
  });
  if (dryRun) {
    const plan = await planVendoring(prepared, { regenerate: options.regenerate });
    for (const line of plan) log.info(`[dry-run] would ${line}`);
    const targets = Object.fromEntries(
      prepared.input.targets.map((t) => [t.target, { vendor_dir: t.vendorDir }]),
    );
    return {
      json: { dryRun, targets, plan },
      lines: prepared.input.targets.map((t) => `${t.target}\t${t.vendorDir}\tdry run`),
    };
  }
  const result = await runVendoring(prepared, { regenerate: options.regenerate });
  const lines = Object.values(result.targets).map((r) => {
    const state = r!.skipped
      ? "up to date"
      : r!.changed
      ? `updated: ${r!.files} files (${r!.changes?.added.length} added, ${
        r!.changes?.changed.length
      } changed, ${r!.changes?.removed.length} removed)`
      : "unchanged";
    return `${r!.target}\t${r!.vendor_dir}\t${state}`;
  });
  if (result.warnings.length) {
    lines.push(
      `warnings\t${result.warnings.length}`,
      ...result.warnings.map((w) => `\t${formatWarning(w)}`),
    );
  }
  return { json: { dryRun, ...result }, lines };
}

/** --json on failure: the warnings that --fail-on warnings stopped the run on. */
export function failureJson(error: unknown): Record<string, unknown> {
  return error instanceof WarningsError ? { warnings: error.warnings } : {};
}
