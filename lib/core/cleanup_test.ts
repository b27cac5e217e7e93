/**
 * Undo functions run on exit: newest first, each once and to completion however many callers ask
 * (signal and main flow), failures reported and not fatal.
 */
import { assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { onCleanup, pendingCleanups, registerCleanup, runCleanups } from "./cleanup.ts";
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

Deno.test("concurrent sweeps wait for the same run; an entry leaves only once its undo is done", async () => {
  const events: string[] = [];
  let finish: () => void = () => {};
  const slow = new Promise<void>((resolve) => (finish = resolve));
  const handle = registerCleanup("slow undo", async () => {
    events.push("start");
    await slow;
    events.push("end");
  });
  const first = runCleanups();
  const second = runCleanups().then(() => events.push("second sweep returned"));
  const owner = handle.run().then(() => events.push("owner's run returned"));
  await new Promise((resolve) => setTimeout(resolve, 10));
  assertEquals(pendingCleanups(), ["slow undo"], "still registered while it runs");
  assertEquals(events, ["start"], "no caller returned before the undo finished");
  finish();
  await Promise.all([first, second, owner]);
  assertEquals(events.slice(0, 2), ["start", "end"], "the undo ran once");
  assertEquals(events.length, 4);
  assertEquals(pendingCleanups(), []);
});

Deno.test("a dismissed undo never runs; the others still do", async () => {
  const ran: string[] = [];
  registerCleanup("dismissed", () => void ran.push("dismissed")).dismiss();
  registerCleanup("ok", () => void ran.push("ok"));
  await runCleanups();
  assertEquals(ran, ["ok"]);
  assertEquals(pendingCleanups(), []);
});

Deno.test("a sweep with nothing to do does not keep later sweeps from running", async () => {
  await runCleanups(); // nothing pending: finishes without awaiting anything
  const ran: string[] = [];
  onCleanup("later", () => void ran.push("later"));
  await runCleanups();
  assertEquals(ran, ["later"]);
});
