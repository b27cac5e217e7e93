/**
 * What update_pyproject and merge_generated_code work on: every configured target with an SDK
 * clone (python_output and package_name are that of the Python target), each with its pin.
 */
import type { Context } from "../../lib/config/context.ts";
import { usageError } from "../../lib/core/errors.ts";
import { requireTargets, splitTargets, type TargetSpec } from "../../lib/config/targets.ts";
import { targetPinOptions } from "../../lib/pipeline/check_stage.ts";
import type { TargetPinOptions } from "../../lib/pin/target_pin.ts";

export interface TargetPinInputs {
  spec: TargetSpec;
  sdkRepo: string;
  pin: TargetPinOptions;
}

/** The targets with a clone, with their pins; a usage error when every target is vendored. */
export async function pinInputs(context: Context): Promise<TargetPinInputs[]> {
  const { clones, vendored } = splitTargets(await requireTargets(context, { packageName: true }));
  if (clones.length === 0) {
    throw usageError(
      `every configured target is vendored (${vendored.map((t) => t.target).join(", ")}): ` +
        "there is no SDK clone to push or pin",
      "A vendored copy is written by `codegen vendor` (or `codegen all`) and needs no pin.",
    );
  }
  return await Promise.all(clones.map(async (spec) => ({
    spec,
    sdkRepo: spec.output!,
    pin: await targetPinOptions(context.settings, spec),
  })));
}

/** "typescript: " in front of a line when several targets are handled, else nothing. */
export function targetLabel(target: string, count: number): string {
  return count > 1 ? `${target}: ` : "";
}
