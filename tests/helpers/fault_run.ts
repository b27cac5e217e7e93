/**
 * Running the CLI of one fault case (fault_matrix.ts): `--json`, the case's environment with the
 * process marker, a private mount namespace when the case asks for one, and its signal sent once
 * the fixture is up.
 */
import { assert } from "./assert.ts";
import { cliEnv, MAIN } from "./cli.ts";
import { unshareArgs } from "./fs_faults.ts";
import { fixturePids, MARKER_VAR, type Outcome } from "./fault_checks.ts";
import type { Invocation, Matrix } from "./fault_cases.ts";
import { waitFor } from "./wait.ts";
import { isAlive, readStat } from "../../lib/os/procfs.ts";

/** Runs the CLI with `--json`, sending the case's signal once its fixture is up. */
export async function runCli(m: Matrix, invocation: Invocation, marker: string): Promise<Outcome> {
  const main = [Deno.execPath(), "run", "--allow-all", "--quiet", MAIN];
  const argv = [...main, ...invocation.args, "--json"];
  const [cmd, ...args] = invocation.mounts
    ? ["unshare", ...unshareArgs(invocation.mounts, argv)]
    : argv;
  const child = new Deno.Command(cmd, {
    args,
    cwd: invocation.cwd ?? m.ws.trace,
    env: cliEnv({ env: { ...m.env, ...invocation.env, [MARKER_VAR]: marker } }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
  const output = child.output().finally(() => clearTimeout(timer));
  let groups: number[] = [];
  if (invocation.signal) {
    try {
      groups = await signalWhenReady(m, invocation, child);
    } catch (error) {
      child.kill("SIGKILL");
      await output;
      throw error;
    }
  }
  const { code, stdout, stderr } = await output;
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const result = { code, stdout: decode(stdout), stderr: decode(stderr), groups };
  try {
    return { ...result, json: JSON.parse(result.stdout) };
  } catch {
    throw new Error(`stdout is not one JSON object:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/** Sends the case's signal when it is time; the process groups of the fixture's PIDs. */
async function signalWhenReady(m: Matrix, invocation: Invocation, child: Deno.ChildProcess) {
  let groups: number[] = [];
  if (invocation.signalWhen) await waitUntil(invocation.signalWhen, child);
  else {
    const recorded = async () => {
      const pids = await fixturePids(m.pidDir);
      return pids.length > 0 ? pids : undefined;
    };
    const pids: number[] = await waitUntil(recorded, child, "the fixture recorded its PIDs");
    groups = pids.map((pid) => readStat(pid)?.pgrp).filter((g) => g !== undefined);
    assert(groups.length > 0, "the child's process group is known");
  }
  child.kill(invocation.signal!);
  return groups;
}

/** Waits for `condition` while the CLI runs (fails if the CLI exits first). */
function waitUntil<T>(
  condition: () => T | Promise<T>,
  child: Deno.ChildProcess,
  what = "the moment to send the signal",
) {
  let exited = false;
  child.status.then(() => (exited = true));
  return waitFor(() => {
    if (exited) throw new Error(`the CLI exited before ${what}`);
    return condition();
  }, { what, timeoutMs: 120_000, intervalMs: 20 });
}

/** Test hygiene: whatever a fixture recorded is stopped, even when a check failed. */
export async function killRecorded(pidDir: string): Promise<void> {
  for (const pid of await fixturePids(pidDir)) {
    if (isAlive(pid)) Deno.kill(pid, "SIGKILL");
  }
}
