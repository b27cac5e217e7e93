/**
 * `codegen all` failing: the failed stage is named with what is done and what is not, a pin that
 * fails after the push says what was pushed, and the check stage refuses before anything is written.
 */
import { join } from "node:path";
import {
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { refsOf } from "../helpers/tree_snapshot.ts";
import { acquireLock } from "../../lib/os/lock.ts";
import {
  all,
  baseConfig,
  GENERATOR,
  remoteBranch,
  withWorkspace,
  writeConfig,
} from "../helpers/all_workspace.ts";

Deno.test("a failing stage is named, with what is done and what is not (text and --json)", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    await Deno.remove(ws.bare, { recursive: true }); // origin is gone: the merge stage fails
    const pyprojectBefore = await Deno.readTextFile(ws.pyproject);
    const r = await all(ws, ["--json"]);
    assertEquals(r.code, 1, r.stderr);
    assertMatch(r.stderr, /error: merge stage failed: /);
    assertMatch(
      r.stderr,
      /done: check \(.*\); spec \(wrote \S+openapi\.json: 8 operations, .*\); generate \(python main /,
    );
    assertStringIncludes(r.stderr, "not done: merge (nothing pushed; pyproject.toml not changed)");
    const result = JSON.parse(r.stdout);
    assertEquals(result.ok, false);
    assertEquals(result.error.stage, "merge");
    assertEquals(result.stages.map((s: { status: string }) => s.status), [
      "done",
      "done",
      "done",
      "failed",
    ]);
    assertEquals(await Deno.readTextFile(ws.pyproject), pyprojectBefore);
  });
});

Deno.test("a pin failing after the push: the report says what was pushed (text and --json)", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    // Runs during the push, after the branch moved: pyproject.toml becomes unreadable TOML.
    const hook = join(ws.bare, "hooks", "post-receive");
    await Deno.writeTextFile(hook, `#!/bin/sh\nprintf 'broken = [' > '${ws.pyproject}'\n`);
    await Deno.chmod(hook, 0o755);
    const r = await all(ws, ["--json"]);
    assertEquals(r.code, 1, r.stderr);
    const mirror = await remoteBranch(ws, "refs/heads/weave/my-feature");
    assertMatch(mirror, /^[0-9a-f]{40}$/);
    const short = mirror.slice(0, 12);
    assertStringIncludes(r.stderr, `merge stage failed: pushed ${short} to weave/my-feature`);
    assertStringIncludes(
      r.stderr,
      `not done: merge (pushed ${short} to weave/my-feature; pyproject.toml not changed)`,
    );
    const result = JSON.parse(r.stdout);
    assertEquals([result.ok, result.error.stage], [false, "merge"]);
    assertEquals(result.merge.commit, mirror);
    assertEquals([result.merge.pushed, result.merge.noop], [true, false]);
  });
});

Deno.test("the check stage refuses before anything is written: not a clone, the trace repo, dirty, locked", async () => {
  await withWorkspace(async (ws) => {
    const spec = join(ws.trace, "tools/codegen/openapi.json");
    const traceRefs = await refsOf(ws.trace);
    const flags = ["--package-name", "weave_server_sdk", "--generator", GENERATOR];
    const run = (pythonOutput: string) =>
      all(ws, ["--python-output", pythonOutput, ...flags, "--port", String(ws.port)]);
    await Deno.mkdir(join(ws.trace, "sdkdir")); // a wrong python_output inside the trace repository
    const sub = await run("sdkdir");
    assertEquals(sub.code, 2, sub.stderr);
    assertStringIncludes(
      sub.stderr,
      `check stage failed: python SDK clone ${ws.trace}/sdkdir is not a repository of its own`,
    );
    assertStringIncludes(sub.stderr, `inside the git repository ${ws.trace}`);
    assertStringIncludes(sub.stderr, "--python-output");
    const itself = await run(".");
    assertEquals(itself.code, 2, itself.stderr);
    assertStringIncludes(itself.stderr, "is the trace repository");

    await Deno.writeTextFile(join(ws.sdk, "wip.txt"), "uncommitted\n");
    const dirty = await run(ws.sdk);
    assertEquals(dirty.code, 1, dirty.stderr);
    assertMatch(
      dirty.stderr,
      /check stage failed: python SDK clone: `main` is checked out .* uncommitted/,
    );
    await Deno.remove(join(ws.sdk, "wip.txt"));

    const held = await acquireLock(join(ws.sdk, ".git", "codegen.lock"), "test");
    try {
      const locked = await run(ws.sdk);
      assertEquals(locked.code, 1, locked.stderr);
      assertMatch(locked.stderr, /check stage failed: .* in use by another codegen run: PID \d+/);
      assertStringIncludes(locked.stderr, `PID ${Deno.pid}`);
    } finally {
      await held.release();
    }
    for (const r of [sub, itself, dirty]) assertNotMatch(r.stderr, /\[spec\]/);
    assertEquals(await Deno.stat(spec).then(() => true, () => false), false, "no spec written");
    assertEquals(await refsOf(ws.trace), traceRefs, "the trace repository's refs never moved");
  });
});
