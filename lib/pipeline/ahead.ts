/**
 * What `all` starts early and awaits later, so that its waits overlap instead of adding up: an
 * unchanged run then costs little more than the spec stage alone (bench/unchanged.ts).
 *
 *   spec          the trace server and the previous spec's read, started before the check stage
 *                 (early_spec.ts)
 *   generation    the skip decision's reads: each target's main stamp and tree hash, generator
 *                 identity, the config hash (lib/generate/provenance.ts); once the clones are
 *                 checked and locked, so local main cannot move meanwhile
 *   remotes       origin's tips of each target's SDK clone, fetched into it when needed
 *                 (lib/sync/mirror.ts); once the merges are prepared (the end of the check stage)
 *
 * None of them writes anything before the check passed, and then only the spec and
 * remote-tracking refs. Each error surfaces in the stage that awaits it; a dry run starts none.
 */
import { type GenerationLookahead } from "../generate/provenance.ts";
import { lookAheadGeneration, type PreparedGeneration } from "../generate/generate_code.ts";
import { type FetchedRemote, fetchRemote } from "../sync/mirror.ts";
import type { PreparedMerge } from "../sync/prepare.ts";
import { early } from "./early_spec.ts";

/** The reads started once the check stage prepared the generation and the merge. */
export interface Ahead {
  generation: Promise<GenerationLookahead>;
  /** Auto-merge only: by target. */
  remotes: Record<string, Promise<FetchedRemote>>;
}

/** Starts the reads of the later stages, once the check stage prepared what they need. */
export const readAhead = {
  generation: (generation: PreparedGeneration) => early(() => lookAheadGeneration(generation)),
  remote: (merge: PreparedMerge) => early(() => fetchRemote(merge)),
};
