/** Process facts: running, exited and zombie processes; the "no such process" error. */
import { assert, assertEquals, assertRejects } from "../../tests/helpers/assert.ts";
import { HAS_PROC, isAlive, isNoSuchProcess, readProcLink, readStat } from "./procfs.ts";
import { PYTHON } from "../../tests/helpers/cli.ts";
import { waitFor } from "../../tests/helpers/wait.ts";

Deno.test("isAlive tells running from exited processes", async () => {
  assert(isAlive(Deno.pid));
  const child = new Deno.Command("true").spawn();
  await child.status;
  assert(!isAlive(child.pid));
});

Deno.test({
  name: "isAlive: a zombie (exited, not yet reaped) is not alive",
  ignore: !HAS_PROC,
  async fn() {
    // The parent forks a child that exits at once, and never waits for it: a zombie until the
    // parent itself goes.
    const script = "import os, time\npid = os.fork()\nif pid == 0:\n    os._exit(0)\n" +
      "print(pid, flush=True)\ntime.sleep(60)\n";
    const parent = new Deno.Command(PYTHON, { args: ["-c", script], stdout: "piped" }).spawn();
    try {
      const reader = parent.stdout.getReader();
      const pid = Number(new TextDecoder().decode((await reader.read()).value).trim());
      reader.releaseLock();
      await waitFor(() => readStat(pid)?.state === "Z", {
        what: `PID ${pid} to become a zombie`,
        details: () => `state: ${readStat(pid)?.state}`,
      });
      assert(!isAlive(pid));
    } finally {
      parent.kill("SIGKILL");
      await parent.status;
      await parent.stdout.cancel();
    }
  },
});

Deno.test("isNoSuchProcess recognizes ESRCH from a signal to an exited process, nothing else", async () => {
  const child = new Deno.Command("true").spawn();
  await child.status;
  let error: unknown;
  try {
    Deno.kill(child.pid, "SIGTERM");
  } catch (caught) {
    error = caught;
  }
  assert(error, "signalling an exited process fails");
  assert(isNoSuchProcess(error));
  assert(isNoSuchProcess(new Deno.errors.NotFound("gone")));
  assert(!isNoSuchProcess(new Deno.errors.PermissionDenied("EPERM")));
  assert(!isNoSuchProcess("ESRCH as a plain string is not an error"));
});

Deno.test({
  name:
    "readProcLink: a descriptor's target; a closed one is undefined; a path that is no link throws",
  ignore: !HAS_PROC,
  async fn() {
    const path = await Deno.makeTempFile({ prefix: "codegen-link-" });
    try {
      const file = await Deno.open(path);
      const fds = [...Deno.readDirSync("/proc/self/fd")].map((e) => e.name);
      const links = await Promise.all(fds.map((fd) => readProcLink(`/proc/self/fd/${fd}`)));
      file.close();
      assert(links.includes(await Deno.realPath(path)), links.join(", "));
      assertEquals(await readProcLink(`/proc/self/fd/999999`), undefined, "closed meanwhile");
      assertEquals(await readProcLink(`/proc/999999999/fd/0`), undefined, "process gone");
      await assertRejects(() => readProcLink(path)); // not a link (EINVAL): not swallowed
    } finally {
      await Deno.remove(path);
    }
  },
});
