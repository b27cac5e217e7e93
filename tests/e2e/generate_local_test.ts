/**
 * The `command` backend end to end (CLI as a subprocess, a real generator process, real git
 * clones): the generated tree replaces main's, failures leave the clone as it was, dry runs and
 * locks. Generator choice and the stainful preset: generate_local_presets_test.ts.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { join } from "node:path";
import { head, treeFiles } from "../helpers/sdk_clone.ts";
import { isEmptyDir, withLocal } from "../helpers/local_generate.ts";
import { gitOutput } from "../../lib/git/git.ts";
import { acquireLock } from "../../lib/os/lock.ts";

Deno.test("command backend: output replaces main's tree; stale files go, preserved paths stay", async () => {
  await withLocal(async (l) => {
    const before = await head(l.clone);
    const result = await l.run([
      "--fake",
      "",
      "--preserve",
      "src/custom,README.md",
      "--package-name",
      "my_sdk",
    ]);
    assertEquals(result.code, 0, result.stderr);
    const tip = await head(l.clone, "main");
    assertEquals(await gitOutput(l.clone, ["rev-parse", "main^"]), before);
    assertEquals(await treeFiles(l.clone), [
      ".codegen/openapi.json",
      ".codegen/origin.json",
      "README.md",
      "my_sdk/__init__.py",
      "pyproject.toml",
      "src/custom/keep.py",
    ]);
    assertEquals(
      await Deno.readTextFile(join(l.clone, "my_sdk/__init__.py")),
      "PATHS = ['/health']\n",
    );
    assertEquals(await Deno.stat(join(l.clone, "stale.py")).catch(() => null), null);
    // Then the run's warnings (the example config's renameKey matches nothing in its spec).
    assertEquals(result.stdout.split("\n")[0], `python\t${l.clone}\tmain ${tip}\tupdated`);
    assert(await isEmptyDir(l.tmp), "temporary directory left behind");
    // Same input again: nothing changes (the generator is not even run: main is up to date).
    const again = await l.run([
      "--fake",
      "",
      "--preserve",
      "src/custom,README.md",
      "--package-name",
      "my_sdk",
    ]);
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stdout, "up to date");
    assertEquals(await head(l.clone, "main"), tip);
  });
});

Deno.test("command backend: a crashing generator shows its output and leaves the clone untouched", async () => {
  await withLocal(async (l) => {
    const before = await head(l.clone);
    const result = await l.run(["--fake", "--crash"]);
    assertEquals(result.code, 1);
    assertStringIncludes(result.stderr, "generator command (python) failed");
    assertStringIncludes(result.stderr, "exit code 3");
    assertStringIncludes(result.stderr, "fake_generator: error: cannot handle");
    assertStringIncludes(result.stderr, "was not changed");
    assertEquals(result.stdout, "");
    assertEquals(await head(l.clone, "main"), before);
    assertEquals(await gitOutput(l.clone, ["status", "--porcelain"]), "");
    assert(await isEmptyDir(l.tmp), "temporary directory left behind");

    const nothing = await l.run(["--fake", "--nothing"]);
    assertEquals(nothing.code, 1);
    assertStringIncludes(nothing.stderr, "wrote nothing to {out}");
  });
});

Deno.test("command backend: a dirty main is refused before the generator runs", async () => {
  await withLocal(async (l) => {
    await Deno.writeTextFile(join(l.clone, "stale.py"), "edited\n");
    const result = await l.run(["--fake", "--crash"]); // would fail differently if it ran
    assertEquals(result.code, 1);
    assertStringIncludes(result.stderr, "has uncommitted changes");
    assert(!result.stderr.includes("fake_generator"), result.stderr);
    assertEquals(await Deno.readTextFile(join(l.clone, "stale.py")), "edited\n");
  });
});

Deno.test("command backend --dry-run: .git/index untouched, no temporary directory, no commit", async () => {
  await withLocal(async (l) => {
    const index = join(l.clone, ".git", "index");
    const before = await Deno.readFile(index);
    const main = await head(l.clone, "main");
    // Same content, new mtime: a plain `git status` would refresh the index's stat cache.
    await Deno.utime(join(l.clone, "stale.py"), 1_000_000_000, 1_000_000_000);
    const result = await l.run(["--fake", "", "--dry-run"]);
    assertEquals(result.code, 0, result.stderr);
    assertMatch(
      result.stderr,
      /\[dry-run\] would run `.*fake_generator\.py .*<temporary directory>/,
    );
    assertEquals(await Deno.readFile(index), before, ".git/index is byte-identical");
    assertEquals(await head(l.clone, "main"), main);
    assert(await isEmptyDir(l.tmp), "a dry run creates no temporary directory");
  });
});

Deno.test("command backend: a clone locked by another run is refused at once, naming the PID", async () => {
  await withLocal(async (l) => {
    const main = await head(l.clone, "main");
    const held = await acquireLock(join(l.clone, ".git", "codegen.lock"), "test");
    try {
      const result = await l.run(["--fake", ""]);
      assertEquals(result.code, 1, result.stderr);
      assertStringIncludes(result.stderr, `in use by another codegen run: PID ${Deno.pid}`);
      assertEquals(await head(l.clone, "main"), main);
    } finally {
      await held.release();
    }
    const free = await l.run(["--fake", ""]);
    assertEquals(free.code, 0, free.stderr);
    assertEquals(await Deno.stat(join(l.clone, ".git", "codegen.lock")).catch(() => null), null);
  });
});
