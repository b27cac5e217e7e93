/**
 * The fault matrix: one harness for table-driven end-to-end tests that each inject one real fault
 * (a server that crashes, a push a hook rejects, an API that answers 403, a signal...), run the CLI
 * as a subprocess, and then check the same things for every case:
 *
 * - the exit code, the error message and its hint (regexes: they name the file/flag/key and say
 *   what to do), and the `--json` object (`ok: false`, the kind that goes with the exit code);
 * - no process left behind: every process the CLI started carries a marker in its environment
 *   (inherited by its children and theirs), and none of them may still run after the CLI exited;
 *   nor may any PID a fixture recorded in `pidDir`, nor any process group seen there;
 * - no temporary file left: the CLI has a TMPDIR of its own, empty afterwards, and no `.tmp-` or
 *   `.lock` file is left anywhere in the workspace (trace repository, SDK clone, remote);
 * - the SDK clone byte-identical (refs, HEAD, index, `.git/config`, every other file of `.git` but
 *   the object store, and the work tree) and `pyproject.toml` byte-identical;
 * - canary secrets (STAINLESS_API_KEY, GITHUB_TOKEN, the password in the SDK remote's URL, and
 *   their Basic-auth forms) in no output, no file written under the workspace or TMPDIR, and no
 *   git object of the trace repository, the SDK clone or its remote.
 *
 * The SDK clone's `origin` is, by default, `https://codegen-ci:<canary>@127.0.0.1:PORT/...`:
 * smart HTTPS served by tests/helpers/git_http.ts, which demands that password. The object store
 * is left out of the clone comparison: objects are content-addressed and unreachable ones change
 * nothing a user sees (a refused push may leave the commit it built there).
 */
import { join } from "node:path";
import { assert, assertEquals } from "./assert.ts";
import { cliEnv, MAIN, PROJECT_ROOT, PYTHON } from "./cli.ts";
import { createWorkspace, type Workspace } from "./workspace.ts";
import { NO_GIT_CONFIG } from "./all_workspace.ts";
import { gitIn } from "./git_fixtures.ts";
import { HAS_OPENSSL, makeTestCertificate, startGitHttpServer } from "./git_http.ts";
import { type FakeFaults, type FakeStainless, startFakeStainless } from "./fake_stainless.ts";
import { type FakeGitHub, startFakeGitHub } from "./fake_github.ts";
import { waitFor } from "./wait.ts";
import { type MountFault, unshareArgs } from "./fs_faults.ts";
import {
  assertTracksOrigin,
  checkOutcome,
  checkSecrets,
  cloneState,
  type Expected,
  filesWithSecrets,
  fixturePids,
  MARKER_VAR,
  type Outcome,
  strayFiles,
} from "./fault_checks.ts";
import { removeIfExists } from "../../lib/core/fs.ts";
import { isAlive, readStat } from "../../lib/os/procfs.ts";

export const FAKE_GENERATOR = `${PROJECT_ROOT}/tests/fixtures/fake_generator.py`;
export const FAKE_SERVER = `${PROJECT_ROOT}/tests/fixtures/fake_server.py`;

/** Secrets that must never leak; their values are unique enough to grep for. */
export const CANARY = {
  stainlessKey: "stl_canaryKey_5f1c9a7e3b2d",
  githubToken: "ghp_canaryGitHubToken_8d2e6f4a1c",
  urlUser: "codegen-ci",
  urlPassword: "canary-pass-3e7a91c5",
};

/** Where in the pipeline a fault is injected (the matrix covers each). */
export type Stage =
  | "config"
  | "paths"
  | "spec"
  | "generate"
  | "hosted"
  | "git"
  | "pin"
  | "github"
  | "signals"
  | "filesystem"
  | "secrets";

