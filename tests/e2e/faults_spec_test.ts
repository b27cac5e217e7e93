/**
 * Fault matrix, the spec stage: a trace server that cannot start, crashes, never answers or
 * answers something that is not a spec; a port held by a foreign process; a breaking API change
 * with --fail-on-breaking; a spec URL with credentials in it. Shared checks:
 * tests/helpers/fault_matrix.ts.
 */
import { join } from "node:path";
import { assert, assertMatch } from "../helpers/assert.ts";
import { faultMatrix } from "../helpers/fault_matrix.ts";
import { CANARY, FAKE_SERVER, type Matrix } from "../helpers/fault_cases.ts";
import { PYTHON } from "../helpers/cli.ts";
import { commitFiles } from "../helpers/git_fixtures.ts";
import { waitFor } from "../helpers/wait.ts";
import { isAlive } from "../../lib/os/procfs.ts";
import { type ManagedProcess, startProcess } from "../../lib/os/process.ts";

/** The config with the fake server in `mode` (tests/fixtures/fake_server.py). */
function fakeServer(m: Matrix, mode: string, extra: Record<string, string> = {}) {
  return m.config({
    server_command: `${PYTHON} ${FAKE_SERVER} ${mode} {port} ${m.pidDir}`,
    ...extra,
  });
}

let holder: ManagedProcess | undefined;

faultMatrix([
  {
    fault: "server command not found",
    stage: "spec",
    code: 1,
    message:
      /spec stage failed: cannot start the server: `no-such-trace-server` not found in \S+\/weave\/\.venv\/bin or on PATH/,
    hint:
      /hint: Install it in the trace repository's \.venv, put its folder on PATH .*, set CODEGEN_PYTHON .*, or set server_command/,
    async setUp(m) {
      await m.config({ server_command: "no-such-trace-server --port {port}" });
      return { args: ["all"] };
    },
  },
  {
    fault: "server crashes at start",
    stage: "spec",
    code: 1,
    message:
      /spec stage failed: the server exited before it answered: `\S+python \S+fake_server\.py crash/,
    hint:
      /hint: Fix the error in its output, shown with this error \(--json: error\.details; run it by hand to investigate\), or set server_command/,
    async setUp(m) {
      await fakeServer(m, "crash");
      return { args: ["all"] };
    },
    check(_m, r) {
      assertMatch(
        r.stderr,
        /Traceback[\s\S]*RuntimeError: boom: the trace server failed to import/,
      );
    },
  },
  {
    fault: "server never ready (startup timeout)",
    stage: "spec",
    code: 1,
    message:
      /spec stage failed: the server did not answer http:\/\/127\.0\.0\.1:\d+\/openapi\.json within 1 s/,
    hint:
      /hint: Check that the server command starts the app on that port, or raise --startup-timeout/,
    async setUp(m) {
      await fakeServer(m, "never-ready", { startup_timeout: "1" });
      return { args: ["all"] };
    },
  },
  {
    fault: "server answers an HTML page",
    stage: "spec",
    code: 1,
    message:
      /http:\/\/127\.0\.0\.1:\d+\/openapi\.json did not return JSON \(content-type: text\/html\)/,
    hint: /hint: The URL must serve the OpenAPI document as JSON/,
    async setUp(m) {
      await fakeServer(m, "not-json");
      return { args: ["all"] };
    },
    check(_m, r) {
      assertMatch(r.stderr, /<html>not a spec/);
    },
  },
  {
    fault: "server answers 500",
    stage: "spec",
    code: 1,
    message: /http:\/\/127\.0\.0\.1:\d+\/openapi\.json answered HTTP 500, not the OpenAPI spec/,
    hint: /hint: Check the server command \(or --url\): it must serve the FastAPI app/,
    async setUp(m) {
      await fakeServer(m, "status-500");
      return { args: ["all"] };
    },
  },
  {
    fault: "server answers JSON that is not OpenAPI",
    stage: "spec",
    code: 1,
    message: /openapi\.json is not an OpenAPI 3 document: no `openapi` version field/,
    hint: /hint: Make sure it is the server's \/openapi\.json/,
    async setUp(m) {
      await fakeServer(m, "not-openapi");
      return { args: ["all"] };
    },
  },
  {
    fault: "port held by a foreign process, kill_port never",
    stage: "spec",
    code: 1,
    message: /port \d+ is in use by PID \d+ \(.*python -c import socket.*\); kill_port is never/,
    hint: /hint: Pass --port \d+ \(config `port`\) to use a free port/,
    async setUp(m) {
      await m.config({ kill_port: "never" });
      holder = startProcess(PYTHON, [
        "-c",
        `import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",${m.ws.port}))\ns.listen()\nprint("ready",flush=True)\ntime.sleep(3600)`,
      ]);
      const listener = holder;
      await waitFor(() => {
        if (listener.done) throw new Error(`the listener exited:\n${listener.output()}`);
        return listener.stdout().includes("ready");
      }, { what: "the foreign listener to hold the port", timeoutMs: 60_000, intervalMs: 20 });
      return { args: ["all"], release: () => listener.stop(0) };
    },
    check() {
      assert(holder && isAlive(holder.pid), "the foreign process was left alone");
    },
  },
  {
    fault: "a breaking API change with --fail-on-breaking",
    stage: "spec",
    code: 1,
    message:
      /generate stage failed: breaking API changes from HEAD:tools\/codegen\/openapi\.json to \S+openapi\.json: 1 operation removed/,
    hint:
      /hint: The new spec was written to \S+; nothing else was done\. Review the breaking changes listed above \(`codegen diff HEAD:tools\/codegen\/openapi\.json \S+` shows them again\), then run again without --fail-on-breaking to accept them\./,
    async setUp(m) {
      await m.config();
      const spec = {
        openapi: "3.1.0",
        info: { title: "fake", version: "1" },
        paths: { "/a": { get: {}, post: {} }, "/b": { get: {} }, "/c": { delete: {} } },
      };
      await commitFiles(m.ws.trace, {
        message: "Spec with /c",
        files: { "tools/codegen/openapi.json": JSON.stringify(spec, null, 2) },
      });
      return { args: ["all", "--fail-on-breaking"] };
    },
  },
  {
    fault: "spec URL with credentials, nothing listening",
    stage: "secrets",
    code: 1,
    message:
      /cannot fetch http:\/\/\*\*\*@127\.0\.0\.1:\d+\/openapi\.json: client error \(Connect\): .*Connection refused/,
    hint: /hint: Is the server running and listening there\?/,
    setUp(m) {
      // Nothing listens on the workspace's reserved port (the CLI starts no server with --url).
      const url =
        `http://${CANARY.urlUser}:${CANARY.urlPassword}@127.0.0.1:${m.ws.port}/openapi.json`;
      return Promise.resolve({
        args: ["get_openapi_spec", "--url", url, "-o", join(m.ws.trace, "spec.json")],
      });
    },
  },
]);
