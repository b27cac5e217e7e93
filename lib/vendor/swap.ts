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
 * Cleans up after a run that was killed (SIGKILL, power loss) in the middle of a swap, which no
 * clean-up could follow: a hidden holder `.<name>.old-XXXX/old` beside a missing `destination` is
 * the previous copy, and is put back; other holders, and staging directories `.<name>.new-XXXX`,
 * are leftovers and removed. Only call it under the trace repository's lock (commands/run/
 * trace_lock.ts): then no other run can be using them. Returns what it did, for the log.
 */
export async function recoverInterruptedSwap(destination: string): Promise<string[]> {
  const parent = dirname(destination);
  const name = basename(destination);
  const leftovers: string[] = [];
  try {
    for await (const entry of Deno.readDir(parent)) {
      const ours = entry.name.startsWith(`.${name}.old-`) || entry.name.startsWith(`.${name}.new-`);
      if (entry.isDirectory && ours) leftovers.push(join(parent, entry.name));
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const done: string[] = [];
  for (const leftover of leftovers.sort()) {
    const old = join(leftover, "old");
    if (basename(leftover).startsWith(`.${name}.old-`) && await exists(old)) {
      if (!await exists(destination)) {
        await Deno.rename(old, destination);
        done.push(
          `put the previous copy of ${destination} back from ${leftover} (an interrupted run)`,
        );
      }
    }
    await removeIfExists(leftover);
    done.push(`removed ${leftover}, left by an interrupted run`);
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
            `the previous copy is in ${old}`,
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