/** How a case runs the CLI. */
export interface Invocation {
  /** Arguments after the program: the subcommand and its flags (`--json` is added). */
  args: string[];
  env?: Record<string, string>;
  /** The working directory (default: the trace repository). */
  cwd?: string;
  /**
   * Sends this signal once a fixture has recorded its PIDs in `pidDir/pids` (the process groups
   * of those PIDs must be gone afterwards), or once `signalWhen` holds.
   */
  signal?: "SIGINT" | "SIGTERM";
  signalWhen?: () => boolean;
  /** Real file-system faults that hold for the CLI only (a private mount namespace: fs_faults.ts). */
  mounts?: MountFault[];
  /**
   * Undoes what the test holds for the fault (a lock, an immutable file); runs after the clone
   * and secret checks, before the scan for left-over lock files, and also when a check fails.
   */
  release?: () => Promise<void>;
}

/** One fault: `code`, `message` (matches stderr) and `hint` (matches its `hint:` line) expected. */
export interface FaultCase extends Expected {
  /** The fault, as the test name says it. */
  fault: string;
  stage: Stage;
  /**
   * The run fetched origin before it failed: the clone's remote-tracking refs `refs/remotes/origin/*`
   * (and their reflogs) may have moved, each to exactly the tip of that branch on origin (checked).
   * Everything else of the clone stays byte-identical.
   */
  fetchesOrigin?: boolean;
  /** The SDK clone's origin: HTTPS with credentials in its URL (default), or a local path. */
  remote?: "https" | "path";
  /** Injects the fault (and writes the config); says how to run the CLI. */
  setUp(m: Matrix): Promise<Invocation>;
  /** Checks of its own, after the shared ones. */
  check?(m: Matrix, result: Outcome): Promise<void> | void;
  ignore?: boolean;
}

/** The environment of one case: workspace, the CLI's TMPDIR, fakes, canaries. */
export interface Matrix {
  ws: Workspace;
  /** The CLI's TMPDIR (must be empty after the run). */
  tmp: string;
  /** Fixtures that start processes record their PIDs in `pidDir/pids`. */
  pidDir: string;
  /** The SDK clone's origin URL (with the canary credentials when the remote is https). */
  remoteUrl: string;
  /** The environment every run gets (canaries, TMPDIR, no git config; the marker is added). */
  env: Record<string, string>;
  /** Writes the config file: the defaults with `changes` (a key set to null is left out). */
  config(changes?: Record<string, string | null>): Promise<string>;
  /** The fake Stainless API (canary key), its URL in STAINLESS_BASE_URL; stopped at the end. */
  stainless(faults?: FakeFaults): Promise<FakeStainless>;
  /** The fake GitHub API (canary token) with the SDK repository, in GITHUB_API_URL. */
  github(): FakeGitHub;
  /** Commits generated-looking code on the SDK clone's `main` (as generate_code would). */
  generated(): Promise<string>;
}

export const SDK_REPO = "wandb/weave-server-sdk";

/** The default config: a fast fake server and generator, so each case takes a second or two. */
function defaultConfig(ws: Workspace): Record<string, string> {
  return {
    python_output: ws.sdk,
    package_name: "weave_server_sdk",
    generator: "command",
    generator_command: `${PYTHON} ${FAKE_GENERATOR} --spec {oas} --out {out} --package {package}`,
    server_command: `${PYTHON} ${FAKE_SERVER} ok {port}`,
    port: String(ws.port),
    github_repo: SDK_REPO,
  };
}

/** Every canary string, with the Basic-auth forms git would send. */
function canaries(extra: string[]): string[] {
  return [
    CANARY.stainlessKey,
    CANARY.githubToken,
    CANARY.urlPassword,
    btoa(`x-access-token:${CANARY.githubToken}`),
    btoa(`${CANARY.urlUser}:${CANARY.urlPassword}`),
    ...extra,
  ];
}

