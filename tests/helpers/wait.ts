/**
 * Polling with a deadline, for tests that wait for something another process does: a condition
 * that never comes true fails the test with a message saying what it waited for, instead of
 * hanging it.
 */

export interface WaitOptions {
  /** What is awaited, for the error message: "the child to print `up`". */
  what: string;
  /** Default 30 s: far beyond the normal wait, so only a real hang reaches it. */
  timeoutMs?: number;
  intervalMs?: number;
  /** Text added to the error (the output seen so far, say). */
  details?: () => string;
}

/**
 * Calls `condition` until it returns a truthy value, and returns that value; throws once
 * `timeoutMs` has passed without one.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitOptions,
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) {
      const details = options.details?.();
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${options.what}` +
          (details ? `:\n${details}` : ""),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
}
