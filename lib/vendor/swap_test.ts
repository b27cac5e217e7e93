/** The directory swap: the destination is the old copy or the new one, whatever fails. */
import { assert, assertEquals, assertRejects } from "../../tests/helpers/assert.ts";
import { join } from "../core/paths.ts";
import { exists, removeIfExists } from "../core/fs.ts";
import { runCleanups } from "../core/cleanup.ts";
import {
  describeSwapLeftover,
  findSwapLeftovers,
  makeTempDirFor,
  recoverInterruptedSwap,
  replaceDirectory,
} from "./swap.ts";

async function setup(withOld = true) {
  const parent = await Deno.makeTempDir({ prefix: "swap-" });
  const destination = join(parent, "pkg");
  if (withOld) {
    await Deno.mkdir(join(destination, "sub"), { recursive: true });
    await Deno.writeTextFile(join(destination, "sub/old.py"), "old\n");
  }
  await Deno.writeTextFile(join(parent, "neighbour.txt"), "untouched\n");
  const stage = await makeTempDirFor(destination, "new");
  await Deno.writeTextFile(join(stage.path, "new.py"), "new\n");
  return { parent, destination, stage };
}

async function listing(parent: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(parent)) names.push(entry.name);
  return names.sort();
}

Deno.test("replaceDirectory swaps the new copy in and leaves nothing else behind", async () => {
  const { parent, destination, stage } = await setup();
  try {
    assert((await listing(parent)).some((name) => name.startsWith(".pkg.new-")));
    let ranAfter = false;
    await replaceDirectory(stage.path, destination, async () => {
      ranAfter = await exists(join(destination, "new.py"));
    });
    assert(ranAfter, "`then` runs with the new copy in place");
    assertEquals(await Deno.readTextFile(join(destination, "new.py")), "new\n");
    assert(!await exists(join(destination, "sub")));
    await stage.dispose();
    assertEquals(await listing(parent), ["neighbour.txt", "pkg"]);
  } finally {
    await removeIfExists(parent);
  }
});

Deno.test("replaceDirectory moves a first copy in (no previous one)", async () => {
  const { parent, destination, stage } = await setup(false);
  try {
    await replaceDirectory(stage.path, destination);
    assert(await exists(join(destination, "new.py")));
    await stage.dispose();
    assertEquals(await listing(parent), ["neighbour.txt", "pkg"]);
  } finally {
    await removeIfExists(parent);
  }
});

Deno.test("a failure after the swap puts the old copy back and the new one in the stage", async () => {
  const { parent, destination, stage } = await setup();
  try {
    await assertRejects(
      () => replaceDirectory(stage.path, destination, () => Promise.reject(new Error("stamp"))),
      /^stamp$/,
    );
    assertEquals(await Deno.readTextFile(join(destination, "sub/old.py")), "old\n");
    assert(!await exists(join(destination, "new.py")));
    assert(await exists(join(stage.path, "new.py")));
    await stage.dispose();
    assertEquals(await listing(parent), ["neighbour.txt", "pkg"]);
  } finally {
    await removeIfExists(parent);
  }
});

Deno.test("a failing rename keeps the old copy", async () => {
  const { parent, destination, stage } = await setup();
  try {
    await stage.dispose(); // nothing to move in
    await assertRejects(
      () => replaceDirectory(stage.path, destination),
      /cannot move the new copy into/,
    );
    assertEquals(await Deno.readTextFile(join(destination, "sub/old.py")), "old\n");
    assertEquals(await listing(parent), ["neighbour.txt", "pkg"]);
  } finally {
    await removeIfExists(parent);
  }
});

Deno.test("an interruption (the exit cleanups) between the swap and the stamp undoes it", async () => {
  const { parent, destination, stage } = await setup();
  try {
    await assertRejects(
      () =>
        replaceDirectory(stage.path, destination, async () => {
          await runCleanups(); // what main.ts does on Ctrl-C
          throw new Error("interrupted");
        }),
      /interrupted/,
    );
    assertEquals(await Deno.readTextFile(join(destination, "sub/old.py")), "old\n");
    assert(!await exists(join(destination, "new.py")));
    assertEquals(await listing(parent), ["neighbour.txt", "pkg"]);
  } finally {
    await removeIfExists(parent);
  }
});

