/**
 * get_openapi_spec end to end: the CLI as a subprocess, real uvicorn + FastAPI, real ports.
 */
import { assert, assertEquals, assertMatch, assertNotMatch } from "../helpers/assert.ts";
import { cliEnv, MAIN, PROJECT_ROOT, PYTHON, runCli } from "../helpers/cli.ts";
import { freeEphemeralPort } from "../../lib/os/ports.ts";
import { readStat } from "../../lib/os/procfs.ts";
import { run } from "../../lib/os/process.ts";

const EXAMPLE = `${PROJECT_ROOT}/examples/trace-repo`;
const FAKE = `${PROJECT_ROOT}/tests/fixtures/fake_server.py`;

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "codegen-spec-" });
}

const APP = "weave.trace_server.reference.server:app";

/** get_openapi_spec on the example repository through `--app` (no server). */
function fromApp(output: string) {
  return runCli(["--repo-root", EXAMPLE, "get_openapi_spec", "--app", APP, "-o", output]);
}

/** get_openapi_spec with a stand-in server command on a free port. */
function withFakeServer(command: string, args: string[]) {
  return runCli([
    "get_openapi_spec",
    "--server-command",
    command,
    "--port",
    String(freeEphemeralPort()),
    ...args,
  ]);
}

function fakeCommand(mode: string, pidDir?: string): string {
  return `${PYTHON} ${FAKE} ${mode} {port}${pidDir ? ` ${pidDir}` : ""}`;
}

/** Running, not a zombie (exited, not yet reaped). */
function isAlive(pid: number): boolean {
  return (readStat(pid)?.state ?? "Z") !== "Z";
}

/** Reads a written spec: the bytes Python's json.dump(spec, f, indent=2) writes for it. */
async function readSpec(path: string) {
  const text = await Deno.readTextFile(path);
  const script = "import json,sys; json.dump(json.load(open(sys.argv[1])), sys.stdout, indent=2)";
  assertEquals(text, (await run(PYTHON, ["-c", script, path])).stdout);
  assert(text.startsWith('{\n  "openapi"') && text.endsWith("\n}"), "indent 2, no final newline");
  return JSON.parse(text);
}

