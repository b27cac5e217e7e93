/** Undo functions run on exit: newest first, each once, failures reported and not fatal. */
import { assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { onCleanup, pendingCleanups, runCleanups } from "./cleanup.ts";
import { configureLogger, defaultLoggerOptions } from "./log.ts";

Deno.test("an unregistered cleanup is not pending and does not run", async () => {
  const ran: string[] = [];
  const unregister = onCleanup("temporary file a", () => void ran.push("a"));
  assertEquals(pendingCleanups(), ["temporary file a"]);
  unregister();
  assertEquals(pendingCleanups(), []);
  await runCleanups();
  assertEquals(ran, []);
});

Deno.test("runCleanups runs every pending cleanup once, newest first, past a failing one", async () => {
  const warnings: string[] = [];
  configureLogger({ ...defaultLoggerOptions(), color: false, stderr: (t) => warnings.push(t) });
  try {
    const ran: string[] = [];
    onCleanup("first", () => void ran.push("first"));
    onCleanup("broken", () => {
      throw new Error("disk full");
    });
    onCleanup("last", async () => {
      await Promise.resolve();
      ran.push("last");
    });
    await runCleanups();
    assertEquals(ran, ["last", "first"]);
    assertEquals(pendingCleanups(), []);
    assertStringIncludes(warnings.join(""), "cleanup of broken failed: disk full");
    await runCleanups();
    assertEquals(ran, ["last", "first"], "nothing runs twice");
  } finally {
    configureLogger(defaultLoggerOptions());
  }
});
