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
import { assertEquals } from "./assert.ts";
import { PYTHON } from "./cli.ts";
import { createWorkspace, type Workspace } from "./workspace.ts";
import { NO_GIT_CONFIG } from "./all_workspace.ts";
import { gitIn } from "./git_fixtures.ts";
import { HAS_OPENSSL, makeTestCertificate, startGitHttpServer } from "./git_http.ts";
import { startFakeStainless } from "./fake_stainless.ts";
import { startFakeGitHub } from "./fake_github.ts";
import {
  assertTracksOrigin,
  checkOutcome,
  checkSecrets,
  cloneState,
  filesWithSecrets,
  strayFiles,
} from "./fault_checks.ts";
import {
  CANARY,
  FAKE_GENERATOR,
  FAKE_SERVER,
  type FaultCase,
  type Invocation,
  type Matrix,
  SDK_REPO,
} from "./fault_cases.ts";
import { killRecorded, runCli } from "./fault_run.ts";
import { removeIfExists } from "../../lib/core/fs.ts";

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
