/**
 * `codegen all --release` with the hosted generator when the build makes no new commit: the
 * clone's current main is still reviewed in the generate stage (as the local generators do), so
 * a main without a version stops the run there, before the merge pushes anything.
 */
import { join } from "node:path";
import { assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import { hostedEnv, startFakeStainless } from "../helpers/fake_stainless.ts";
import { createWorkspace } from "../helpers/workspace.ts";
import { gitIn } from "../helpers/git_fixtures.ts";

Deno.test("all --release, hosted, no new commit: a versionless main is refused in the generate stage, nothing pushed", async () => {
  const fake = await startFakeStainless({ noNewCommit: true });
  // The SDK's main has no pyproject.toml (nor setup.py): no version to pin.
  const ws = await createWorkspace({ sdkFiles: { "README.md": "# weave_server_sdk\n" } });
  try {
    await Deno.writeTextFile(
      join(ws.trace, "tools/codegen/generate_config.yaml"),
      [
        `python_output: ${ws.sdk}`,
        "package_name: weave_server_sdk",
        "generator: stainless",
        "poll_interval: 0.01",
        `port: ${ws.port}`,
      ].join("\n") + "\n",
    );
    const env = { ...hostedEnv(fake), GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
    const pyproject = await Deno.readTextFile(ws.pyproject);
    const main = await gitIn(ws.sdk, "rev-parse", "main");
    const r = await runCli(["all", "--release", "--json"], {
      cwd: ws.trace,
      env,
      timeoutMs: 300_000,
    });
    assertEquals(r.code, 2, r.stderr);
    assertStringIncludes(r.stderr, "no new commit");
    assertMatch(r.stderr, /but stainless wrote none: [0-9a-f]{40}:pyproject\.toml of \S+ does not/);
    const json = JSON.parse(r.stdout);
    assertEquals(json.error.stage, "generate");
    assertEquals(fake.builds.length, 1, "the build ran");
    assertEquals(await gitIn(ws.sdk, "rev-parse", "main"), main);
    assertEquals(await gitIn(ws.bare, "for-each-ref", "refs/heads/weave/"), "", "nothing pushed");
    assertEquals(await Deno.readTextFile(ws.pyproject), pyproject, "nothing pinned");
  } finally {
    await fake.close();
    await ws.dispose();
  }
});
