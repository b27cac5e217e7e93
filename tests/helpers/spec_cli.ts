/**
 * Shared set-up of the get_openapi_spec end-to-end tests: the example trace repository, stand-in
 * servers (tests/fixtures/fake_server.py) on reserved ports, and a reader that checks the written
 * spec has the bytes Python's json.dump writes.
 */
import { assert, assertEquals } from "./assert.ts";
import { type CliResult, PROJECT_ROOT, PYTHON, runCli } from "./cli.ts";
import { reservePort } from "./ports.ts";
import { EXAMPLE_APP } from "./example_server.ts";
import { EXAMPLE_TRACE_REPO } from "./workspace.ts";
import { run } from "../../lib/os/process.ts";

const FAKE_SERVER = `${PROJECT_ROOT}/tests/fixtures/fake_server.py`;

/** get_openapi_spec on the example repository through `--app` (no server). */
export function fromApp(output: string): Promise<CliResult> {
  return runCli([
    "--repo-root",
    EXAMPLE_TRACE_REPO,
    "get_openapi_spec",
    "--app",
    EXAMPLE_APP,
    "-o",
    output,
  ]);
}

/** The server_command of a stand-in server (fake_server.py MODE {port} [PID_DIR]). */
export function fakeCommand(mode: string, pidDir?: string): string {
  return `${PYTHON} ${FAKE_SERVER} ${mode} {port}${pidDir ? ` ${pidDir}` : ""}`;
}

/** get_openapi_spec with a stand-in server command on a reserved port. */
export async function withFakeServer(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  using reserved = reservePort();
  return await runCli(
    ["get_openapi_spec", "--server-command", command, "--port", String(reserved.port), ...args],
    { env },
  );
}

/** Reads a written spec: the bytes Python's json.dump(spec, f, indent=2) writes for it. */
export async function readSpec(path: string) {
  const text = await Deno.readTextFile(path);
  const script = "import json,sys; json.dump(json.load(open(sys.argv[1])), sys.stdout, indent=2)";
  assertEquals(text, (await run(PYTHON, ["-c", script, path])).stdout);
  assert(text.startsWith('{\n  "openapi"') && text.endsWith("\n}"), "indent 2, no final newline");
  return JSON.parse(text);
}