/** The test file's table: one Deno test per case. */
export function faultMatrix(cases: FaultCase[]): void {
  for (const c of cases) {
    Deno.test({
      name: `[${c.stage}] ${c.fault}: exit ${c.code}, nothing left behind, nothing leaked`,
      ignore: c.ignore,
      fn: () => runCase(c),
    });
  }
}

/** What a case's set-up started and the case's end stops, newest first. */
type Closers = Array<() => Promise<void>>;

async function runCase(c: FaultCase): Promise<void> {
  const ws = await createWorkspace();
  const closers: Closers = [];
  const secrets: string[] = [];
  try {
    const m = await prepare(c, ws, closers, secrets);
    const invocation = await c.setUp(m);
    try {
      await runAndCheck(c, m, invocation, canaries(secrets));
    } finally {
      await invocation.release?.();
    }
  } finally {
    for (const close of closers.reverse()) await close();
    await ws.dispose();
  }
}

/** The run and every shared check, in order (see the module comment). */
async function runAndCheck(
  c: FaultCase,
  m: Matrix,
  invocation: Invocation,
  secrets: string[],
): Promise<void> {
  const { ws, tmp } = m;
  const exceptOrigin = c.fetchesOrigin ?? false;
  const before = {
    clone: await cloneState(ws.sdk, exceptOrigin),
    pyproject: await Deno.readFile(ws.pyproject),
    withSecrets: await filesWithSecrets([ws.root, tmp], secrets),
  };
  const marker = crypto.randomUUID();
  const outcome = await runCli(m, invocation, marker);
  if (Deno.env.get("FAULT_MATRIX_SHOW")) {
    // deno-lint-ignore no-console -- on request: what each case printed (to write its regexes)
    console.error(`--- ${c.fault}: exit ${outcome.code}\n${outcome.stderr}`);
  }
  const at = { ws, tmp, pidDir: m.pidDir, marker };
  await checkOutcome(c, at, outcome);
  const clone = await cloneState(ws.sdk, exceptOrigin);
  assertEquals(clone, before.clone, "the SDK clone is byte-identical");
  if (exceptOrigin) await assertTracksOrigin(ws);
  const pyproject = await Deno.readFile(ws.pyproject);
  assertEquals(pyproject, before.pyproject, "pyproject.toml is byte-identical");
  await checkSecrets(at, outcome, secrets, before.withSecrets);
  await c.check?.(m, outcome);
  await invocation.release?.();
  assertEquals(await strayFiles(ws.root), [], "no temporary or lock file left in the workspace");
}

/** The case's TMPDIR, PID directory, environment, SDK remote and the Matrix's helpers. */
async function prepare(
  c: FaultCase,
  ws: Workspace,
  closers: Closers,
  secrets: string[],
): Promise<Matrix> {
  const tmp = join(ws.root, "..", `${ws.root.split("/").pop()}-tmp`);
  await Deno.mkdir(tmp);
  closers.push(() => removeIfExists(tmp));
  const pidDir = join(ws.root, "pids");
  await Deno.mkdir(pidDir);
  closers.push(() => killRecorded(pidDir));
  const env: Record<string, string> = {
    ...NO_GIT_CONFIG,
    TMPDIR: tmp,
    STAINLESS_API_KEY: CANARY.stainlessKey,
    GITHUB_TOKEN: CANARY.githubToken,
    GH_TOKEN: "",
    // Nothing reaches a real service: a fake replaces these when a case starts one.
    STAINLESS_BASE_URL: "http://127.0.0.1:9",
    GITHUB_API_URL: "http://127.0.0.1:9",
    GITHUB_HEAD_REF: "",
    GITHUB_REF_NAME: "",
    CI: "1",
  };
  const remoteUrl = (c.remote ?? "https") === "https"
    ? await httpsRemote(ws, env, closers)
    : ws.bare;
  return {
    ws,
    tmp,
    pidDir,
    remoteUrl,
    env,
    config: (changes = {}) => writeConfig(ws, changes),
    async stainless(faults = {}) {
      const fake = await startFakeStainless(faults, CANARY.stainlessKey);
      closers.push(() => fake.close());
      secrets.push(fake.gitToken);
      env.STAINLESS_BASE_URL = fake.url;
      return fake;
    },
    github() {
      const fake = startFakeGitHub({ token: CANARY.githubToken });
      fake.addRepo(SDK_REPO);
      closers.push(() => fake.close());
      env.GITHUB_API_URL = fake.url;
      return fake;
    },
    generated: () => commitGenerated(ws.sdk),
  };
}

