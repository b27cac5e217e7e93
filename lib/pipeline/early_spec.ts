/**
 * The spec stage's part of `all` that starts before everything else: the trace server (when its
 * port is free) and the read of the spec it replaces. `all` starts it as soon as the trace lock is
 * held and the targets are known, before it even loads the pipeline's modules (commands/run/
 * all.ts): the server's start-up is most of an unchanged run, and everything else (loading, the
 * check stage, the reads of ahead.ts) overlaps it.
 *
 * Nothing is written before the check stage passed (`open`); a failed check (`cancel`) writes
 * nothing, and the server is stopped with the run's clean-ups. This module stays small (no
 * pipeline, generator or git-sync modules): whatever it imports loads before the server starts.
 */
import type { Settings } from "../config/settings.ts";
import type { LoadedSpec } from "../spec/spec_input.ts";
import { specBeforeWrite } from "../spec/spec_change.ts";
import {
  getSpec,
  type GetSpecOptions,
  type SpecMode,
  type SpecResult,
  specSource,
} from "../spec/get_spec.ts";
import { canBind } from "../os/ports.ts";

/** The spec stage's part, started before the check stage. */
export interface EarlySpec {
  previousSpec: Promise<LoadedSpec | undefined>;
  /** The spec from the server started early; undefined when its port was busy. */
  fetched?: Promise<SpecResult>;
  /** The check passed: the spec may be written. */
  open(): void;
  /** The check failed: nothing is written (the server is stopped with the run's clean-ups). */
  cancel(reason: unknown): void;
}

/** The spec stage's source: the trace server, or `--url` / `--app` (`specMode`). */
export function specOptions(
  settings: Settings,
  repoRoot: string,
  specMode?: SpecMode,
): GetSpecOptions {
  return {
    source: specSource(settings, specMode),
    repoRoot,
    outputFile: settings.get("openapi_output")!,
    outputSetting: settings.pathSetting("openapi_output"),
  };
}

/**
 * Starts `read` now. The returned promise is marked as handled: if an earlier stage fails, the
 * result is never needed and its error must not end the process as an unhandled rejection;
 * whoever awaits it still gets the error.
 */
export function early<T>(read: () => Promise<T>): Promise<T> {
  const promise = read();
  promise.catch(() => {}); // handled where it is awaited (see above)
  return promise;
}

/**
 * Starts the spec stage's reads, and its server when the port is free (when something listens
 * there, the spec stage frees the port after the check, as before).
 */
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
