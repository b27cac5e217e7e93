/**
 * Reads `all` starts as soon as the check stage is done, so that they run while the spec stage
 * waits for the trace server (a few hundred milliseconds of idle time) instead of after it: an
 * unchanged run then costs little more than the spec stage alone (bench/unchanged.ts).
 *
 *   previousSpec  the spec the new one replaces (read before the new one is written: getSpec
 *                 awaits it before writing)
 *   generation    the skip decision's reads: each target's main stamp and tree hash, generator
 *                 identity, the config hash (lib/generate/provenance.ts)
 *   remote        origin's tips, fetched into the SDK clone when needed (lib/sync/mirror.ts)
 *
 * None of them writes anything but remote-tracking refs, and local main cannot move meanwhile
 * (the clones are locked since the check stage). Each error surfaces in the stage that awaits it.
 */
import { type GenerationLookahead } from "../generate/provenance.ts";
import { lookAheadGeneration, type PreparedGeneration } from "../generate/generate_code.ts";
import type { LoadedSpec } from "../spec/spec_input.ts";
import { specBeforeWrite } from "../spec/spec_change.ts";
import type { GetSpecOptions } from "../spec/get_spec.ts";
import { type FetchedRemote, fetchRemote } from "../sync/mirror.ts";
import type { PreparedMerge } from "../sync/prepare.ts";

export interface Ahead {
  previousSpec: Promise<LoadedSpec | undefined>;
  generation: Promise<GenerationLookahead>;
  /** Auto-merge only. */
  remote?: Promise<FetchedRemote>;
}

/**
 * Starts `read` now. The returned promise is marked as handled: if an earlier stage fails, the
 * result is never needed and its error must not end the process as an unhandled rejection;
 * whoever awaits it still gets the error.
 */
function early<T>(read: () => Promise<T>): Promise<T> {
  const promise = read();
  promise.catch(() => {}); // handled where it is awaited (see above)
  return promise;
}

export function startEarly(
  spec: GetSpecOptions,
  generation: PreparedGeneration,
  merge: PreparedMerge | undefined,
): Ahead {
  return {
    previousSpec: early(() => specBeforeWrite(spec.repoRoot, spec.outputFile)),
    generation: early(() => lookAheadGeneration(generation)),
    remote: merge ? early(() => fetchRemote(merge)) : undefined,
  };
}