/** One certificate per test file (openssl takes a while): its PEM texts. */
let certificate: Promise<{ cert: string; key: string }> | undefined;
function testCertificate(): Promise<{ cert: string; key: string }> {
  certificate ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "codegen-cert-" });
    try {
      const { cert, key } = await makeTestCertificate(dir);
      return { cert, key };
    } finally {
      await removeIfExists(dir);
    }
  })();
  return certificate;
}

/**
 * Serves the workspace's bare repository over HTTPS (plain HTTP without openssl), demanding the
 * canary password, and makes it the SDK clone's origin with the credentials in its URL.
 */
async function httpsRemote(
  ws: Workspace,
  env: Record<string, string>,
  closers: Closers,
): Promise<string> {
  const tls = HAS_OPENSSL ? await testCertificate() : undefined;
  const certFile = join(ws.root, "cert.pem");
  if (tls) {
    await Deno.writeTextFile(certFile, tls.cert);
    env.GIT_SSL_CAINFO = certFile;
  }
  const remotes = join(ws.root, "remotes");
  const server = startGitHttpServer(remotes, CANARY.urlPassword, tls && { ...tls, certFile });
  closers.push(() => server.stop());
  const url = server.url("weave-server-sdk.git")
    .replace("://", `://${CANARY.urlUser}:${CANARY.urlPassword}@`);
  await gitIn(ws.sdk, "remote", "set-url", "origin", url);
  return url;
}

async function writeConfig(ws: Workspace, changes: Record<string, string | null>) {
  const values: Record<string, string | null> = { ...defaultConfig(ws), ...changes };
  const lines = Object.entries(values).filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${v}`);
  const path = join(ws.trace, "tools/codegen/generate_config.yaml");
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return path;
}

/** Generated-looking code committed on the clone's `main`; its sha. */
async function commitGenerated(sdk: string): Promise<string> {
  const files = {
    "weave_server_sdk/__init__.py": "PATHS = ['/a', '/b']\n",
    "pyproject.toml": '[project]\nname = "weave_server_sdk"\nversion = "0.0.1"\n',
  };
  for (const [path, content] of Object.entries(files)) {
    await Deno.mkdir(join(sdk, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(sdk, path), content);
  }
  await gitIn(sdk, "add", "--all");
  await gitIn(sdk, "commit", "--quiet", "-m", "Generated code");
  await gitIn(sdk, "status", "--porcelain"); // settle the index's stat data now
  return await gitIn(sdk, "rev-parse", "HEAD");
}

/** Runs the CLI with `--json`, sending the case's signal once its fixture is up. */
async function runCli(m: Matrix, invocation: Invocation, marker: string): Promise<Outcome> {
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
async function killRecorded(pidDir: string): Promise<void> {
  for (const pid of await fixturePids(pidDir)) {
    if (isAlive(pid)) Deno.kill(pid, "SIGKILL");
  }
}

/** An executable shell script (a hook, a slow command). */
export async function writeScript(path: string, body: string): Promise<string> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}\n`);
  await Deno.chmod(path, 0o755);
  return path;
}

/** A script body that records its PID in `pidDir/pids`, then sleeps (to be interrupted). */
export function recordAndSleep(pidDir: string): string {
  return `echo $$ > ${pidDir}/pids.tmp && mv ${pidDir}/pids.tmp ${pidDir}/pids\nexec sleep 600`;
}
