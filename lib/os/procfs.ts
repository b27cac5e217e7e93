/**
 * Facts about processes: /proc readings on Linux (absent on macOS and BSD: callers fall back), and
 * the one answer to "is this process still running?" and "did that fail because it is gone?".
 */

export const HAS_PROC: boolean = (() => {
  try {
    return Deno.statSync("/proc/self/stat").isFile;
  } catch {
    return false; // no procfs: callers use lsof and kill probes instead
  }
})();

/** Did an operation on a process fail because the process no longer exists (ESRCH)? */
export function isNoSuchProcess(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound ||
    (error instanceof Error && /ESRCH|No such process/i.test(error.message));
}

export interface ProcStat {
  /** R, S, D, Z (zombie: exited, not yet reaped), T... */
  state: string;
  ppid: number;
  pgrp: number;
}

/** /proc/<pid>/stat, or undefined when the process is gone (or there is no /proc). */
export function readStat(pid: number | "self"): ProcStat | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch (error) {
    // Gone (NotFound, or ESRCH when it exits while being read) or not ours to inspect.
    if (isNoSuchProcess(error) || error instanceof Deno.errors.PermissionDenied) return undefined;
    throw error;
  }
  // The command name is in parentheses and may contain spaces: fields start after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]) };
}

/**
 * Is a process with this PID running on this host? A zombie has exited (only its parent has not
 * collected the status yet), so it is not. Without /proc: a harmless signal asks whether it exists.
 */
export function isAlive(pid: number): boolean {
  if (HAS_PROC) return (readStat(pid)?.state ?? "Z") !== "Z";
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch (error) {
    if (isNoSuchProcess(error)) return false;
    // EPERM: it exists but belongs to someone else.
    if (error instanceof Deno.errors.PermissionDenied) return true;
    throw error;
  }
}

/** PIDs of every process in /proc. */
export function allPids(): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (/^\d+$/.test(entry.name)) pids.push(Number(entry.name));
  }
  return pids;
}

/** Processes of a process group that are still running (zombies have exited). */
export function liveGroupMembers(pgid: number): number[] {
  return allPids().filter((pid) => {
    const stat = readStat(pid);
    return stat !== undefined && stat.pgrp === pgid && stat.state !== "Z";
  });
}

/**
 * Where a /proc link points (`/proc/<pid>/fd/<n>`: `socket:[123]`, a path); undefined when the
 * descriptor or the process went away while we scan, or belongs to another user. Any other error
 * (a path that is not a link) is a bug of the caller and is thrown.
 */
export async function readProcLink(path: string): Promise<string | undefined> {
  try {
    return await Deno.readLink(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    throw error;
  }
}
