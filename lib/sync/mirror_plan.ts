/**
 * What a merge would push and pin, found without fetching or writing anything (`git ls-remote`
 * and local reads only), as data: lib/pipeline/report.ts turns it into words.
 */
import { resolveCommit, treeOf } from "../git/git.ts";
import type { PinSpec } from "../pin/pin.ts";
import { releaseVersion, writeTargetPin } from "../pin/target_pin.ts";
import { type PreparedMerge, remoteTips, resolveGenerated } from "./prepare.ts";
import {
  GENERATED_VERSION,
  type MergePlan,
  NEW_MIRROR_COMMIT,
  type PinnedValue,
  type PushDecision,
} from "./types.ts";

export interface PlanOptions {
  /**
   * The generated code does not exist yet: `all --dry-run` plans the merge before its generate
   * stage would run. Then whether anything is pushed depends on the tree generated later.
   */
  generatedLater?: boolean;
}

/**
 * The plan of `runMerge(prepared)`. A real run pushes a new commit unless the mirror branch on
 * origin already holds the generated tree; that is known only when its tip is here already (from
 * an earlier fetch or push) and the tree is generated: otherwise the plan says "unless unchanged".
 */
export async function planMerge(
  prepared: PreparedMerge,
  options: PlanOptions = {},
): Promise<MergePlan> {
  const { baseTip, mirrorTip } = await remoteTips(prepared);
  const generated = options.generatedLater ? undefined : await resolveGenerated(prepared);
  const push = await pushDecision(prepared, mirrorTip, generated?.tree);
  const pins = await pinnedValue(prepared, push, mirrorTip, generated?.commit);
  const spec: PinSpec = pins.kind === "version"
    ? { version: pins.version }
    : pins.kind === "version of the generated code"
    ? { version: GENERATED_VERSION }
    : { commit: pins.kind === "known sha" ? pins.sha : NEW_MIRROR_COMMIT };
  return {
    branch: prepared.branch,
    traceBranch: prepared.traceBranch,
    baseBranch: prepared.baseBranch,
    baseTip,
    mirrorTip,
    sourceRef: prepared.sourceRef,
    generated,
    push,
    pin: { pins, result: await writeTargetPin(prepared.pin, spec, { dryRun: true }) },
  };
}

async function pushDecision(
  prepared: PreparedMerge,
  mirrorTip: string | undefined,
  tree: string | undefined,
): Promise<PushDecision> {
  if (!mirrorTip) return "yes"; // a new branch
  // Read-only: the tip's objects are here only if an earlier fetch or push brought them.
  const known = await resolveCommit(prepared.sdkRepo, mirrorTip);
  if (!known || tree === undefined) return "unless unchanged";
  return (await treeOf(prepared.sdkRepo, known)) === tree ? "no" : "yes";
}

async function pinnedValue(
  prepared: PreparedMerge,
  push: PushDecision,
  mirrorTip: string | undefined,
  generated: string | undefined,
): Promise<PinnedValue> {
  if (prepared.pin.release) {
    return generated
      ? {
        kind: "version",
        version: await releaseVersion(prepared.pin, prepared.sdkRepo, generated),
      }
      : { kind: "version of the generated code" };
  }
  return push === "no" && mirrorTip ? { kind: "known sha", sha: mirrorTip } : {
    kind: "new mirror commit",
  };
}
