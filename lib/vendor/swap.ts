/**
 * Replacing a directory so that it is always either the old copy or the whole new one: the new
 * copy is staged next to it (same file system, so renames are atomic), the old one renamed away,
 * the new one renamed in, then the old one removed. On any failure, and on Ctrl-C or SIGTERM
 * between the renames (through lib/core/cleanup.ts), the old copy is put back.
 */
import { CodegenError, messageOf } from "../core/errors.ts";
import { onCleanup } from "../core/cleanup.ts";
import { exists, makeTempDir, removeIfExists } from "../core/fs.ts";
import { basename, dirname, join } from "../core/paths.ts";
import { log } from "../core/log.ts";

/** A temporary directory, removed by `dispose()` (or by the cleanups if the run is cut short). */
export interface TempDir {
  path: string;
  dispose(): Promise<void>;
}

/**
 * A hidden empty directory beside `destination` (`.<name>.<what>-XXXX`), for staging the new
 * copy; with `elsewhere`, in the system's temporary directory instead (dry runs write nothing
 * beside the destination). A location that cannot be written gives an error saying what to do.
 */
export async function makeTempDirFor(
  destination: string,
  what: string,
  elsewhere = false,
): Promise<TempDir> {
  const temp = await makeTempDir(
    `.${basename(destination)}.${what}-`,
    `the ${what} copy of ${destination}`,
    elsewhere ? undefined : dirname(destination),
  );
  return { path: temp.path, dispose: temp.remove };
}

/**
 * Something a run killed mid-swap (SIGKILL, power loss: no clean-up could follow) left beside
 * the destination, and what recovery does with it:
 * - `restore`: a holder `.<name>.old-XXXX/old` beside a missing destination is the previous copy:
 *   it is put back, and the emptied holder removed. With several such holders, the newest one
 *   (the holder modified last: `old` was moved into it by the swap) holds the previous copy;
 * - `keep`: a holder whose `old` is still there next to an existing destination (a run that could
 *   not take its new copy out again said so), or an older one than the holder restored: a person
 *   decides, so it is left alone and warned about;
 * - `remove`: an empty holder, or a staging directory `.<name>.new-XXXX`: removed.
 */
export interface SwapLeftover {
  action: "restore" | "keep" | "remove";
  path: string;
}

