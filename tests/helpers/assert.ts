/** Test assertions (JSR's @std/assert is unreachable here): thin names over node:assert. */
import nodeAssert from "node:assert/strict";

export function assert(condition: unknown, message?: string): asserts condition {
  nodeAssert.ok(condition, message);
}

export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message);
}

export function assertMatch(actual: string, pattern: RegExp, message?: string): void {
  nodeAssert.match(actual, pattern, message);
}

export function assertNotMatch(actual: string, pattern: RegExp, message?: string): void {
  nodeAssert.doesNotMatch(actual, pattern, message);
}

export function assertStringIncludes(actual: string, expected: string, message?: string): void {
  nodeAssert.ok(
    actual.includes(expected),
    message ?? `expected to include ${JSON.stringify(expected)}:\n${actual}`,
  );
}

/** Asserts that `fn` rejects with an error whose message matches `pattern`; returns the error. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  pattern?: RegExp,
): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    if (pattern) nodeAssert.match((error as Error).message, pattern);
    return error as Error;
  }
  throw new nodeAssert.AssertionError({ message: "expected the promise to reject" });
}

export function assertThrows(fn: () => unknown, pattern?: RegExp): Error {
  try {
    fn();
  } catch (error) {
    if (pattern) nodeAssert.match((error as Error).message, pattern);
    return error as Error;
  }
  throw new nodeAssert.AssertionError({ message: "expected the function to throw" });
}
