/** The per-clone lock: exclusive, names its holder, taken over from dead owners. */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { CodegenError } from "../core/errors.ts";
import { acquireLock } from "./lock.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";

const withDir = (fn: (dir: string) => Promise<void>) => withTempDir("codegen-lock-", fn);

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

Deno.test("a lock is exclusive, even within this process; released, it leaves no file", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "codegen.lock");
    const lock = await acquireLock(path, "the clone");
    assertEquals(JSON.parse(await Deno.readTextFile(path)).pid, Deno.pid);
    assert(!(await otherProcessCanLock(path)), "held: no other process can take it");
    // Not reentrant: the same file, even under another name, is refused as a bug of this run.
    await Deno.symlink(dir, join(dir, "alias"));
    const again = await assertRejects(
      () => acquireLock(join(dir, "alias", "codegen.lock"), "the clone"),
      /the clone is already locked by this codegen run/,
    );
    assert(again instanceof CodegenError);
    assertStringIncludes((again as CodegenError).hint ?? "", "bug");
    assert(!(await otherProcessCanLock(path)), "the refused attempt did not drop the lock");
    await lock.release();
    await lock.release(); // twice is harmless
    assert(!(await exists(path)), "released locks leave no file");
    // Two concurrent attempts: exactly one wins.
    const both = await Promise.allSettled([
      acquireLock(path, "the clone"),
      acquireLock(path, "the clone"),
    ]);
    const won = both.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
    assertEquals(won.length, 1);
    await won[0].release();
    const retaken = await acquireLock(path, "the clone");
    await retaken.release();
    assert(!(await exists(path)));
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

Deno.test("a second run waits for the lock (saying for whom), or gives up after the wait", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "codegen.lock");
    // Another process holds it for a moment, then exits.
    const holder = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `const f = await Deno.open(${
          JSON.stringify(path)
        }, {read: true, write: true, create: true});
        await f.lock(true);
        await f.write(new TextEncoder().encode(JSON.stringify({pid: Deno.pid, host: "h", started: "t"})));
        console.log("locked");
        await new Promise((r) => setTimeout(r, 1500));`,
      ],
      stdout: "piped",
    }).spawn();
    const reader = holder.stdout.getReader();
    await reader.read(); // "locked"
    reader.releaseLock();
    const refused = await assertRejects(
      () => acquireLock(path, "the trace repository", { waitMs: 0, waitHint: "--no-wait" }),
      /the trace repository is in use by another codegen run: PID \d+ on h/,
    );
    assertStringIncludes((refused as CodegenError).hint ?? "", "Wait for it to finish");
    const gaveUp = await assertRejects(
      () => acquireLock(path, "the trace repository", { waitMs: 300 }),
      /in use by another codegen run \(still, after 0 s\)/,
    );
    assert(gaveUp instanceof CodegenError);
    const lock = await acquireLock(path, "the trace repository", { waitMs: 60_000 });
    assertEquals(JSON.parse(await Deno.readTextFile(path)).pid, Deno.pid, "taken once free");
    await holder.stdout.cancel();
    await holder.status;
    await lock.release();
  });
});
