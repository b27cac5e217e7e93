/**
 * One run at a time per trace repository: while one run holds it (here: a spec stage waiting on a
 * server that never answers), a second run fails at once with --no-wait, waits and gives up after
 * --lock-timeout, or waits (saying for whom) and goes on as soon as the first is gone. Dry runs take
 * no lock.
 */
import { join } from "node:path";
import { assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { cliEnv, MAIN, PROJECT_ROOT, PYTHON } from "../helpers/cli.ts";
import {
  all,
  baseConfig,
  NO_GIT_CONFIG,
  withWorkspace,
  writeConfig,
} from "../helpers/all_workspace.ts";
import type { Workspace } from "../helpers/all_workspace.ts";
import { freeEphemeralPort } from "../../lib/os/ports.ts";
import { runCli } from "../helpers/cli.ts";

const FAKE_SERVER = `${PROJECT_ROOT}/tests/fixtures/fake_server.py`;

/** A CLI run in the trace repository, in the background. */
function spawnCli(ws: Workspace, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", MAIN, ...args],
    cwd: ws.trace,
    env: cliEnv({ env: NO_GIT_CONFIG }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Reads a stream until `pattern` matched (or it ended / the deadline passed). */
async function readUntil(stream: ReadableStream<Uint8Array>, pattern: RegExp): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = setTimeout(() => reader.cancel(), 120_000);
  try {
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(deadline);
    reader.releaseLock();
  }
  return text;
}

/** SIGTERM (so that it stops its server), then SIGKILL if it is still there after a while. */
async function stopIfRunning(child: Deno.ChildProcess): Promise<void> {
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    try {
      child.kill(signal);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // it has exited: the usual case
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([child.status, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
  }
}

/** Starts a run that holds the trace repository's lock until it is stopped; waits for its server. */
async function startHolder(ws: Workspace, pidDir: string): Promise<Deno.ChildProcess> {
  const holder = spawnCli(ws, [
    "get_openapi_spec",
    "--server-command",
    `${PYTHON} ${FAKE_SERVER} never-ready {port} ${pidDir}`,
    "--port",
    String(freeEphemeralPort()),
    "--startup-timeout",
    "600",
  ]);
  const deadline = Date.now() + 120_000;
  while (!(await Deno.stat(join(pidDir, "pids")).then(() => true, () => false))) {
    if (Date.now() > deadline) throw new Error("the holding run never started its server");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return holder;
}

Deno.test("a second run on the same trace repository fails at once, gives up, or waits for the first", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    const pidDir = await Deno.makeTempDir({ prefix: "codegen-pids-" });
    const pyproject = await Deno.readTextFile(ws.pyproject);
    const holder = await startHolder(ws, pidDir);
    try {
      const holding = `in use by another codegen run: PID ${holder.pid} on `;
      const noWait = await all(ws, ["--no-wait"]);
      assertEquals(noWait.code, 1, noWait.stderr);
      assertStringIncludes(noWait.stderr, `the trace repository ${ws.trace} is ${holding}`);
      assertMatch(
        noWait.stderr,
        /hint: Wait for it to finish \(--lock-timeout SECONDS to wait longer, --no-wait to fail at once\)/,
      );

      const gaveUp = await runCli(["update_pyproject", "--lock-timeout", "0.3"], {
        cwd: ws.trace,
        env: NO_GIT_CONFIG,
      });
      assertEquals(gaveUp.code, 1, gaveUp.stderr);
      assertMatch(
        gaveUp.stderr,
        /waiting for the trace repository .*: in use by another codegen run: PID \d+/,
      );
      assertMatch(gaveUp.stderr, /is in use by another codegen run \(still, after 0 s\): PID/);

      const dryRun = await all(ws, ["--dry-run", "--no-wait"]);
      assertEquals(dryRun.code, 0, `a dry run takes no lock:\n${dryRun.stderr}`);

      const waiter = spawnCli(ws, ["update_pyproject"]);
      const said = await readUntil(waiter.stderr, /waiting for the trace repository/);
      assertStringIncludes(said, `waiting for the trace repository ${ws.trace}: ${holding}`);
      holder.kill("SIGTERM");
      const { code } = await waiter.status;
      await waiter.stdout.cancel();
      assertEquals(code, 0, "the waiting run went on once the first one was gone");
      assertEquals((await holder.output()).code, 143);
    } finally {
      // Still running only when an assertion failed before the SIGTERM.
      await stopIfRunning(holder);
      await holder.status;
      await Deno.remove(pidDir, { recursive: true });
    }
    const pinned = await Deno.readTextFile(ws.pyproject);
    assertMatch(pinned, /weave_server_sdk @ git\+file:\/\//, "the waiting run pinned");
    assertEquals(pinned === pyproject, false);
  });
});
