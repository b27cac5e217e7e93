/**
 * Fault matrix, signals: Ctrl-C (SIGINT) or SIGTERM while a child runs (the trace server, a
 * generator, a post_generate hook, a git push whose pre-receive hook is slow) or while a hosted
 * build is polled. The exit code is 130/143 and the error says "interrupted", never the child's
 * failure; each child's process group is gone (the harness watches the groups of the PIDs the child
 * recorded), no lock or temporary file is left, and the clone and pyproject.toml are unchanged.
 * Shared checks: tests/helpers/fault_matrix.ts.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotMatch } from "../helpers/assert.ts";
import { faultMatrix } from "../helpers/fault_matrix.ts";
import {
  FAKE_GENERATOR,
  FAKE_SERVER,
  type FaultCase,
  type Matrix,
  recordAndSleep,
  writeScript,
} from "../helpers/fault_cases.ts";
import type { Outcome } from "../helpers/fault_checks.ts";
import { PYTHON } from "../helpers/cli.ts";

/** The fake generator, slow and recording its PIDs (and its child's) in `pidDir`. */
function slowGenerator(m: Matrix): string {
  return `${PYTHON} ${FAKE_GENERATOR} --spec {oas} --out {out} --package {package} --pid-dir ${m.pidDir} --sleep 600`;
}

/** The case's own checks: the interruption, in the stage it came in, and no failure reported. */
function interrupted(signal: "SIGINT" | "SIGTERM", stages?: string[]) {
  return (_m: Matrix, r: Outcome) => {
    assertNotMatch(r.stderr, /stage failed|failed:/, r.stderr);
    const error = r.json.error as { signal: string; stage?: string };
    assertEquals(error.signal, signal);
    if (stages) assert(stages.includes(error.stage!), `stage ${error.stage} of ${stages}`);
  };
}

function signalCase(
  signal: "SIGINT" | "SIGTERM",
  child: string,
  stages: string[] | undefined,
  setUp: FaultCase["setUp"],
  options: Partial<FaultCase> = {},
): FaultCase {
  return {
    fault: `${signal} during ${child}`,
    stage: "signals",
    code: signal === "SIGINT" ? 130 : 143,
    message: new RegExp(`^error: interrupted \\(${signal}\\)$`, "m"),
    hint:
      /hint: Child processes were stopped and temporary files and locks removed; run the command again to finish\./,
    setUp,
    check: interrupted(signal, stages),
    ...options,
  };
}

faultMatrix([
  signalCase("SIGINT", "the trace server (never ready)", ["check", "spec"], async (m) => {
    await m.config({ server_command: `${PYTHON} ${FAKE_SERVER} never-ready {port} ${m.pidDir}` });
    return { args: ["all"], signal: "SIGINT" };
  }),
  signalCase("SIGINT", "a slow local generator", ["generate"], async (m) => {
    await m.config({ generator_command: slowGenerator(m) });
    return { args: ["all"], signal: "SIGINT" };
  }),
  signalCase("SIGTERM", "a slow local generator", ["generate"], async (m) => {
    await m.config({ generator_command: slowGenerator(m) });
    return { args: ["all"], signal: "SIGTERM" };
  }),
  signalCase("SIGINT", "a slow post_generate hook", ["generate"], async (m) => {
    const hook = await writeScript(
      join(m.ws.root, "bin", "slow-hook.sh"),
      recordAndSleep(m.pidDir),
    );
    await m.config({ post_generate: `["${hook}"]` });
    return { args: ["all"], signal: "SIGINT" };
  }),
  signalCase(
    "SIGTERM",
    "a git push (slow pre-receive hook on the remote)",
    undefined,
    async (m) => {
      await m.config();
      await m.generated();
      await writeScript(join(m.ws.bare, "hooks", "pre-receive"), recordAndSleep(m.pidDir));
      return { args: ["merge_generated_code"], signal: "SIGTERM" };
    },
    // A local remote: the hook runs under the CLI's git push, so it must be stopped with it.
    { remote: "path" },
  ),
  signalCase("SIGINT", "a hosted build's polling", ["generate"], async (m) => {
    const fake = await m.stainless({ neverComplete: true });
    await m.config({ generator: "stainless", generator_command: null, poll_interval: "0.05" });
    const polled = () => fake.requests.some((r) => /^\/v0\/builds\/[^/]+$/.test(r.path));
    return { args: ["all"], signal: "SIGINT", signalWhen: polled };
  }),
]);
