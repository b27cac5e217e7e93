/**
 * The vendor stage of `all`: the vendored targets copied into the trace repository
 * (lib/generate/vendoring.ts), or in a dry run the plan. When --fail-on api-removals stops it
 * (before the swap), the SDK API report still goes into the result's `vendor.sdk_api`.
 */
import { generatorNames } from "../generate/generate_code.ts";
import { ApiRemovalsError } from "../generate/review.ts";
import {
  planVendoring,
  type PreparedVendoring,
  runVendoring,
  type VendorOutput,
} from "../generate/vendoring.ts";
import type { SpecDiff } from "../spec/diff.ts";
import { assertNotBreaking } from "../spec/spec_change.ts";
import type { PipelineOptions } from "./check_stage.ts";
import { PipelineError } from "./pipeline_error.ts";
import type { PipelineResult } from "./report.ts";
import type { Staged, StageRunner } from "./stage_runner.ts";

/** The vendor stage, run; when --fail-on api-removals stops it, its report goes into `vendor`. */
export async function vendor(
  runner: StageRunner,
  vendoring: PreparedVendoring,
  options: PipelineOptions,
  diff: SpecDiff | undefined,
  result: PipelineResult,
): Promise<VendorOutput | undefined> {
  try {
    return await runner.run("vendor", () => vendorStage(vendoring, options, diff));
  } catch (error) {
    if (error instanceof PipelineError && error.original instanceof ApiRemovalsError) {
      result.vendor = {
        generator: generatorNames(vendoring.groups),
        targets: {},
        warnings: [],
        sdk_api: error.original.record,
      };
    }
    throw error;
  }
}

/**
 * The vendor stage: the vendored targets copied into the trace repository (dry run: the plan);
 * skipped when every copy is up to date. With --fail-on-breaking, a breaking spec change stops it.
 */
async function vendorStage(
  vendoring: PreparedVendoring,
  options: PipelineOptions,
  diff: SpecDiff | undefined,
): Promise<Staged<VendorOutput | undefined>> {
  const regenerate = options.regenerate ?? false;
  const name = generatorNames(vendoring.groups);
  if (vendoring.input.dryRun) {
    const plan = await planVendoring(vendoring, { regenerate, specFinal: false });
    return { out: undefined, did: `would vendor with ${name}`, plan };
  }
  assertNotBreaking(diff, options.failOnBreaking ?? false, vendoring.input.specPath);
  const out = await runVendoring(vendoring, { regenerate });
  const results = Object.values(out.targets);
  const did = results.map((r) =>
    `${r!.target} ${r!.vendor_dir}${r!.skipped ? " (up to date)" : r!.changed ? " (updated)" : ""}`
  ).join(", ");
  const allSkipped = results.length > 0 && results.every((r) => r?.skipped);
  return {
    out,
    did: did || "nothing vendored",
    skipped: allSkipped ? `up to date: ${results.map((r) => r?.skipped).join("; ")}` : undefined,
  };
}
