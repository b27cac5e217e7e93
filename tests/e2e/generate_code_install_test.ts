/**
 * End to end with the default local generator: the example server's spec goes through
 * `generate_code --generator openapi-python-client`; the package on the clone's main installs
 * with pip, and a smoke script calls the running example server through it.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { join } from "node:path";
import { pipInstallOffline } from "../helpers/pip.ts";
import { PROJECT_ROOT, PYTHON, runCli } from "../helpers/cli.ts";
import {
  exportExampleSpec,
  head,
  makeClone,
  makeTraceRepo,
  removeAll,
  treeFiles,
} from "../helpers/sdk_clone.ts";
import { run } from "../../lib/os/process.ts";
import { startExampleServer } from "../helpers/example_server.ts";

Deno.test("openapi-python-client: generated SDK installs and talks to the running example server", async () => {
  const repo = await makeTraceRepo();
  const clone = await makeClone({ "README.md": "placeholder\n", "obsolete_module.py": "x = 1\n" });
  const work = await Deno.makeTempDir({ prefix: "e2e-site-" });
  try {
    await exportExampleSpec(join(repo, "tools/codegen/openapi.json"));
    const before = await head(clone);
    const result = await runCli([
      "--repo-root",
      repo,
      "generate_code",
      "--python-path",
      clone,
      "--generator",
      "openapi-python-client",
    ]);
    assertEquals(result.code, 0, result.stderr);
    const tip = await head(clone, "main");
    // The first line is the clone's result (the run's warnings, if any, follow it).
    assertEquals(result.stdout.split("\n")[0], `python\t${clone}\tmain ${tip}\tupdated`);
    assertEquals((await run("git", ["rev-parse", "main^"], { cwd: clone })).stdout.trim(), before);
    const files = await treeFiles(clone);
    for (
      const expected of [
        "setup.py",
        "weave_server_sdk/client.py",
        "weave_server_sdk/api/calls/call_start_call_start_post.py",
      ]
    ) {
      assert(files.includes(expected), `${expected} missing from main:\n${files.join("\n")}`);
    }
    assert(!files.includes("obsolete_module.py"), "stale file kept");
    // The JSON Lines endpoint was kept (content_type_overrides), not dropped with a warning.
    assert(
      files.includes("weave_server_sdk/api/calls/calls_stream_query_calls_stream_query_post.py"),
    );

    // Install from the clone (its checked-out main) into a throwaway target directory.
    const site = join(work, "site");
    await pipInstallOffline(clone, site, { what: "pip install the generated SDK", cwd: work });
    assert((await Deno.stat(join(site, "weave_server_sdk/__init__.py"))).isFile);

    const server = await startExampleServer();
    try {
      const smoke = await run(PYTHON, [
        `${PROJECT_ROOT}/tests/fixtures/smoke_client.py`,
        server.url,
      ], {
        cwd: work, // not the clone: the import must come from the installed package
        env: { PYTHONPATH: site },
        what: "smoke test of the generated SDK",
      });
      const summary = JSON.parse(smoke.stdout.trim().split("\n").at(-1)!);
      assertEquals(summary.smoke, "ok");
    } finally {
      await server.stop();
    }
  } finally {
    await removeAll(repo, clone, work);
  }
});
