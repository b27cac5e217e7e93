/**
 * The last stages of `all` before the pull request, for every target with an SDK clone: merge
 * (auto-merge: push its mirror branch, then pin that commit) or pin (--no-auto-merge: pin the
 * local generated commit, push nothing). Targets are handled one after the other, in the order
 * python, typescript; a target without a pin (`pin: none`) is only pushed.
 */
import { CodegenError } from "../core/errors.ts";
import { resolveCommit, short } from "../git/git.ts";
import type { GenerateOutput } from "../generate/types.ts";
import type { PreparedMerge } from "../sync/prepare.ts";
import { type FetchedRemote, runMerge } from "../sync/mirror.ts";
import { planMerge } from "../sync/mirror_plan.ts";
import { GENERATED_VERSION, type MergePlan, type MergeResult } from "../sync/types.ts";
import type { PinSpec } from "../pin/pin.ts";
import {
  type PreparedTargetPin,
  releaseVersion,
  type TargetPinResult,
  writeTargetPin,
} from "../pin/target_pin.ts";
import { formatMergePlan } from "./report.ts";
import type { Staged } from "./stage_runner.ts";
import { onSomeRemote, unpublishedPinWarning } from "./checks.ts";
import { log } from "../core/log.ts";
import { basename } from "../core/paths.ts";

/** How a dry run of --no-auto-merge names the commit generation leaves on the source ref. */
export const GENERATED_COMMIT = "<generated commit>";

/** What the merge stage did for one target (dry run: its plan). */
export type TargetMerge = { target: string } & ({ plan: MergePlan } | { merged: MergeResult });

/** What the pin stage wrote for one target. */
export interface TargetPin {
  target: string;
  /** Undefined for a target that is not pinned. */
  result?: TargetPinResult;
}

/** "python: " when several targets are published, else nothing (the single-target wording). */
function prefix(target: string, count: number): string {
  return count > 1 ? `${target}: ` : "";
}

/** Stage 4 (auto-merge): push each target's mirror branch, then pin (dry run: the plans). */
export async function mergeStage(
  merges: { target: string; merge: PreparedMerge }[],
  dryRun: boolean,
  remotes: Record<string, Promise<FetchedRemote>> | undefined,
): Promise<Staged<TargetMerge[]>> {
  const out: TargetMerge[] = [];
  const did: string[] = [];
  const plan: string[] = [];
  for (const { target, merge } of merges) {
    const label = prefix(target, merges.length);
    if (dryRun) {
      // Generation has not run: whether a real run pushes depends on the tree it generates.
      const planned = await planMerge(merge, { generatedLater: true });
      out.push({ target, plan: planned });
      did.push(`${label}${plannedPush(planned)}`);
      plan.push(...formatMergePlan(planned).map((line) => `${label}${line}`));
      continue;
    }
    const merged = await runMerge(merge, { remote: remotes?.[target] });
    out.push({ target, merged });
    did.push(
      `${label}${merged.branch} ${short(merged.commit)} ${
        merged.noop ? "(already there)" : "(pushed)"
      }`,
    );
  }
  return { out, did: did.join("; "), plan: dryRun ? plan : undefined };
}

function plannedPush(plan: MergePlan): string {
  switch (plan.push) {
    case "yes":
      return `would push a new commit to ${plan.branch}`;
    case "no":
      return `would push nothing: ${plan.branch} already holds the generated code`;
    case "unless unchanged":
      return `would push to ${plan.branch} only if the generated code differs from ${
        short(plan.mirrorTip)
      }`;
  }
}

/** Stage 4 (--no-auto-merge): pin the commit generation left on each target's source ref. */
export async function pinStage(
  pins: { target: string; pin: PreparedTargetPin; sdkRepo: string }[],
  generated: GenerateOutput | undefined,
  sourceRef: string,
  dryRun: boolean,
): Promise<Staged<TargetPin[]>> {
  const out: TargetPin[] = [];
  const did: string[] = [];
  const plan: string[] = [];
  for (const { target, pin, sdkRepo } of pins) {
    const label = prefix(target, pins.length);
    if (pin.kind === "none") {
      out.push({ target });
      did.push(`${label}not pinned (pin: none)`);
      continue;
    }
    let spec: PinSpec;
    if (dryRun) {
      spec = pin.release ? { version: GENERATED_VERSION } : { commit: GENERATED_COMMIT };
    } else {
      const commit = generated?.targets[target as "python"]?.commit ??
        await resolveCommit(sdkRepo, `refs/heads/${sourceRef}`);
      if (!commit) {
        throw new CodegenError(`the SDK clone ${sdkRepo} has no ${sourceRef} to pin`, {
          hint: "The generate stage left nothing there; check its output above.",
        });
      }
      spec = pin.release ? { version: await releaseVersion(pin, sdkRepo, commit) } : { commit };
    }
    const sdkCommit = "commit" in spec
      ? spec.commit
      : generated?.targets[target as "python"]?.commit;
    const result = (await writeTargetPin(pin, spec, { dryRun, sdkCommit }))!;
    if (!dryRun && "commit" in spec && !(await onSomeRemote(sdkRepo, spec.commit))) {
      // The pin names a commit nobody else can fetch: the summary and --json say so.
      result.commitOnRemote = false;
      const warning = unpublishedPinWarning(sdkRepo, spec.commit, basename(result.file));
      log.warn(warning);
      result.warnings = [...result.warnings ?? [], warning];
      if (result.pyproject) {
        result.pyproject.warnings = result.warnings;
        result.pyproject.commitOnRemote = false;
      }
    }
    out.push({ target, result });
    did.push(`${label}${result.entry}${result.changed ? "" : " (unchanged)"}`);
    plan.push(`${label}write ${result.file}: ${result.entry}`);
  }
  return { out, did: did.join("; "), plan: dryRun ? plan : undefined };
}