/** The leftovers of interrupted swaps beside `destination`, sorted by name; changes nothing. */
export async function findSwapLeftovers(destination: string): Promise<SwapLeftover[]> {
  const parent = dirname(destination);
  const name = basename(destination);
  const paths: string[] = [];
  try {
    for await (const entry of Deno.readDir(parent)) {
      const ours = entry.name.startsWith(`.${name}.old-`) || entry.name.startsWith(`.${name}.new-`);
      if (entry.isDirectory && ours) paths.push(join(parent, entry.name));
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const holders: { path: string; modified: number }[] = [];
  for (const path of paths) {
    if (!basename(path).startsWith(`.${name}.old-`) || !await exists(join(path, "old"))) continue;
    holders.push({ path, modified: (await Deno.stat(path)).mtime?.getTime() ?? 0 });
  }
  // The names' random suffixes say nothing of their age: the newest holder is the last swap's.
  const newest = holders.sort((a, b) => b.modified - a.modified)[0]?.path;
  const restored = await exists(destination) ? undefined : newest;
  const held = new Set(holders.map((holder) => holder.path));
  const actionOf = (path: string): SwapLeftover["action"] =>
    path === restored ? "restore" : held.has(path) ? "keep" : "remove";
  return paths.sort().map((path) => ({ action: actionOf(path), path }));
}

/**
 * One line for the log on a leftover: what recovery did, or with `dryRun` what it would do,
 * phrased to follow "would" (dry-run plans print it after "[dry-run] would").
 */
export function describeSwapLeftover(
  leftover: SwapLeftover,
  destination: string,
  dryRun = false,
): string {
  const { action, path } = leftover;
  const by = "left by an interrupted run";
  if (action === "keep") {
    return dryRun
      ? `keep ${path} (its old/ holds an earlier copy of ${destination}, left by a failed or ` +
        `interrupted run; ${keptCopyAdvice(path, destination)})`
      : keptCopyWarning(path, destination);
  }
  if (action === "restore") {
    return dryRun
      ? `put the previous copy of ${destination} back from ${path}/old (${by}) first`
      : `put the previous copy of ${destination} back from ${path}/old (${by})`;
  }
  return dryRun ? `remove ${path}, ${by}` : `removed ${path}, ${by}`;
}

function keptCopyWarning(holder: string, destination: string): string {
  return `${holder}/old holds an earlier copy of ${destination}, left by a failed or ` +
    `interrupted run; ${keptCopyAdvice(holder, destination)}`;
}

function keptCopyAdvice(holder: string, destination: string): string {
  return `it is not put back because ${destination} exists: compare the two, restore by hand ` +
    `what you need, then delete ${holder} (until then, vendoring runs keep it and say so)`;
}

/**
 * What recoverInterruptedSwap would do (dry runs), a line each to follow "would"; changes
 * nothing.
 */
export async function planSwapRecovery(destination: string): Promise<string[]> {
  const found = await findSwapLeftovers(destination);
  return found.map((leftover) => describeSwapLeftover(leftover, destination, true));
}

/**
 * Cleans up after a run that was killed in the middle of a swap (findSwapLeftovers says what
 * is done with what). Only call it under the trace repository's lock (commands/run/
 * trace_lock.ts): then no other run can be using them. Returns what it did, for the log.
 */
export async function recoverInterruptedSwap(destination: string): Promise<string[]> {
  const done: string[] = [];
  for (const leftover of await findSwapLeftovers(destination)) {
    if (leftover.action === "restore") await Deno.rename(join(leftover.path, "old"), destination);
    if (leftover.action !== "keep") await removeIfExists(leftover.path);
    done.push(describeSwapLeftover(leftover, destination));
  }
  return done;
}

/**
 * Moves the directory `staged` to `destination`, replacing what is there. `then` runs once the
 * new copy is in place (e.g. writing its stamp); if it fails, the new copy goes back to `staged`
 * and the old one back to `destination`. Touches nothing but `destination`, `staged` and a
 * hidden holder directory beside `destination`.
 */
export async function replaceDirectory(
  staged: string,
  destination: string,
  then: () => Promise<void> = async () => {},
): Promise<void> {
  const holder = await Deno.makeTempDir({
    dir: dirname(destination),
    prefix: `.${basename(destination)}.old-`,
  });
  const old = join(holder, "old");
  const restore = async () => {
    if (await exists(old) && !await exists(destination)) await Deno.rename(old, destination);
  };
  // Interrupted after the new copy moved in but before `then` finished: undo the swap.
  let swapped = false;
  const unregister = onCleanup(`previous copy of ${destination}`, async () => {
    if (swapped && !await exists(staged)) {
      swapped = false;
      await Deno.rename(destination, staged);
    }
    await restore();
    if (!await exists(old)) await removeIfExists(holder);
  });
  let keepOld = false;
  try {
    if (await exists(destination)) await Deno.rename(destination, old);
    try {
      await Deno.rename(staged, destination);
    } catch (error) {
      await restore();
      throw new CodegenError(`cannot move the new copy into ${destination}: ${messageOf(error)}`, {
        hint: "The previous copy was left in place.",
        cause: error,
      });
    }
    swapped = true;
    try {
      await then();
      swapped = false;
    } catch (error) {
      if (!swapped) throw error; // the cleanups already undid the swap
      swapped = false;
      try {
        await Deno.rename(destination, staged);
      } catch (moveError) {
        keepOld = true;
        log.warn(
          `could not take the new copy out of ${destination} (${messageOf(moveError)}); ` +
            keptCopyWarning(holder, destination),
        );
        throw error;
      }
      await restore();
      throw error;
    }
  } finally {
    await removeOld(holder, destination, keepOld);
    unregister();
  }
}

/** Removes the holder unless it still holds a copy that is needed (then it is kept, and said). */
async function removeOld(holder: string, destination: string, keep: boolean): Promise<void> {
  if (keep) return;
  if (await exists(join(holder, "old")) && !await exists(destination)) {
    log.warn(`the previous copy of ${destination} could not be put back; it is in ${holder}/old`);
    return;
  }
  try {
    await removeIfExists(holder);
  } catch (error) {
    log.warn(`could not remove the previous copy ${holder}: ${messageOf(error)}`);
  }
}
