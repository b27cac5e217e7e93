/** `vendor`: the vendored targets generated and copied into the trace repository. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { type Context, createContext } from "../../lib/config/context.ts";
import { sayDefaultGenerator } from "../../lib/generate/generate_code.ts";
import { lockTrace } from "./trace_lock.ts";
import { usageError } from "../../lib/core/errors.ts";
import { log } from "../../lib/core/log.ts";
import { resolveTargets, splitTargets } from "../../lib/config/targets.ts";
import { planVendoring, prepareVendoring, runVendoring } from "../../lib/generate/vendoring.ts";
import { formatWarning, WarningsError } from "../../lib/generate/warnings.ts";
import { ApiRemovalsError, describeSdkApi } from "../../lib/generate/review.ts";
import type { Input } from "../options.ts";

type Options = Input<"dryRun" | "regenerate" | "allGroups" | "noWait">["options"];

export async function run(
  input: Input<"dryRun" | "regenerate" | "allGroups" | "noWait">,
): Promise<CommandOutput> {
  const context = await createContext(input);
  // Vendoring writes into the trace repository: one run at a time there.
  const release = await lockTrace(context, input.options);
  try {
    return await vendor(context, input.options);
  } finally {
    await release();
  }
}

async function vendor(context: Context, options: Options): Promise<CommandOutput> {
  const dryRun = options.dryRun ?? false;
  const { vendored } = splitTargets(resolveTargets(context.settings));
  if (vendored.length === 0) {
    throw usageError(
      "no target is vendored: vendor needs a target with vendor_dir",
      "Pass --vendor-dir python=weave/vendor/weave_server_sdk, or set " +
        "targets.<target>.vendor_dir in the config file.",
    );
  }
  sayDefaultGenerator(context.settings, vendored);
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
  // A skipped report is a note on stderr (and `sdk_api.skipped` in --json), not a result line.
  if (result.sdk_api && "base" in result.sdk_api) {
    lines.push(`sdk api\t${describeSdkApi(result.sdk_api)}`);
  }
  if (result.warnings.length) {
    lines.push(
      `warnings\t${result.warnings.length}`,
      ...result.warnings.map((w) => `\t${formatWarning(w)}`),
    );
  }
  return { json: { dryRun, ...result }, lines };
}

/**
 * --json on failure: the SDK API report that --fail-on api-removals stopped the run on, or the
 * warnings that --fail-on warnings stopped it on.
 */
export function failureJson(error: unknown): Record<string, unknown> {
  if (error instanceof ApiRemovalsError) return { sdk_api: error.record };
  return error instanceof WarningsError ? { warnings: error.warnings } : {};
}
