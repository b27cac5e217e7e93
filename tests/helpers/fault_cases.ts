/**
 * What the fault matrix's tables are written in (tests/e2e/faults_*_test.ts): the cases, the
 * environment a case's set-up gets (Matrix), the canary secrets and the fixtures' programs. The
 * harness that runs them is fault_matrix.ts.
 */
import { join } from "node:path";
import { PROJECT_ROOT } from "./cli.ts";
import type { Workspace } from "./workspace.ts";
import type { FakeFaults, FakeStainless } from "./fake_stainless.ts";
import type { FakeGitHub } from "./fake_github.ts";
import type { MountFault } from "./fs_faults.ts";
import type { Expected, Outcome } from "./fault_checks.ts";

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
