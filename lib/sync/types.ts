/** What the sync stage returns, shared by the mirror, its dry-run plan and the reports. */
import { CodegenError } from "../core/errors.ts";
import { short } from "../git/git.ts";
import type { TargetPinResult } from "../pin/target_pin.ts";

/** What a real merge did on origin. */
export interface PushResult {
  branch: string;
  traceBranch: string;
  /** The commit the mirror branch holds afterwards. */
  commit: string;
  pushed: boolean;
  /** The remote branch already held the generated tree: nothing was pushed. */
  noop: boolean;
}

export interface MergeResult extends PushResult {
  /** Undefined for a target that is not pinned (`pin: none`). */
  pin?: TargetPinResult;
}

/** How a dry-run pin names the mirror commit a real run would create (its sha is not known). */
export const NEW_MIRROR_COMMIT = "<new mirror commit>";
/** How a dry-run `--release` pin names a version read from code that is not generated yet. */
export const GENERATED_VERSION = "<version of the generated code>";

/** What the pin of a planned merge names. */
export type PinnedValue =
  /** An existing commit: the mirror tip that already holds the generated tree. */
  | { kind: "known sha"; sha: string }
  /** The commit a real run creates and pushes; its sha is not known before. */
  | { kind: "new mirror commit" }
  /** --release: the version of the generated code (lib/pin/sdk_version.ts). */
  | { kind: "version"; version: string }
  /** --release in `all --dry-run`: read from code that is generated later in the run. */
  | { kind: "version of the generated code" };

/**
 * Would a real run push? "yes": a new mirror commit; "no": the mirror tip already holds the
 * generated tree; "unless unchanged": which one depends on a tree not known yet (generated later
 * in the run, or a remote tip this clone has not fetched): nothing is pushed if they are equal.
 */
export type PushDecision = "yes" | "no" | "unless unchanged";

/** What `merge_generated_code --dry-run` (and the merge stage of `all --dry-run`) found. */
export interface MergePlan {
  /** The mirror branch (`weave/<trace branch>`). */
  branch: string;
  traceBranch: string;
  /** Branch of origin the mirror commit is based on, and its tip (from `git ls-remote`). */
  baseBranch: string;
  baseTip: string;
  /** Tip of the mirror branch on origin; undefined when the branch does not exist yet. */
  mirrorTip?: string;
  /** Local ref of the SDK clone holding the generated code. */
  sourceRef: string;
  /** The generated commit and its tree; undefined when generated later in the run (`all`). */
  generated?: { commit: string; tree: string };
  push: PushDecision;
  pin: {
    /** What the entry names, as data (the entry text carries it as a sha or a placeholder). */
    pins: PinnedValue;
    /** The entry that would be written (never written); undefined for `pin: none`. */
    result?: TargetPinResult;
  };
}

/** The push happened, then the pin failed: `pushed` says what origin holds now. */
export class PinAfterPushError extends CodegenError {
  constructor(readonly pushed: PushResult, cause: CodegenError, file = "pyproject.toml") {
    const did = pushed.pushed
      ? `pushed ${short(pushed.commit)} to ${pushed.branch} on origin`
      : `${pushed.branch} on origin already holds ${short(pushed.commit)}`;
    super(`${did}, but pinning ${file} failed: ${cause.message}`, {
      kind: cause.kind,
      details: cause.details,
      hint: [
        cause.hint,
        `${file} was not changed; once that is fixed, run again: nothing new is pushed and the pin is written.`,
      ].filter(Boolean).join(" "),
      cause,
    });
  }
}
