/**
 * `merge_generated_code --dry-run`: what a real run would push and pin, found without fetching or
 * writing anything.
 */
import { resolveCommit, treeOf } from "../git/git.ts";
import { log } from "../core/log.ts";
import { pinSdk } from "../pin/pin.ts";
import type { MergeResult, PinTarget } from "./types.ts";
import { NEW_MIRROR_COMMIT } from "./types.ts";

export interface DryRunState {
  pin: PinTarget;
  sourceRef: string;
  baseBranch: string;
  branch: string;
  traceBranch: string;
  baseTip: string;
  mirrorTip?: string;
  tree: string;
  generated: string;
}

/**
 * What a real run would do, without fetching: when the remote mirror tip is known locally and
 * holds the generated tree, nothing is pushed and the pin names that tip; otherwise a real run
 * commits anew, and the pin names `@<new mirror commit>` (its sha is not known yet).
 */
export async function dryRunPlan(state: DryRunState): Promise<MergeResult> {
  const { branch, traceBranch, mirrorTip, tree, generated, sourceRef, baseBranch } = state;
  const pinBase = state.pin;
  // Read-only: the object is only there if an earlier fetch or push brought it.
  const known = mirrorTip ? await resolveCommit(pinBase.sdkRepo, mirrorTip) : undefined;
  if (known && (await treeOf(pinBase.sdkRepo, known)) === tree) {
    log.info(
      `${branch} on origin already holds tree ${tree.slice(0, 12)} of ${sourceRef} (${
        known.slice(0, 12)
      }): nothing would be pushed; the pin would name that commit`,
    );
    const pin = await pinSdk({
      ...pinBase,
      commit: known,
      versionRef: known,
      dryRun: true,
    });
    return { branch, traceBranch, commit: known, pushed: false, noop: true, pin };
  }
  log.info(
    `would fetch origin, commit tree ${
      tree.slice(0, 12)
    } of ${sourceRef} on origin/${baseBranch} ` +
      `(${state.baseTip.slice(0, 12)}) and push it to ${branch} (${
        mirrorTip ? `now ${mirrorTip.slice(0, 12)}` : "new"
      }); the pin would name that new commit`,
  );
  const pin = await pinSdk({
    ...pinBase,
    commit: generated,
    versionRef: generated,
    dryRun: true,
  });
  if (pinBase.release) return { branch, traceBranch, pushed: false, noop: false, pin };
  const swap = (entry: string) => entry.replaceAll(`@${generated}`, `@${NEW_MIRROR_COMMIT}`);
  return {
    branch,
    traceBranch,
    pushed: false,
    noop: false,
    // The new commit's sha differs from whatever the file pins now.
    pin: { ...pin, entry: swap(pin.entry), entries: pin.entries.map(swap), changed: true },
  };
}