Deno.test("after a run killed mid-swap, the previous copy is put back and the leftovers removed", async () => {
  const { parent, destination, stage } = await setup();
  try {
    // What SIGKILL between the two renames leaves: the old copy in its holder, no destination,
    // the staged new copy beside it. A neighbour with a similar name is not ours.
    const holder = join(parent, ".pkg.old-abc123");
    await Deno.mkdir(holder);
    await Deno.rename(destination, join(holder, "old"));
    await Deno.mkdir(join(parent, ".pkgx.old-zzz"));
    const found = await findSwapLeftovers(destination);
    assertEquals(found, [
      { action: "remove", path: stage.path },
      { action: "restore", path: holder },
    ]);
    assert(!await exists(destination), "finding the leftovers changes nothing");
    assert(
      describeSwapLeftover(found[1]!, destination, true).startsWith("put the previous copy"),
    );
    const done = await recoverInterruptedSwap(destination);
    assertEquals(await Deno.readTextFile(join(destination, "sub/old.py")), "old\n");
    assertEquals(await listing(parent), [".pkgx.old-zzz", "neighbour.txt", "pkg"]);
    assert(!await exists(stage.path));
    assert(done.some((line) => line.startsWith("put the previous copy")), done.join("\n"));
    assertEquals(done.filter((line) => line.startsWith("removed")).length, 1);
  } finally {
    await removeIfExists(parent);
  }
});

Deno.test("a holder still holding a copy beside the destination is kept and warned about", async () => {
  const { parent, destination } = await setup();
  try {
    // What a failed stamp write whose new copy could not be moved out again leaves (or SIGKILL
    // after the new copy moved in): the copy in the holder may be the one a person needs.
    const holder = join(parent, ".pkg.old-def456");
    await Deno.mkdir(join(holder, "old"), { recursive: true });
    await Deno.writeTextFile(join(holder, "old/earlier.py"), "earlier\n");
    const empty = join(parent, ".pkg.old-ghi789");
    await Deno.mkdir(empty);
    const done = await recoverInterruptedSwap(destination);
    assertEquals(await Deno.readTextFile(join(destination, "sub/old.py")), "old\n");
    assertEquals(await Deno.readTextFile(join(holder, "old/earlier.py")), "earlier\n");
    assert(!await exists(empty));
    const kept = done.find((line) => line.startsWith(`${holder}/old holds an earlier copy`));
    assert(kept?.includes(`then delete ${holder}`), done.join("\n"));
    assertEquals(await findSwapLeftovers(destination), [{ action: "keep", path: holder }]);
    const planned = describeSwapLeftover({ action: "keep", path: holder }, destination, true);
    assert(planned.startsWith(`keep ${holder} (its old/ holds an earlier copy`), planned);
    assertEquals(await recoverInterruptedSwap(join(parent, "missing/pkg")), []);
  } finally {
    await removeIfExists(parent);
  }
});

Deno.test("with two held copies and no destination, the newest is put back and the other kept", async () => {
  const { parent, destination, stage } = await setup();
  try {
    await stage.dispose();
    // The names sort the other way round from their age (their suffixes are random).
    const older = join(parent, ".pkg.old-b");
    const newer = join(parent, ".pkg.old-a");
    await Deno.mkdir(join(older, "old"), { recursive: true });
    await Deno.writeTextFile(join(older, "old/stale.py"), "stale\n");
    await Deno.mkdir(newer);
    await Deno.rename(destination, join(newer, "old"));
    await Deno.utime(older, new Date("2026-01-01T10:00:00Z"), new Date("2026-01-01T10:00:00Z"));
    await Deno.utime(newer, new Date("2026-01-02T10:00:00Z"), new Date("2026-01-02T10:00:00Z"));
    assertEquals(await findSwapLeftovers(destination), [
      { action: "restore", path: newer },
      { action: "keep", path: older },
    ]);
    // With the ages the other way round, the other holder is put back.
    await Deno.utime(older, new Date("2026-01-03T10:00:00Z"), new Date("2026-01-03T10:00:00Z"));
    assertEquals(await findSwapLeftovers(destination), [
      { action: "keep", path: newer },
      { action: "restore", path: older },
    ]);
    await recoverInterruptedSwap(destination);
    assertEquals(await Deno.readTextFile(join(destination, "stale.py")), "stale\n");
    assert(await exists(join(newer, "old/sub/old.py")), "the other copy is kept");
  } finally {
    await removeIfExists(parent);
  }
});
