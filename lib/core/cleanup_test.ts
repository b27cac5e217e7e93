/** Clean-ups run once each, to completion, however many callers ask (signal and main flow). */
import { assertEquals } from "../../tests/helpers/assert.ts";
import { pendingCleanups, registerCleanup, runCleanups } from "./cleanup.ts";

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

Deno.test("a dismissed undo never runs; a failing one is reported and the sweep goes on", async () => {
  const ran: string[] = [];
  registerCleanup("dismissed", () => void ran.push("dismissed")).dismiss();
  registerCleanup("ok", () => void ran.push("ok"));
  registerCleanup("failing", () => {
    ran.push("failing");
    throw new Error("boom");
  });
  await runCleanups();
  assertEquals(ran, ["failing", "ok"], "newest first, the failure did not stop the sweep");
  assertEquals(pendingCleanups(), []);
});
