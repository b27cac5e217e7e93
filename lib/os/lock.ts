/**
 * One run at a time per SDK clone: an exclusive, non-blocking OS lock (flock) on a file in the
 * clone's git directory, holding the owner's PID, host and start time.
 *
 * The OS drops the lock when its owner dies however it dies, so a lock left by a dead process is
 * simply taken over (with a warning naming it); a live owner makes a second run wait (up to a
 * timeout, saying for whom) or fail at once.
 *
 * Not reentrant: a run takes each lock once, when it prepares, and hands it on to its stages
 * (`all` holds a clone's lock from its check stage through the pin).
 */
import { CodegenError, messageOf } from "../core/errors.ts";
import { registerCleanup, throwIfInterrupted } from "../core/cleanup.ts";
import { log } from "../core/log.ts";
import { isAlive } from "./procfs.ts";
import { fsError } from "../core/fs.ts";
import { dirname } from "../core/paths.ts";

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

function readOwner(path: string): LockOwner | undefined {
  try {
    const data = JSON.parse(Deno.readTextFileSync(path));
    return typeof data?.pid === "number" ? data as LockOwner : undefined;
  } catch (error) {
    // Missing (released meanwhile), empty or half-written: nobody we can name.
    if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

export interface AcquireOptions {
  /** How long to wait for another run to let go, in milliseconds (default 0: refuse at once). */
  waitMs?: number;
  /** How to change the wait, in the "waiting for ..." line ("--lock-timeout SECONDS to change"). */
  waitHint?: string;
  /**
   * What else to do when refused, after "Wait for it to finish": tailored by the caller to how
   * this run waited (", or wait longer (--lock-timeout SECONDS)"); none by default.
   */
  refusedHint?: string;
}

/** How often a waiting run tries the lock again. */
const RETRY_MS = 200;

/**
 * Takes the lock at `path`, waiting up to `waitMs` for another run to let go (saying so once,
 * naming it), or throws naming its holder; `what` names the locked thing. Not reentrant: whoever
 * prepares a run takes each lock once and hands it on (a second acquire, even in this process, is
 * refused at once). `release()` may be called more than once, also concurrently.
 */
export async function acquireLock(
  path: string,
  what: string,
  options: AcquireOptions = {},
): Promise<Lock> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  let announced = false;
  for (;;) {
    throwIfInterrupted();
    const attempt = await lockFile(path, what);
    if (attempt.kind === "taken") return { path, release: attempt.release };
    const waitable = !isThisRun(attempt.owner) && Date.now() < deadline;
    if (!waitable) throw refusal(path, what, attempt.owner, announced, options);
    if (!announced) {
      const seconds = Math.ceil((deadline - Date.now()) / 1000);
      log.info(
        `waiting for ${what}: in use by another codegen run: ${describe(attempt.owner)} ` +
          `(up to ${seconds} s${options.waitHint ? `; ${options.waitHint}` : ""})`,
      );
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MS, deadline - Date.now())));
  }
}

function isThisRun(owner: LockOwner | undefined): boolean {
  return owner?.pid === Deno.pid && owner.host === Deno.hostname();
}

function refusal(
  path: string,
  what: string,
  owner: LockOwner | undefined,
  waited: boolean,
  options: AcquireOptions,
): CodegenError {
  if (isThisRun(owner)) {
    // Each lock is taken once per run; taking it twice is a bug of codegen, not the user's doing.
    return new CodegenError(`${what} is already locked by this codegen run (${path})`, {
      hint: "This is a bug in codegen: please report it with the command you ran.",
    });
  }
  const still = waited ? ` (still, after ${Math.round((options.waitMs ?? 0) / 1000)} s)` : "";
  return new CodegenError(`${what} is in use by another codegen run${still}: ${describe(owner)}`, {
    hint: `Wait for it to finish${
      options.refusedHint ?? ""
    }. If no such run exists, delete ${path}.`,
  });
}

type Attempt =
  | { kind: "taken"; release: () => Promise<void> }
  | { kind: "held"; owner: LockOwner | undefined };

/**
 * One try at the OS-level lock: taken (with the function that gives it up), or who holds it. The
 * file operations are synchronous: a run takes its locks before anything else can start (the
 * trace server waits for them), and each asynchronous one would cost a thread hop (~0.2 ms).
 */
async function lockFile(path: string, what: string): Promise<Attempt> {
  for (;;) {
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path, { read: true, write: true, create: true });
    } catch (error) {
      // A read-only or full file system, or no permission: say what to do, not only the OS error.
      throw fsError(error, {
        doing: `lock ${what} (create ${path})`,
        dir: dirname(path),
        alternative: "or work in a copy on a writable file system",
      });
    }
    if (!file.tryLockSync(true)) {
      file.close();
      return { kind: "held", owner: readOwner(path) };
    }
    // The previous owner may have deleted the file between our open and our lock: then we hold
    // a lock on a file nobody else can see, and must start again.
    let same: number | null | undefined;
    try {
      same = Deno.statSync(path).ino;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error; // NotFound: deleted meanwhile
    }
    if (same === undefined || same !== file.statSync().ino) {
      file.close();
      continue;
    }
    // Registered as soon as it is ours, as one undo: the owner's release and a signal's clean-up
    // run the same deletion (whoever comes second waits for it), and the entry stays registered
    // until the file is gone, so an exit never leaves it behind.
    const cleanup = registerCleanup(`lock ${path}`, () => {
      // Delete while still holding the lock, so no one can lock a file that is about to vanish
      // unnoticed (they re-check the inode above).
      try {
        Deno.removeSync(path);
      } catch (error) {
        // Already gone (someone deleted a lock file they took for stale): nothing to clean up.
        if (!(error instanceof Deno.errors.NotFound)) {
          log.warn(`could not delete the lock file ${path}: ${messageOf(error)}`);
        }
      } finally {
        file.close(); // closing releases the OS lock
      }
    });
    const previous = readOwner(path);
    if (previous) {
      const state = previous.host !== Deno.hostname() || isAlive(previous.pid)
        ? "it no longer holds it"
        : "that process is no longer running";
      log.warn(`taking over the lock on ${what} left by ${describe(previous)} (${state})`);
    }
    // Deno.hostname, not node:os: importing a `node:` module boots Deno's Node layer (~4 ms).
    const host = Deno.hostname();
    const owner: LockOwner = { pid: Deno.pid, host, started: new Date().toISOString() };
    try {
      file.truncateSync(0);
      file.writeSync(new TextEncoder().encode(JSON.stringify(owner) + "\n"));
    } catch (error) {
      await cleanup.run();
      throw fsError(error, { doing: `write the lock file ${path}`, dir: dirname(path) });
    }
    return { kind: "taken", release: cleanup.run };
  }
}
