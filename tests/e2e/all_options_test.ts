/** `codegen all`: flags over the config file, --no-auto-merge, required values and the branch. */
import { join } from "node:path";
import {
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertNotMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { refsOf } from "../helpers/tree_snapshot.ts";
import { gitIn } from "../helpers/git_fixtures.ts";
import { reservePort } from "../helpers/ports.ts";
import {
  all,
  baseConfig,
  GENERATOR,
  summaryRow,
  withWorkspace,
  writeConfig,
} from "../helpers/all_workspace.ts";

Deno.test("all --no-auto-merge: flags override the config file; pins the local commit, pushes nothing", async () => {
  await withWorkspace(async (ws) => {
    using flagPort = reservePort();
    // Every value here is wrong for this run and must lose against the flags below.
    const config = join(ws.root, "ci-config.yaml");
    await writeConfig(ws, [
      `python_output: ${join(ws.root, "no-such-clone")}`,
      "package_name: wrong_package",
      "generator: stainless",
      "auto_merge: true",
      `port: ${ws.port}`,
    ], config);
    const before = await refsOf(ws.bare);
    const initial = await gitIn(ws.sdk, "rev-parse", "main");
    const r = await all(ws, [
      "--config",
      config,
      "--python-output",
      ws.sdk,
      "--package-name",
      "weave_server_sdk",
      "--generator",
      GENERATOR,
      "--no-auto-merge",
      "--port",
      String(flagPort.port),
    ], { STAINLESS_API_KEY: "", GITHUB_TOKEN: "" });
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, /\[pin\] ── 4\/4 pin:/);
    assertNotMatch(r.stderr, /\[merge\]/);
    assertEquals(await refsOf(ws.bare), before, "nothing was pushed");
    const generated = await gitIn(ws.sdk, "rev-parse", "main");
    assertNotEquals(generated, initial);
    const entry = `weave_server_sdk @ git+file://${ws.bare}@${generated}`;
    assertStringIncludes(await Deno.readTextFile(ws.pyproject), `"${entry}",`);
    assertNotMatch(await Deno.readTextFile(ws.pyproject), /wrong_package/);
    assertEquals(summaryRow(r.stdout, "generator"), GENERATOR);
    assertStringIncludes(summaryRow(r.stdout, "pushed"), "nothing (--no-auto-merge)");
    // The config file was really read: its port would be used without the flag.
    const fromFile = await all(ws, ["--config", config, "--dry-run", "--json"]);
    assertEquals(fromFile.code, 2, "python_output from the file does not exist");
    assertStringIncludes(fromFile.stderr, join(ws.root, "no-such-clone"));
    assertEquals(JSON.parse(fromFile.stdout).error.stage, "check");
    assertEquals(
      summaryRow(r.stdout, "pyproject"),
      `${ws.pyproject}: ${entry} (written; the commit is not on any remote yet)`,
    );
  });
});

Deno.test("all without required values or a branch fails at once, before starting anything", async () => {
  await withWorkspace(async (ws) => {
    const missing = await all(ws, ["--package-name", "weave_server_sdk", "--json"]);
    assertEquals(missing.code, 2);
    assertEquals(JSON.parse(missing.stdout).ok, false, "--json: one object even then");
    assertMatch(missing.stderr, /missing required value `python_output`/);
    assertStringIncludes(missing.stderr, "--python-output");

    await gitIn(ws.trace, "checkout", "--quiet", "--detach");
    await writeConfig(ws, baseConfig(ws));
    const detached = await all(ws, [], { GITHUB_HEAD_REF: "", GITHUB_REF_NAME: "" });
    assertEquals(detached.code, 2, detached.stderr);
    assertMatch(detached.stderr, /error: check stage failed: .*detached HEAD/);
    assertStringIncludes(detached.stderr, "--trace-branch");
    assertNotMatch(detached.stderr, /\[spec\]/);
  });
});

Deno.test("all --app and --url: the spec stage imports the app or reads a running server, starting none", async () => {
  await withWorkspace(async (ws) => {
    // A server command that cannot start: any run that started it would fail.
    await writeConfig(ws, [...baseConfig(ws), "server_command: no-such-server --port {port}"]);
    const app = ["--app", "weave.trace_server.reference.server:app"];
    const imported = await all(ws, [...app, "--no-auto-merge", "--json"]);
    assertEquals(imported.code, 0, imported.stderr);
    const first = JSON.parse(imported.stdout);
    assertEquals([first.ok, first.spec.written, first.spec.operations], [true, true, 8]);

    // A running server (here: the saved spec served over HTTP) with --url.
    const saved = await Deno.readTextFile(join(ws.trace, "tools/codegen/openapi.json"));
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      () => new Response(saved, { headers: { "content-type": "application/json" } }),
    );
    const url = `http://127.0.0.1:${server.addr.port}/openapi.json`;
    const read = await all(ws, ["--url", url, "--no-auto-merge", "--json"]);
    assertEquals(read.code, 0, read.stderr);
    const second = JSON.parse(read.stdout);
    assertEquals([second.ok, second.spec.written, second.spec_diff.removed], [true, true, []]);
    assertStringIncludes(read.stderr, "no API changes");

    // As for get_openapi_spec: a running server is not told a port.
    const conflict = await all(ws, ["--url", url, "--port", "7000"]);
    assertEquals(conflict.code, 2, conflict.stderr);
    assertMatch(conflict.stderr, /--url.*--port|--port.*--url/);
  });
});
