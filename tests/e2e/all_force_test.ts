/**
 * `all --force`: `all` takes the merge stage's flags too. Someone else's commit on the mirror
 * branch makes `all` stop before pushing; with --force it is replaced, as merge_generated_code
 * --force does.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import { createWorkspace } from "../helpers/workspace.ts";
import { gitIn } from "../helpers/git_fixtures.ts";

const ENV = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
const MIRROR = "refs/heads/weave/my-feature";

Deno.test("all --force replaces commits someone else pushed to the mirror branch", async () => {
  const ws = await createWorkspace();
  try {
    await Deno.writeTextFile(
      join(ws.trace, "tools/codegen/generate_config.yaml"),
      `python_output: ${ws.sdk}\npackage_name: weave_server_sdk\n` +
        `generator: openapi-python-client\nport: ${ws.port}\n`,
    );
    const all = (...args: string[]) =>
      runCli(["all", ...args], { cwd: ws.trace, env: ENV, timeoutMs: 300_000 });
    const first = await all();
    assertEquals(first.code, 0, first.stderr);

    const other = join(ws.root, "other");
    await gitIn(ws.root, "clone", "--quiet", "--branch", "weave/my-feature", ws.bare, other);
    await Deno.writeTextFile(join(other, "fix.py"), "FIX = 1\n");
    await gitIn(other, "add", "fix.py");
    await gitIn(other, "commit", "--quiet", "-m", "Hand-written fix");
    await gitIn(other, "push", "--quiet", "origin", "weave/my-feature");
    const theirs = await gitIn(ws.bare, "rev-parse", MIRROR);

    const refused = await all();
    assertEquals(refused.code, 1, refused.stderr);
    assertMatch(refused.stderr, /merge stage failed: .*codegen did not make/);
    assertEquals(await gitIn(ws.bare, "rev-parse", MIRROR), theirs, "nothing pushed");

    const forced = await all("--force");
    assertEquals(forced.code, 0, forced.stderr);
    assertStringIncludes(forced.stderr, "Hand-written fix");
    const tree = await gitIn(ws.bare, "ls-tree", "--name-only", MIRROR);
    assert(!tree.split("\n").includes("fix.py"), "their commit was replaced");
  } finally {
    await ws.dispose();
  }
});
