/**
 * Ctrl-C and SIGTERM while a child runs (the trace server, a generator, a post_generate hook, a
 * git push): the exit code
 * is 130/143 and the message says "interrupted" (never the child's failure), every child's process
 * group is gone, no lock file and no temporary directory is left, pyproject.toml is unchanged.
 *
 * Table-driven: each case says how to make one child slow and how to find its PIDs; the checks
 * are the same for all (fault-matrix cases).
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertNotMatch } from "../helpers/assert.ts";
import { cliEnv, MAIN, PROJECT_ROOT, PYTHON } from "../helpers/cli.ts";
import { baseConfig, NO_GIT_CONFIG, withWorkspace, writeConfig } from "../helpers/all_workspace.ts";
import type { Workspace } from "../helpers/workspace.ts";
import { withTempDir } from "../helpers/temp_dir.ts";
import { waitFor } from "../helpers/wait.ts";
import { liveGroupMembers, readStat } from "../../lib/os/procfs.ts";

const FAKE_GENERATOR = `${PROJECT_ROOT}/tests/fixtures/fake_generator.py`;
const FAKE_SERVER = `${PROJECT_ROOT}/tests/fixtures/fake_server.py`;

/** A fast local generator, optionally slow and recording its PIDs in `pidDir`. */
function generatorConfig(pidDir?: string): string[] {
  const slow = pidDir ? ` --pid-dir ${pidDir} --sleep 600` : "";
  return [
    "generator: command",
    `generator_command: ${PYTHON} ${FAKE_GENERATOR} --spec {oas} --out {out} --package {package}${slow}`,
  ];
}

interface Case {
  name: string;
  signal: "SIGINT" | "SIGTERM";
  /**
   * The child that is running when the signal comes, and the stages of `all` it may run in (the
   * trace server starts during the check stage when the port is free, and serves the spec stage).
   */
  child: string;
  stages: string[];
  /** Config lines that make that child slow and record its PIDs in `pidDir`/pids. */
  setUp(ws: Workspace, pidDir: string): Promise<string[]>;
}

const CASES: Case[] = [
  {
    name: "the trace server never answers",
    signal: "SIGINT",
    child: "server",
    stages: ["check", "spec"],
    setUp: (_ws, pidDir) =>
      Promise.resolve([
        `server_command: ${PYTHON} ${FAKE_SERVER} never-ready {port} ${pidDir}`,
        ...generatorConfig(),
      ]),
  },
  {
    name: "a slow local generator",
    signal: "SIGINT",
    child: "generator",
    stages: ["generate"],
    setUp: (_ws, pidDir) => Promise.resolve(generatorConfig(pidDir)),
  },
  {
    name: "a slow local generator",
    signal: "SIGTERM",
    child: "generator",
    stages: ["generate"],
    setUp: (_ws, pidDir) => Promise.resolve(generatorConfig(pidDir)),
  },
  {
    name: "a slow post_generate hook",
    signal: "SIGINT",
    child: "post_generate hook",
    stages: ["generate"],
    async setUp(_ws, pidDir) {
      const hook = join(pidDir, "slow-hook.sh");
      await writeSlowScript(hook, pidDir);
      return [...generatorConfig(), `post_generate: ["${hook}"]`];
    },
  },
  {
    name: "a slow git push (pre-receive hook on the remote)",
    signal: "SIGTERM",
    child: "git push",
    stages: ["merge"],
    async setUp(ws, pidDir) {
      await writeSlowScript(join(ws.bare, "hooks", "pre-receive"), pidDir);
      return generatorConfig();
    },
  },
];

/** An executable script that records its PID in `pidDir`/pids, then sleeps. */
async function writeSlowScript(path: string, pidDir: string): Promise<void> {
  await Deno.writeTextFile(
    path,
    `#!/bin/sh\necho $$ > ${pidDir}/pids.tmp && mv ${pidDir}/pids.tmp ${pidDir}/pids\nexec sleep 600\n`,
  );
  await Deno.chmod(path, 0o755);
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "";
    throw error;
  }
}

async function waitForPids(dir: string, child: Deno.ChildProcess): Promise<number[]> {
  let exited = false;
  child.status.then(() => (exited = true));
  const text = await waitFor(async () => {
    if (exited) throw new Error("the CLI exited before the child started");
    return (await readIfExists(join(dir, "pids"))).trim();
  }, { what: "the child to record its PIDs", timeoutMs: 120_000, intervalMs: 50 });
  return text.split("\n").map(Number);
}

/** Lock files anywhere under a git directory. */
async function lockFiles(gitDir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(gitDir)) {
    const path = join(gitDir, entry.name);
    if (entry.isDirectory) found.push(...await lockFiles(path));
    else if (entry.name.endsWith(".lock")) found.push(path);
  }
  return found;
}

for (const c of CASES) {
  Deno.test(`${c.signal} during ${c.child} (${c.name}): exit ${c.signal === "SIGINT" ? 130 : 143}, cleaned up`, async () => {
    await withWorkspace(async (ws) => {
      await withTempDir("codegen-pids-", (pidDir) =>
        withTempDir("codegen-tmp-", async (tmp) => {
          await writeConfig(ws, [
            ...baseConfig(ws).filter((l) => !/^generator/.test(l)),
            ...await c.setUp(ws, pidDir),
          ]);
          const pyproject = await Deno.readTextFile(ws.pyproject);
          const cli = new Deno.Command(Deno.execPath(), {
            args: ["run", "--allow-all", "--quiet", MAIN, "all", "--json"],
            cwd: ws.trace,
            env: cliEnv({ env: { ...NO_GIT_CONFIG, TMPDIR: tmp } }),
            clearEnv: true,
            stdin: "null",
            stdout: "piped",
            stderr: "piped",
          }).spawn();
          const output = cli.output();
          const pids = await waitForPids(pidDir, cli);
          const groups = pids.map((pid) => readStat(pid)?.pgrp).filter((g) => g !== undefined);
          assert(groups.length > 0, "the child's process group is known");
          cli.kill(c.signal);
          const { code, stdout, stderr } = await output;
          const err = new TextDecoder().decode(stderr);

          assertEquals(code, c.signal === "SIGINT" ? 130 : 143, err);
          assertMatch(err, new RegExp(`error: interrupted \\(${c.signal}\\)`));
          assertNotMatch(err, /stage failed|failed:|unexpected error|bug in codegen/, err);
          const json = JSON.parse(new TextDecoder().decode(stdout));
          assertEquals([json.ok, json.error.kind, json.error.signal], [
            false,
            "interrupted",
            c.signal,
          ]);
          assert(c.stages.includes(json.error.stage), `stage ${json.error.stage} of ${c.stages}`);
          for (const group of groups) {
            assertEquals(liveGroupMembers(group!), [], `nothing left of process group ${group}`);
          }
          assertEquals(await lockFiles(join(ws.sdk, ".git")), [], "no lock left in the SDK clone");
          assertEquals(
            await lockFiles(join(ws.trace, ".git")),
            [],
            "no lock left in the trace repo",
          );
          assertEquals([...Deno.readDirSync(tmp)], [], "no temporary file or directory left");
          assertEquals(
            await Deno.readTextFile(ws.pyproject),
            pyproject,
            "pyproject.toml unchanged",
          );
        }));
    });
  });
}
