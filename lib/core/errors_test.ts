/** The tool's one error type: kinds and exit codes, hints and details, foreign errors' messages. */
import { assert, assertEquals, assertMatch } from "../../tests/helpers/assert.ts";
import { reservePort } from "../../tests/helpers/ports.ts";
import { CodegenError, fetchErrorMessage, messageOf, usageError } from "./errors.ts";

Deno.test("a failure exits 1, a usage error 2; hint, details and cause are kept", () => {
  const cause = new Error("ENOENT");
  const failure = new CodegenError("push failed", { hint: "check access", details: "log", cause });
  assertEquals([failure.kind, failure.exitCode], ["failure", 1]);
  assertEquals([failure.hint, failure.details, failure.cause], ["check access", "log", cause]);
  assertEquals(failure.name, "CodegenError");
  assert(failure instanceof Error);
  const usage = usageError("--port: not a number", "Pass an integer.", "got x");
  assertEquals([usage.kind, usage.exitCode, usage.message], ["usage", 2, "--port: not a number"]);
  assertEquals([usage.hint, usage.details], ["Pass an integer.", "got x"]);
});

Deno.test("messageOf: the message of an Error, anything else as text", () => {
  assertEquals(messageOf(new TypeError("bad")), "bad");
  assertEquals(messageOf("plain"), "plain");
  assertEquals(messageOf(42), "42");
  assertEquals(messageOf(undefined), "undefined");
});

Deno.test("fetchErrorMessage: the reason in a failed fetch's cause, without the URL again", async () => {
  using reserved = reservePort(); // nothing listens there
  const error = await fetch(`http://127.0.0.1:${reserved.port}/openapi.json`).then(
    () => undefined,
    (e: unknown) => e,
  );
  assertEquals(messageOf(error), "fetch failed");
  assertMatch(fetchErrorMessage(error), /^client error \(Connect\): .*Connection refused/);
  assertEquals(fetchErrorMessage(new Error("other")), "other");
});
