/**
 * One run at a time per SDK clone: an exclusive, non-blocking OS lock (flock) on a file in the
 * clone's git directory, holding the owner's PID, host and start time.
 *
 * The OS drops the lock when its owner dies however it dies, so a lock left by a dead process is
 * simply taken over (with a warning naming it); a live owner makes a second run fail at once.
 *
 * Within one process the lock is reentrant: `all` holds a clone's lock from generate through
 * merge, and the stages inside take it again. Each holder releases its own hold; the file and the
 * OS lock go when the last one does.
 */
import { CodegenError, messageOf } from "../core/errors.ts";
import { onCleanup } from "../core/cleanup.ts";
import { log } from "../core/log.ts";
import { basename, dirname, join } from "../core/paths.ts";
import { hostname } from "node:os";

export interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

export interface Lock {
  path: string;
  release(): Promise<void>;
}

function describe(owner: LockOwner | undefined): string {
  if (!owner) return "another process (it has not written its PID yet)";
  return `PID ${owner.pid} on ${owner.host}, started ${owner.started}`;
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const data = JSON.parse(await Deno.readTextFile(path));
    return typeof data?.pid === "number" ? data as LockOwner : undefined;
  } catch (error) {
    // Missing (released meanwhile), empty or half-written: nobody we can name.
    if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Is a process with this PID running (on this host)? */
export function isAlive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT"); // harmless signal: only asks whether the process exists
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return !(error instanceof Deno.errors.NotFound || /ESRCH|No such process/i.test(String(error)));
  }
}

/** Locks this process holds (or is taking): real path of the lock file → its holds. */
const held = new Map<string, { holders: number; ready: Promise<() => Promise<void>> }>();
/** Last holds being given up: a new acquire of the same file waits for the file to be gone. */
const releasing = new Map<string, Promise<void>>();

/** The same file however it is named (symlinks, `..`): its directory's real path + its name. */
async function lockKey(path: string): Promise<string> {
  return join(await Deno.realPath(dirname(path)), basename(path));
}

/**
 * Takes the lock at `path` or throws naming its holder; `what` names the locked thing. Taking a
 * lock this process already holds succeeds (reentrant); each Lock must be released once.
 */
export async function acquireLock(path: string, what: string): Promise<Lock> {
  const key = await lockKey(path);
  await releasing.get(key);
  let entry = held.get(key);
  if (entry) {
    await entry.ready; // a concurrent acquire in this process: share its outcome
  } else {
    const mine = { holders: 0, ready: lockFile(path, what) };
    held.set(key, mine);
    try {
      await mine.ready;
    } catch (error) {
      // Not taken (held by another process): forget the attempt, report the refusal.
      if (held.get(key) === mine) held.delete(key);
      throw error;
    }
    entry = mine;
  }
  entry.holders++;
  const hold = entry;
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      if (--hold.holders > 0) return;
      held.delete(key);
      const done = (async () => (await hold.ready)())();
      releasing.set(key, done);
      try {
        await done;
      } finally {
        if (releasing.get(key) === done) releasing.delete(key);
      }
    },
  };
}

/** The OS-level lock: returns the function that gives it up (and deletes the file). */
async function lockFile(path: string, what: string): Promise<() => Promise<void>> {
  for (;;) {
    const file = await Deno.open(path, { read: true, write: true, create: true });
    if (!(await file.tryLock(true))) {
      file.close();
      const owner = await readOwner(path);
      throw new CodegenError(`${what} is in use by another codegen run: ${describe(owner)}`, {
        hint: `Wait for it to finish. If no such run exists, delete ${path}.`,
      });
    }
    // The previous owner may have deleted the file between our open and our lock: then we hold
    // a lock on a file nobody else can see, and must start again.
    const same = await Deno.stat(path).then((s) => s.ino, (error) => {
      if (error instanceof Deno.errors.NotFound) return undefined; // deleted meanwhile
      throw error;
    });
    if (same === undefined || same !== (await file.stat()).ino) {
      file.close();
      continue;
    }
    const previous = await readOwner(path);
    if (previous) {
      const state = previous.host !== hostname() || isAlive(previous.pid)
        ? "it no longer holds it"
        : "that process is no longer running";
      log.warn(`taking over the lock on ${what} left by ${describe(previous)} (${state})`);
    }
    const owner: LockOwner = { pid: Deno.pid, host: hostname(), started: new Date().toISOString() };
    await file.truncate(0);
    await file.write(new TextEncoder().encode(JSON.stringify(owner) + "\n"));
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      unregister();
      // Delete while still holding the lock, so no one can lock a file that is about to vanish
      // unnoticed (they re-check the inode above).
      try {
        await Deno.remove(path);
      } catch (error) {
        // Already gone (someone deleted a lock file they took for stale): nothing to clean up.
        if (!(error instanceof Deno.errors.NotFound)) {
          log.warn(`could not delete the lock file ${path}: ${messageOf(error)}`);
        }
      }
      file.close(); // closing releases the OS lock
    };
    const unregister = onCleanup(`lock ${path}`, release);
    return release;
  }
}
