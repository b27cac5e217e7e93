/** What the sync stage returns, shared by the mirror, its dry-run plan and the reports. */
import type { PinOptions, PinResult } from "../pin/pin.ts";

export interface PushResult {
  branch: string;
  traceBranch: string;
  /**
   * The commit the mirror branch holds afterwards. In a dry run only known when nothing would be
   * pushed (the remote branch already holds the generated tree): a real run makes a new commit.
   */
  commit?: string;
  pushed: boolean;
  /** The remote branch already held the generated tree. */
  noop: boolean;
}

export interface MergeResult extends PushResult {
  /** In a dry run without a known commit, the entry names `@<new mirror commit>`. */
  pin?: PinResult;
}

/** How a dry-run pin names the mirror commit a real run would create (its sha is not known). */
export const NEW_MIRROR_COMMIT = "<new mirror commit>";

/** Where and what to pin, as the real run would (the commit is chosen per case). */
export type PinTarget = Pick<
  PinOptions,
  "pyprojectPath" | "packageName" | "extra" | "release" | "sdkRepo"
>;
