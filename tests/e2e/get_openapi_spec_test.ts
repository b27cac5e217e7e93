/**
 * get_openapi_spec end to end against the real example trace server (uvicorn + FastAPI): started
 * by the CLI on a reserved port, read with --url from a server the test runs, imported with --app.
 * Stand-in servers that misbehave: get_openapi_spec_failures_test.ts; signals:
 * get_openapi_spec_signals_test.ts; output paths and usage: get_openapi_spec_options_test.ts.
 */
import { assert, assertEquals, assertMatch, assertNotMatch } from "../helpers/assert.ts";
import { PYTHON, runCli } from "../helpers/cli.ts";
import { EXAMPLE_APP, startExampleServer } from "../helpers/example_server.ts";
import { reservePort } from "../helpers/ports.ts";
import { fromApp, readSpec } from "../helpers/spec_cli.ts";
import { withTempDir } from "../helpers/temp_dir.ts";
import { waitFor } from "../helpers/wait.ts";
import { EXAMPLE_TRACE_REPO } from "../helpers/workspace.ts";
import { startProcess } from "../../lib/os/process.ts";
import { isAlive } from "../../lib/os/procfs.ts";

Deno.test("server mode on the example app writes the spec and prints its summary", async () => {
  await withTempDir("codegen-spec-", async (dir) => {
    using reserved = reservePort();
    const out = `${dir}/openapi.json`;
    const r = await runCli([
      "--repo-root",
      EXAMPLE_TRACE_REPO,
      "get_openapi_spec",
      "--port",
      String(reserved.port),
      "-o",
      out,
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stdout, /openapi\.json: OpenAPI 3\.1\.0, 8 paths, 8 operations/);
    const spec = await readSpec(out);
    assert("/calls/stream_query" in spec.paths);
    assertEquals(spec.components.securitySchemes.HTTPBasic, { type: "http", scheme: "basic" });
  });
});

Deno.test("--app imports the app without a server; --url reads a running one; same spec", async () => {
  await withTempDir("codegen-spec-", async (dir) => {
    const viaApp = await fromApp(`${dir}/app.json`);
    assertEquals(viaApp.code, 0, viaApp.stderr);
    const server = await startExampleServer();
    try {
      const viaUrl = await runCli([
        "get_openapi_spec",
        "--url",
        server.url,
        "-o",
        `${dir}/url.json`,
      ]);
      assertEquals(viaUrl.code, 0, viaUrl.stderr);
      assert(isAlive(server.process.pid), "--url never stops the server it reads from");
      const full = await runCli([
        "get_openapi_spec",
        "--url",
        `${server.url}/openapi.json`,
        "-o",
        `${dir}/full.json`,
      ]);
      assertEquals(full.code, 0, full.stderr);
    } finally {
      await server.stop();
    }
    const app = await Deno.readTextFile(`${dir}/app.json`);
    assertEquals(await Deno.readTextFile(`${dir}/url.json`), app);
    assertEquals(await Deno.readTextFile(`${dir}/full.json`), app);
  });
});

Deno.test("a process holding the port is stopped and reported; the run succeeds", async () => {
  await withTempDir("codegen-spec-", async (dir) => {
    using reserved = reservePort();
    const port = reserved.port;
    const holder = startProcess(PYTHON, [
      "-c",
      `import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",${port}))\ns.listen()\nprint("ready",flush=True)\ntime.sleep(3600)`,
    ]);
    try {
      await waitFor(() => holder.stdout().includes("ready"), {
        what: "the holder to listen",
        details: () => holder.output(),
      });
      const r = await runCli([
        "--repo-root",
        EXAMPLE_TRACE_REPO,
        "get_openapi_spec",
        "--port",
        String(port),
        "-o",
        `${dir}/o.json`,
      ]);
      // The tool stops the holder before it goes on; should it not have, the test fails with the
      // tool's output instead of waiting for the holder's hour of sleep.
      await waitFor(() => holder.done, {
        what: "the tool to stop the process holding the port",
        timeoutMs: 10_000,
        details: () => r.stderr,
      });
      assertEquals(r.code, 0, r.stderr);
      assertEquals((await holder.exited).signal, "SIGTERM", "SIGTERM first");
      assertMatch(
        r.stderr,
        new RegExp(`port ${port} is in use: stopping PID ${holder.pid} \\(.*python.*socket`),
      );
    } finally {
      await holder.stop();
    }
  });
});

Deno.test("--verbose streams the server's output; results stay on stdout", async () => {
  await withTempDir("codegen-spec-", async (dir) => {
    using reserved = reservePort();
    const r = await runCli([
      "--repo-root",
      EXAMPLE_TRACE_REPO,
      "get_openapi_spec",
      "-v",
      "--port",
      String(reserved.port),
      "-o",
      `${dir}/o.json`,
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(
      r.stderr,
      new RegExp(`starting server: .*uvicorn ${EXAMPLE_APP.replaceAll(".", "\\.")}`),
    );
    assertMatch(r.stderr, /Uvicorn running on http:\/\/127\.0\.0\.1/);
    assertNotMatch(r.stdout, /Uvicorn/);
    assertMatch(r.stdout, /^.*o\.json: OpenAPI 3\.1\.0, 8 paths, 8 operations/);
  });
});
