/** The trace repository's lock for the commands that write there (lib/git/trace_lock.ts). */
import type { Context } from "../../lib/config/context.ts";
import { lockTraceRepo } from "../../lib/git/trace_lock.ts";

/**
 * Takes the lock of the trace repository for this run (waiting up to lock_timeout, or not at all
 * with --no-wait); returns the function that gives it up. A dry run writes nothing and takes none.
 */
export async function lockTrace(
  context: Context,
  options: { noWait?: boolean; dryRun?: boolean },
): Promise<() => Promise<void>> {
  if (options.dryRun) return async () => {};
  return await lockTraceRepo(context.repoRoot, {
    noWait: options.noWait ?? false,
    timeoutSeconds: context.settings.get("lock_timeout"),
  });
}
