/**
 * One run at a time per SDK clone: an exclusive, non-blocking OS lock (flock) on a file in the
 * clone's git directory, holding the owner's PID, host and start time.
 *
 * The OS drops the lock when its owner dies however it dies, so a lock left by a dead process is
 * simply taken over (with a warning naming it); a live owner makes a second run fail at once.
 */
import { CodegenError } from "./errors.ts";
import { onCleanup } from "./cleanup.ts";
import { log } from "./log.ts";
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
  } catch {
    return undefined; // missing, empty or half-written: nobody we can name
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

/** Takes the lock at `path` or throws naming its holder; `what` names the locked thing. */
export async function acquireLock(path: string, what: string): Promise<Lock> {
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
    const same = await Deno.stat(path).then((s) => s.ino, () => undefined);
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
      await Deno.remove(path).catch(() => {});
      file.close(); // closing releases the OS lock
    };
    const unregister = onCleanup(`lock ${path}`, release);
    return { path, release };
  }
}
