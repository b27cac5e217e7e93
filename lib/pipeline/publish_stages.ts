/**
 * The last stages of `all` before the pull request: merge (auto-merge: push the mirror branch,
 * then pin that commit) or pin (--no-auto-merge: pin the local generated commit, push nothing).
 */
import { CodegenError } from "../core/errors.ts";
import { resolveCommit, short } from "../git/git.ts";
import type { GenerateOutput } from "../generate/types.ts";
import type { PreparedMerge } from "../sync/prepare.ts";
import { type FetchedRemote, runMerge } from "../sync/mirror.ts";
import { planMerge } from "../sync/mirror_plan.ts";
import { GENERATED_VERSION, type MergePlan, type MergeResult } from "../sync/types.ts";
import {
  type PinResult,
  type PinSpec,
  type PreparedPin,
  sdkVersion,
  writePin,
} from "../pin/pin.ts";
import { formatMergePlan } from "./report.ts";
import type { Staged } from "./stage_runner.ts";
import { onSomeRemote, unpublishedPinWarning } from "./checks.ts";
import { log } from "../core/log.ts";

/** How a dry run of --no-auto-merge names the commit generation leaves on the source ref. */
export const GENERATED_COMMIT = "<generated commit>";

/** Stage 4 (auto-merge): push the mirror branch, then pin (dry run: the merge plan). */
export async function mergeStage(
  merge: PreparedMerge,
  dryRun: boolean,
  remote: Promise<FetchedRemote> | undefined,
): Promise<Staged<{ plan: MergePlan } | { merged: MergeResult }>> {
  if (dryRun) {
    // Generation has not run: whether a real run pushes depends on the tree it generates.
    const plan = await planMerge(merge, { generatedLater: true });
    return { out: { plan }, did: plannedPush(plan), plan: formatMergePlan(plan) };
  }
  const merged = await runMerge(merge, { remote });
  return {
    out: { merged },
    did: `${merged.branch} ${short(merged.commit)} ${merged.noop ? "(already there)" : "(pushed)"}`,
  };
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

/** Stage 4 (--no-auto-merge): pin the commit generation left on the source ref. */
export async function pinStage(
  pin: PreparedPin,
  generated: GenerateOutput | undefined,
  sourceRef: string,
  dryRun: boolean,
): Promise<Staged<PinResult & { commitOnRemote?: boolean }>> {
  let spec: PinSpec;
  if (dryRun) {
    spec = pin.release ? { version: GENERATED_VERSION } : { commit: GENERATED_COMMIT };
  } else {
    const commit = generated?.targets.python?.commit ??
      await resolveCommit(pin.sdkRepo, `refs/heads/${sourceRef}`);
    if (!commit) {
      throw new CodegenError(`the SDK clone ${pin.sdkRepo} has no ${sourceRef} to pin`, {
        hint: "The generate stage left nothing there; check its output above.",
      });
    }
    spec = pin.release ? { version: await sdkVersion(pin.sdkRepo, commit) } : { commit };
  }
  const sdkCommit = "commit" in spec ? spec.commit : generated?.targets.python?.commit;
  const result: PinResult & { commitOnRemote?: boolean } = await writePin(pin, spec, {
    dryRun,
    sdkCommit,
  });
  if (!dryRun && "commit" in spec && !(await onSomeRemote(pin.sdkRepo, spec.commit))) {
    // The pin names a commit nobody else can fetch: the summary and --json say so.
    result.commitOnRemote = false;
    const warning = unpublishedPinWarning(pin.sdkRepo, spec.commit);
    log.warn(warning);
    result.warnings = [...result.warnings ?? [], warning];
  }
  const plan = dryRun ? [`write ${pin.pyprojectPath}: ${result.entry}`] : undefined;
  return { out: result, did: `${result.entry}${result.changed ? "" : " (unchanged)"}`, plan };
}
