/**
 * Things that must be undone however the run ends: live child process groups, temporary
 * files, locks. Code that creates such a thing registers its undo, and runs it itself when it is
 * done with the thing; `main.ts` runs whatever is left on exit, Ctrl-C or SIGTERM.
 *
 * Each undo runs at most once, to completion: whoever asks second (the owner while a signal's
 * clean-up is under way, or the other way round) waits for the same run, and an entry leaves the
 * list only once its undo has finished, so an exit can never overtake a half-done clean-up.
 *
 * Also where an interruption is recorded: the signal handler marks the run interrupted, and lower
 * layers stop starting new work (no child process is spawned once interrupted).
 */
import { log } from "./log.ts";
import { InterruptedError, messageOf } from "./errors.ts";

type Undo = () => Promise<void> | void;

/** A registered undo: `run()` runs it once (later calls wait for that run); `dismiss()` forgets it. */
export interface CleanupHandle {
  run(): Promise<void>;
  dismiss(): void;
}

interface Entry {
  what: string;
  run: () => Promise<void>;
}

const pending = new Map<number, Entry>();
let nextId = 1;
let sweeping: Promise<void> | undefined;

/** Registers `undo`; its handle runs it (once) or dismisses it (when it is no longer needed). */
export function registerCleanup(what: string, undo: Undo): CleanupHandle {
  const id = nextId++;
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= (async () => {
      try {
        await undo();
      } finally {
        pending.delete(id); // only now: an exit waits for the undo to finish
      }
    })();
    return running;
  };
  pending.set(id, { what, run });
  return { run, dismiss: () => void pending.delete(id) };
}

/** Registers `undo`; returns a function that forgets it (call it once you cleaned up yourself). */
export function onCleanup(what: string, undo: Undo): () => void {
  return registerCleanup(what, undo).dismiss;
}

/**
 * Runs every pending undo, newest first, each to completion; never throws. Concurrent callers
 * (a signal handler and the main flow's `finally`) wait for the same sweep.
 */
export function runCleanups(): Promise<void> {
  // Reset in a `.finally` callback, which always runs after this assignment: a sweep with
  // nothing to await must not reset `sweeping` before it is set (it would stay set for good).
  sweeping ??= sweep().finally(() => (sweeping = undefined));
  return sweeping;
}

async function sweep(): Promise<void> {
  for (let entry = newest(); entry; entry = newest()) {
    try {
      await entry.run();
    } catch (error) {
      log.warn(`cleanup of ${entry.what} failed: ${messageOf(error)}`);
    }
  }
}

function newest(): Entry | undefined {
  return [...pending.values()].at(-1);
}

export function pendingCleanups(): string[] {
  return [...pending.values()].map((entry) => entry.what);
}

export interface Interruption {
  signal: Deno.Signal;
  exitCode: number;
}

let interruption: Interruption | undefined;

/** Records that a signal asked the run to stop (the first signal wins). */
export function markInterrupted(signal: Deno.Signal, exitCode: number): void {
  interruption ??= { signal, exitCode };
}

/** The signal that interrupted the run, if one did. */
export function interrupted(): Interruption | undefined {
  return interruption;
}

/** Throws the interruption once the run is interrupted: nothing new starts after a signal. */
export function throwIfInterrupted(): void {
  if (interruption) throw new InterruptedError(interruption.signal, interruption.exitCode);
}
