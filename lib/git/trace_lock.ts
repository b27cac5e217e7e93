/**
 * One run at a time per trace repository: every command that writes there (the spec, the pin,
 * the config file) holds this lock for the whole run, so two `all` runs can neither write
 * pyproject.toml both nor read each other's spec. A second run waits for the first (saying so,
 * with its PID) up to `lock_timeout` seconds, or fails at once with `--no-wait`.
 *
 * The lock file is `<git dir>/codegen-trace.lock` of the trace repository's work tree (per
 * worktree: each has its own files). A trace "repository" that is not the top level of a work tree
 * (a plain directory, or a folder inside another repository such as the bundled example) is locked
 * through a file in the system's temporary directory named after its real path, so nothing is
 * written into the user's folders.
 */
import { join, resolve } from "../core/paths.ts";
import { sha256Hex } from "../core/sha256.ts";
import { acquireLock } from "../os/lock.ts";

export const TRACE_LOCK_NAME = "codegen-trace.lock";

/** Where the lock of the trace repository `repoRoot` lives. */
export async function traceLockPath(repoRoot: string): Promise<string> {
  const gitDir = topLevelGitDir(repoRoot);
  if (gitDir) return join(gitDir, TRACE_LOCK_NAME);
  const real = Deno.realPathSync(repoRoot);
  const tmp = Deno.env.get("TMPDIR") || "/tmp";
  return join(tmp, `codegen-trace-${(await sha256Hex(real)).slice(0, 16)}.lock`);
}

/** How a run waits for the trace repository's lock. */
export interface TraceLockWait {
  /** `--no-wait`: refuse at once. */
  noWait: boolean;
  /** `lock_timeout` (seconds): how long the run waits without --no-wait. */
  timeoutSeconds: number;
}

/**
 * The git directory of the work tree whose top level is `dir`, read from `dir/.git` (a directory,
 * or for linked worktrees and submodules a file `gitdir: <path>`); undefined when `dir` is not a
 * work tree's top level. Read from the files, not asked of `git rev-parse`, and synchronously: the
 * lock is taken before the spec server can start, and a git process costs ~5 ms of every run.
 */
function topLevelGitDir(dir: string): string | undefined {
  const dotGit = join(dir, ".git");
  const info = statIfExists(dotGit);
  if (info?.isDirectory) return dotGit;
  if (!info?.isFile) return undefined;
  const pointer = /^gitdir: (.+)$/m.exec(Deno.readTextFileSync(dotGit));
  if (!pointer) return undefined;
  const gitDir = resolve(dir, pointer[1].trim());
  return statIfExists(gitDir)?.isDirectory ? gitDir : undefined;
}

function statIfExists(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw error;
  }
}

/**
 * Takes the trace repository's lock, waiting as `wait` says for another run; returns the function
 * that gives it up (safe to call twice, and run by the clean-up on a signal). The messages suggest
 * the other way of waiting, never the flag the run was given.
 */
export async function lockTraceRepo(
  repoRoot: string,
  wait: TraceLockWait,
): Promise<() => Promise<void>> {
  const seconds = wait.noWait ? 0 : wait.timeoutSeconds;
  const refusedHint = wait.noWait
    ? `, then run again (without --no-wait the run waits for it, up to ${wait.timeoutSeconds} s: lock_timeout)`
    : seconds > 0
    ? ", or give it longer (--lock-timeout SECONDS)"
    : ", or let the run wait for it (lock_timeout is 0: --lock-timeout SECONDS)";
  const lock = await acquireLock(
    await traceLockPath(repoRoot),
    `the trace repository ${repoRoot}`,
    {
      waitMs: seconds * 1000,
      waitHint: "--lock-timeout SECONDS to change, --no-wait not to wait",
      refusedHint,
    },
  );
  return lock.release;
}
