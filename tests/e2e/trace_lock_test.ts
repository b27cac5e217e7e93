/**
 * One run at a time per trace repository: while one run holds it (here: a spec stage waiting on a
 * server that never answers), a second run fails at once with --no-wait, waits and gives up after
 * --lock-timeout, or waits (saying for whom) and goes on as soon as the first is gone. Dry runs take
 * no lock.
 */
import { join } from "node:path";
import {
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { cliEnv, MAIN, PROJECT_ROOT, PYTHON, runCli } from "../helpers/cli.ts";
import {
  all,
  baseConfig,
  NO_GIT_CONFIG,
  withWorkspace,
  writeConfig,
} from "../helpers/all_workspace.ts";
import type { Workspace } from "../helpers/workspace.ts";
import { withTempDir } from "../helpers/temp_dir.ts";
import { waitFor } from "../helpers/wait.ts";
import { exists } from "../../lib/core/fs.ts";
import { type ManagedProcess, startProcess } from "../../lib/os/process.ts";

const FAKE_SERVER = `${PROJECT_ROOT}/tests/fixtures/fake_server.py`;

/** A CLI run in the trace repository, in the background (its own process group). */
function spawnCli(ws: Workspace, args: string[]): ManagedProcess {
  return startProcess(Deno.execPath(), ["run", "--allow-all", "--quiet", MAIN, ...args], {
    cwd: ws.trace,
    env: cliEnv({ env: NO_GIT_CONFIG }),
    clearEnv: true,
  });
}

/** Starts a run that holds the trace repository's lock until it is stopped; waits for its server. */
async function startHolder(ws: Workspace, pidDir: string): Promise<ManagedProcess> {
  const holder = spawnCli(ws, [
    "get_openapi_spec",
    "--server-command",
    `${PYTHON} ${FAKE_SERVER} never-ready {port} ${pidDir}`,
    "--port",
    String(ws.port),
    "--startup-timeout",
    "600",
  ]);
  try {
    await waitFor(() => {
      if (holder.done) throw new Error(`the holding run exited:\n${holder.output()}`);
      return exists(join(pidDir, "pids"));
    }, { what: "the holding run to start its server", timeoutMs: 120_000, intervalMs: 50 });
  } catch (error) {
    await holder.stop();
    throw error;
  }
  return holder;
}

Deno.test("a second run on the same trace repository fails at once, gives up, or waits for the first", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    const pyproject = await Deno.readTextFile(ws.pyproject);
    await withTempDir("codegen-pids-", async (pidDir) => {
      const holder = await startHolder(ws, pidDir);
      try {
        const holding = `in use by another codegen run: PID ${holder.pid} on `;
        const noWait = await all(ws, ["--no-wait"]);
        assertEquals(noWait.code, 1, noWait.stderr);
        assertStringIncludes(noWait.stderr, `the trace repository ${ws.trace} is ${holding}`);
        // The hint offers the other way of waiting, not the --no-wait the run was given.
        assertStringIncludes(
          noWait.stderr,
          "hint: Wait for it to finish, then run again (without --no-wait the run waits for it, up to 600 s: lock_timeout).",
        );
        assertNotMatch(noWait.stderr, /--no-wait to fail at once/);

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
        assertStringIncludes(
          gaveUp.stderr,
          "hint: Wait for it to finish, or give it longer (--lock-timeout SECONDS).",
        );

        const dryRun = await all(ws, ["--dry-run", "--no-wait"]);
        assertEquals(dryRun.code, 0, `a dry run takes no lock:\n${dryRun.stderr}`);

        const waiter = spawnCli(ws, ["update_pyproject"]);
        try {
          await waitFor(() => /waiting for the trace repository/.test(waiter.stderr()), {
            what: "the second run to say it waits",
            timeoutMs: 120_000,
            details: () => waiter.output(),
          });
          assertStringIncludes(
            waiter.stderr(),
            `waiting for the trace repository ${ws.trace}: ${holding}`,
          );
          Deno.kill(holder.pid, "SIGTERM"); // the CLI itself: it stops its server and unlocks
          const { code } = await waiter.exited;
          assertEquals(
            code,
            0,
            `the waiting run went on once the first one was gone:\n${waiter.output()}`,
          );
          assertEquals((await holder.exited).code, 143);
        } finally {
          await waiter.stop();
        }
      } finally {
        // Still running only when an assertion failed before the SIGTERM.
        await holder.stop();
      }
    });
    const pinned = await Deno.readTextFile(ws.pyproject);
    assertMatch(pinned, /weave_server_sdk @ git\+file:\/\//, "the waiting run pinned");
    assertEquals(pinned === pyproject, false);
  });
});
