/**
 * Things that must be undone however the run ends: live child process groups, temporary
 * files, locks. Code that creates such a thing registers an undo function and removes it once
 * it cleaned up by itself; `main.ts` runs whatever is left on exit, Ctrl-C or SIGTERM.
 */
import { log } from "./log.ts";
import { messageOf } from "./errors.ts";

type Cleanup = () => Promise<void> | void;
const pending = new Map<number, { what: string; fn: Cleanup }>();
let nextId = 1;

/** Registers `fn`; returns a function that unregisters it (call it after cleaning up). */
export function onCleanup(what: string, fn: Cleanup): () => void {
  const id = nextId++;
  pending.set(id, { what, fn });
  return () => pending.delete(id);
}

/** Runs every pending cleanup, newest first; never throws. */
export async function runCleanups(): Promise<void> {
  const entries = [...pending.entries()].reverse();
  pending.clear();
  for (const [, { what, fn }] of entries) {
    try {
      await fn();
    } catch (error) {
      log.warn(`cleanup of ${what} failed: ${messageOf(error)}`);
    }
  }
}

export function pendingCleanups(): string[] {
  return [...pending.values()].map((entry) => entry.what);
}
