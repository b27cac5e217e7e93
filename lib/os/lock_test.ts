/** The per-clone lock: exclusive, names its holder, taken over from dead owners. */
import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../tests/helpers/assert.ts";
import { acquireLock, isAlive } from "./lock.ts";

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "codegen-lock-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Can another process take the OS lock on `path` right now? (It lets go at once.) */
async function otherProcessCanLock(path: string): Promise<boolean> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `const f = await Deno.open(${JSON.stringify(path)}, {read: true, write: true, create: true});
      console.log(await f.tryLock(true)); f.close();`,
    ],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(output.stdout).trim() === "true";
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("a lock is reentrant within a process; held until its last holder releases it", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "codegen.lock");
    const first = await acquireLock(path, "the clone");
    assertEquals(JSON.parse(await Deno.readTextFile(path)).pid, Deno.pid);
    // Same file under another name: the same lock.
    await Deno.symlink(dir, join(dir, "alias"));
    const second = await acquireLock(join(dir, "alias", "codegen.lock"), "the clone");
    assert(!(await otherProcessCanLock(path)), "held: no other process can take it");
    await first.release();
    await first.release(); // twice is harmless, and does not count as the second holder's release
    assert(await exists(path), "still held by the second holder");
    assert(!(await otherProcessCanLock(path)), "still held after the first release");
    await second.release();
    assert(!(await exists(path)), "released locks leave no file");
    // Concurrent acquires in one process share one OS lock instead of refusing each other.
    const both = await Promise.all([
      acquireLock(path, "the clone"),
      acquireLock(path, "the clone"),
    ]);
    for (const lock of both) await lock.release();
    assert(!(await exists(path)));
    const again = await acquireLock(path, "the clone");
    await again.release();
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
