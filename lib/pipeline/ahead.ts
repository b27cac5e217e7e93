/**
 * What `all` starts early and awaits later, so that its waits overlap instead of adding up: an
 * unchanged run then costs little more than the spec stage alone (bench/unchanged.ts).
 *
 *   spec          the trace server is started as the check stage starts, when its port is free
 *                 (nothing to stop: when something listens there, the spec stage frees the port
 *                 after the check, as before). The spec is written only once the check passed
 *                 (`open`); a failed check (`cancel`) writes nothing, and the server is stopped.
 *   previousSpec  the spec the new one replaces, read before the new one is written
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
import type { LoadedSpec } from "../spec/spec_input.ts";
import { specBeforeWrite } from "../spec/spec_change.ts";
import { getSpec, type GetSpecOptions, type SpecResult } from "../spec/get_spec.ts";
import { canBind } from "../os/ports.ts";
import { type FetchedRemote, fetchRemote } from "../sync/mirror.ts";
import type { PreparedMerge } from "../sync/prepare.ts";

/** The reads started once the check stage prepared the generation and the merge. */
export interface Ahead {
  generation: Promise<GenerationLookahead>;
  /** Auto-merge only: by target. */
  remotes: Record<string, Promise<FetchedRemote>>;
}

/** The spec stage's part, started with the check stage. */
export interface EarlySpec {
  previousSpec: Promise<LoadedSpec | undefined>;
  /** The spec from the server started early; undefined when its port was busy. */
  fetched?: Promise<SpecResult>;
  /** The check passed: the spec may be written. */
  open(): void;
  /** The check failed: nothing is written (the server is stopped with the run's clean-ups). */
  cancel(reason: unknown): void;
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

/** Starts the spec stage's reads, and its server when the port is free. */
export function startSpecEarly(spec: GetSpecOptions): EarlySpec {
  const previousSpec = early(() => specBeforeWrite(spec.repoRoot, spec.outputFile));
  const gate = Promise.withResolvers<void>();
  gate.promise.catch(() => {}); // awaited by `fetched` only, and only when the server answers
  const portFree = spec.source.kind === "server" && canBind(spec.source.port);
  const fetched = portFree
    ? early(() =>
      getSpec({
        ...spec,
        beforeWrite: async () => {
          await gate.promise;
          await previousSpec;
        },
      })
    )
    : undefined;
  return {
    previousSpec,
    fetched,
    open: () => gate.resolve(),
    cancel: (reason) => gate.reject(reason),
  };
}

/** Starts the reads of the later stages, once the check stage prepared what they need. */
export const readAhead = {
  generation: (generation: PreparedGeneration) => early(() => lookAheadGeneration(generation)),
  remote: (merge: PreparedMerge) => early(() => fetchRemote(merge)),
};
