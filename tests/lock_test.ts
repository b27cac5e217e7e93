/** The per-clone lock: exclusive, names its holder, taken over from dead owners. */
import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "./helpers/assert.ts";
import { acquireLock, isAlive } from "../lib/lock.ts";

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "codegen-lock-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a held lock refuses a second holder, naming the PID; release frees it", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "codegen.lock");
    const first = await acquireLock(path, "the clone");
    assertEquals(JSON.parse(await Deno.readTextFile(path)).pid, Deno.pid);
    await assertRejects(
      () => acquireLock(path, "the clone"),
      new RegExp(`in use by another codegen run: PID ${Deno.pid}`),
    );
    await first.release();
    await first.release(); // twice is harmless
    const second = await acquireLock(path, "the clone");
    await second.release();
    assert(!(await Deno.stat(path).then(() => true, () => false)), "released locks leave no file");
  });
});

Deno.test("a lock held by another process is refused until that process exits", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "codegen.lock");
    const holder = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `const f = await Deno.open(${
          JSON.stringify(path)
        }, {read: true, write: true, create: true});
        await f.lock(true); await f.write(new TextEncoder().encode(JSON.stringify({pid: Deno.pid, host: "h", started: "s"})));
        console.log("locked"); for await (const _ of Deno.stdin.readable) {}`,
      ],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const reader = holder.stdout.getReader();
    await reader.read(); // "locked"
    await assertRejects(() => acquireLock(path, "the clone"), new RegExp(`PID ${holder.pid}`));
    await holder.stdin.close();
    await holder.status;
    reader.releaseLock();
    await holder.stdout.cancel();
    const lock = await acquireLock(path, "the clone"); // the dead holder's lock is taken over
    await lock.release();
  });
});

Deno.test("isAlive tells running from exited processes", async () => {
  assert(isAlive(Deno.pid));
  const child = new Deno.Command("true").spawn();
  await child.status;
  assert(!isAlive(child.pid));
});
