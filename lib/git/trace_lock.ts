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
import { join } from "../core/paths.ts";
import { sha256Hex } from "../core/sha256.ts";
import { acquireLock } from "../os/lock.ts";
import { git, workTreeAt } from "./git.ts";

export const TRACE_LOCK_NAME = "codegen-trace.lock";

/** Where the lock of the trace repository `repoRoot` lives. */
export async function traceLockPath(repoRoot: string): Promise<string> {
  const tree = await workTreeAt(repoRoot);
  if (tree.kind === "top level") {
    const dir = await git(repoRoot, ["rev-parse", "--absolute-git-dir"], { check: false });
    if (dir.code === 0 && dir.stdout.trim()) return join(dir.stdout.trim(), TRACE_LOCK_NAME);
  }
  const real = await Deno.realPath(repoRoot);
  const tmp = Deno.env.get("TMPDIR") || "/tmp";
  return join(tmp, `codegen-trace-${(await sha256Hex(real)).slice(0, 16)}.lock`);
}

/**
 * Takes the trace repository's lock, waiting up to `waitSeconds` for another run; returns the
 * function that gives it up (safe to call twice, and run by the clean-up on a signal).
 */
export async function lockTraceRepo(
  repoRoot: string,
  waitSeconds: number,
): Promise<() => Promise<void>> {
  const lock = await acquireLock(
    await traceLockPath(repoRoot),
    `the trace repository ${repoRoot}`,
    {
      waitMs: waitSeconds * 1000,
      waitHint: "--lock-timeout SECONDS to wait longer, --no-wait to fail at once",
    },
  );
  return lock.release;
}
