/** A pin that fails after the push: the error says what origin holds now, and how to finish. */
import { assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { CodegenError, usageError } from "../core/errors.ts";
import { PinAfterPushError, type PushResult } from "./types.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const pushed: PushResult = {
  branch: "weave/my-feature",
  traceBranch: "my-feature",
  commit: SHA,
  pushed: true,
  noop: false,
};

Deno.test("PinAfterPushError: what was pushed, the pin's own error, and that running again is safe", () => {
  const cause = new CodegenError("pyproject.toml is not valid TOML", {
    hint: "Fix the file.",
    details: "line 3",
  });
  const error = new PinAfterPushError(pushed, cause);
  assertEquals(
    error.message,
    "pushed 0123456789ab to weave/my-feature on origin, but pinning pyproject.toml failed: " +
      "pyproject.toml is not valid TOML",
  );
  assertEquals([error.kind, error.details, error.cause, error.pushed], [
    "failure",
    "line 3",
    cause,
    pushed,
  ]);
  assertEquals(error.hint?.startsWith("Fix the file. pyproject.toml was not changed"), true);
  assertStringIncludes(error.hint ?? "", "nothing new is pushed");
});

Deno.test("PinAfterPushError: nothing pushed (origin had the tree) and a usage error's kind", () => {
  const noop = { ...pushed, pushed: false, noop: true };
  const error = new PinAfterPushError(noop, usageError('invalid package name "x y"'));
  assertEquals(
    error.message,
    "weave/my-feature on origin already holds 0123456789ab, but pinning pyproject.toml failed: " +
      'invalid package name "x y"',
  );
  assertEquals(error.exitCode, 2);
  assertEquals(error.hint?.startsWith("pyproject.toml was not changed"), true, "no empty hint");
});