Deno.test("server mode on the example app writes the spec and prints its summary", async () => {
  const dir = await tempDir();
  const port = freeEphemeralPort();
  const out = `${dir}/openapi.json`;
  const r = await runCli([
    "--repo-root",
    EXAMPLE,
    "get_openapi_spec",
    "--port",
    String(port),
    "-o",
    out,
  ]);
  assertEquals(r.code, 0, r.stderr);
  assertMatch(r.stdout, /openapi\.json: OpenAPI 3\.1\.0, 8 paths, 8 operations/);
  const spec = await readSpec(out);
  assert("/calls/stream_query" in spec.paths);
  assertEquals(spec.components.securitySchemes.HTTPBasic, { type: "http", scheme: "basic" });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("default output goes to tools/codegen/openapi.json under the repo root (kebab-case alias)", async () => {
  const repo = await tempDir();
  await Deno.mkdir(`${repo}/tools/codegen`, { recursive: true });
  const r = await runCli([
    "get-openapi-spec",
    "--server-command",
    fakeCommand("ok"),
    "--port",
    String(freeEphemeralPort()),
  ], {
    env: { CODEGEN_REPO_ROOT: repo },
  });
  assertEquals(r.code, 0, r.stderr);
  assertEquals((await readSpec(`${repo}/tools/codegen/openapi.json`)).info.title, "fake");
  assertMatch(r.stdout, /tools\/codegen\/openapi\.json: OpenAPI 3\.1\.0, 2 paths, 3 operations/);
  await Deno.remove(repo, { recursive: true });
});

Deno.test("--app imports the app without a server; --url reads a running one; same spec", async () => {
  const dir = await tempDir();
  const viaApp = await fromApp(`${dir}/app.json`);
  assertEquals(viaApp.code, 0, viaApp.stderr);

  const port = freeEphemeralPort();
  const server = new Deno.Command(`${PROJECT_ROOT}/.venv/bin/uvicorn`, {
    args: ["weave.trace_server.reference.server:app", "--port", String(port)],
    cwd: EXAMPLE,
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    let viaUrl = await runCli([
      "get_openapi_spec",
      "--url",
      `http://127.0.0.1:${port}/openapi.json`,
      "-o",
      `${dir}/url.json`,
    ]);
    for (let i = 0; i < 100 && viaUrl.code !== 0; i++) { // uvicorn may still be starting
      await new Promise((r) => setTimeout(r, 100));
      viaUrl = await runCli([
        "get_openapi_spec",
        "--url",
        `http://127.0.0.1:${port}`,
        "-o",
        `${dir}/url.json`,
      ]);
    }
    assertEquals(viaUrl.code, 0, viaUrl.stderr);
    assert(isAlive(server.pid), "--url never stops the server it reads from");
  } finally {
    server.kill("SIGTERM");
    await server.status;
  }
  assertEquals(
    await Deno.readTextFile(`${dir}/app.json`),
    await Deno.readTextFile(`${dir}/url.json`),
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a server that crashes at import fails at once with its traceback", async () => {
  const dir = await tempDir();
  const started = Date.now();
  const r = await withFakeServer(fakeCommand("crash"), [
    "--startup-timeout",
    "60",
    "-o",
    `${dir}/o.json`,
  ]);
  const elapsed = Date.now() - started;
  assertEquals(r.code, 1);
  assertEquals(r.stdout, "");
  assertMatch(r.stderr, /the server exited before it answered/);
  assertMatch(r.stderr, /Traceback[\s\S]*RuntimeError: boom: the trace server failed to import/);
  // Correctness, not speed: it must not have waited for the 60 s startup timeout.
  assert(elapsed < 50_000, `stopped waiting when the server died (took ${elapsed} ms)`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a server that never becomes ready times out with an actionable message, group killed", async () => {
  const dir = await tempDir();
  const r = await withFakeServer(fakeCommand("never-ready", dir), [
    "--startup-timeout",
    "1.5",
    "-o",
    `${dir}/o.json`,
  ]);
  assertEquals(r.code, 1);
  assertMatch(r.stderr, /did not answer http:\/\/127\.0\.0\.1:\d+\/openapi\.json within 1\.5 s/);
  assertMatch(r.stderr, /--startup-timeout/);
  const pids = (await Deno.readTextFile(`${dir}/pids`)).trim().split("\n").map(Number);
  for (const pid of pids) assert(!isAlive(pid), `PID ${pid} was stopped`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a server that prints megabytes before it is ready does not stall the tool", async () => {
  const dir = await tempDir();
  const r = await withFakeServer(fakeCommand("chatty"), [
    "--startup-timeout",
    "60",
    "-o",
    `${dir}/o.json`,
  ]);
  assertEquals(r.code, 0, r.stderr.slice(0, 2000));
  assertEquals((await readSpec(`${dir}/o.json`)).info.title, "fake");
  assertNotMatch(r.stderr, /xxxxxxxx/, "server output is not shown without --verbose");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a process holding the port is stopped and reported; the run succeeds", async () => {
  const dir = await tempDir();
  const port = freeEphemeralPort();
  const holder = new Deno.Command(PYTHON, {
    args: [
      "-c",
      `import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",${port}))\ns.listen()\nprint("ready",flush=True)\ntime.sleep(3600)`,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = holder.stdout.getReader();
  await reader.read(); // "ready": the port is held
  const r = await runCli([
    "--repo-root",
    EXAMPLE,
    "get_openapi_spec",
    "--port",
    String(port),
    "-o",
    `${dir}/o.json`,
  ]);
  reader.releaseLock();
  // The tool stops the holder before it goes on. Should it not have, stop it here, so that the
  // test fails with the tool's output instead of waiting for the holder's hour of sleep.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopped = await Promise.race([
    holder.status.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 10_000))),
  ]);
  clearTimeout(timer);
  if (!stopped) holder.kill("SIGKILL");
  const status = await holder.status;
  assert(stopped, `the tool did not stop the process holding the port:\n${r.stderr}`);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(status.signal, "SIGTERM", "SIGTERM first");
  assertMatch(
    r.stderr,
    new RegExp(`port ${port} is in use: stopping PID ${holder.pid} \\(.*python.*socket`),
  );
  await holder.stdout.cancel();
  await Deno.remove(dir, { recursive: true });
});

for (
  const [mode, message] of [
    ["not-json", /did not return JSON \(content-type: text\/html\)[\s\S]*<html>not a spec/],
    ["not-openapi", /is not an OpenAPI 3 document: no `openapi` version field[\s\S]*hello/],
    ["status-500", /answered HTTP 500, not the OpenAPI spec[\s\S]*Internal Server Error/],
  ] as const
) {
  Deno.test(`a ${mode} answer is rejected with the status and the first bytes`, async () => {
    const dir = await tempDir();
    await Deno.writeTextFile(`${dir}/o.json`, "previous\n");
    const r = await withFakeServer(fakeCommand(mode), ["-o", `${dir}/o.json`]);
    assertEquals(r.code, 1);
    assertMatch(r.stderr, message);
    assertEquals(await Deno.readTextFile(`${dir}/o.json`), "previous\n", "old spec untouched");
    assertEquals([...Deno.readDirSync(dir)].length, 1, "no temporary file left");
    await Deno.remove(dir, { recursive: true });
  });
}

Deno.test("missing and unusable output directories are clear errors", async () => {
  const dir = await tempDir();
  const missing = await fromApp(`${dir}/nope/o.json`);
  assertEquals(missing.code, 1);
  assertMatch(
    missing.stderr,
    new RegExp(
      `cannot write OpenAPI spec ${dir}/nope/o.json: directory ${dir}/nope does not exist \\(set by -o\\)`,
    ),
  );
  await Deno.writeTextFile(`${dir}/file`, "");
  const notDir = await fromApp(`${dir}/file/o.json`);
  assertEquals(notDir.code, 1);
  assertMatch(notDir.stderr, /is not a directory/);
  const readOnly = await fromApp("/proc/openapi.json");
  assertEquals(readOnly.code, 1);
  assertMatch(readOnly.stderr, /cannot write OpenAPI spec \/proc\/openapi\.json: /);
  await Deno.remove(dir, { recursive: true });
});

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`${signal} to the tool stops the server's whole process group`, async () => {
    const dir = await tempDir();
    const tool = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        MAIN,
        "get_openapi_spec",
        "--server-command",
        fakeCommand("never-ready", dir),
        "--port",
        String(freeEphemeralPort()),
        "-o",
        `${dir}/o.json`,
      ],
      env: cliEnv(),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let pids: number[] = [];
    for (let i = 0; i < 600 && pids.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      pids = await Deno.readTextFile(`${dir}/pids`).then(
        (t) => t.trim().split("\n").map(Number),
        () => [],
      );
    }
    assertEquals(pids.length, 2, "server and its child started");
    tool.kill(signal);
    const output = await tool.output();
    assertEquals(output.code, code);
    assertMatch(new TextDecoder().decode(output.stderr), new RegExp(`interrupted \\(${signal}\\)`));
    for (const pid of pids) assert(!isAlive(pid), `PID ${pid} is gone after ${signal}`);
    await Deno.remove(dir, { recursive: true });
  });
}

Deno.test("--verbose streams the server's output; results stay on stdout", async () => {
  const dir = await tempDir();
  const r = await runCli([
    "--repo-root",
    EXAMPLE,
    "get_openapi_spec",
    "-v",
    "--port",
    String(freeEphemeralPort()),
    "-o",
    `${dir}/o.json`,
  ]);
  assertEquals(r.code, 0, r.stderr);
  assertMatch(r.stderr, /starting server: .*uvicorn weave\.trace_server\.reference\.server:app/);
  assertMatch(r.stderr, /Uvicorn running on http:\/\/127\.0\.0\.1/);
  assertNotMatch(r.stdout, /Uvicorn/);
  assertMatch(r.stdout, /^.*o\.json: OpenAPI 3\.1\.0, 8 paths, 8 operations/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a malformed --url and a missing CODEGEN_REPO_ROOT are usage errors naming their source", async () => {
  const badUrl = await runCli(["get_openapi_spec", "--url", "not a url"]);
  assertEquals(badUrl.code, 2);
  assertMatch(badUrl.stderr, /--url: "not a url" is not an http\(s\) URL/);
  const badRoot = await runCli(["get_openapi_spec", "--app", "x:app"], {
    env: { CODEGEN_REPO_ROOT: "/nonexistent/trace" },
  });
  assertEquals(badRoot.code, 2);
  assertMatch(badRoot.stderr, /CODEGEN_REPO_ROOT: \/nonexistent\/trace does not exist/);
});

Deno.test("the working directory is CODEGEN_CWD (set by `deno task generate`), never a stray INIT_CWD", async () => {
  const cwd = await tempDir();
  const taskCwd = await tempDir();
  const args = [
    "get_openapi_spec",
    "--app",
    "weave.trace_server.reference.server:app",
    "-o",
    "spec.json",
  ];
  const env = { CODEGEN_REPO_ROOT: EXAMPLE };
  const stray = await runCli(args, { cwd, env: { ...env, INIT_CWD: taskCwd } });
  assertEquals(stray.code, 0, stray.stderr);
  assertEquals(JSON.parse(await Deno.readTextFile(`${cwd}/spec.json`)).openapi, "3.1.0");
  const task = await runCli(args, { cwd, env: { ...env, CODEGEN_CWD: taskCwd } });
  assertEquals(task.code, 0, task.stderr);
  assertEquals(JSON.parse(await Deno.readTextFile(`${taskCwd}/spec.json`)).openapi, "3.1.0");
  await Deno.remove(cwd, { recursive: true });
  await Deno.remove(taskCwd, { recursive: true });
});
