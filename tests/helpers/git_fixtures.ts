/**
 * Real git fixtures: hermetic git commands and commits (`gitIn`, `commitFiles`); bare repositories
 * served by `git daemon` (receive-pack enabled) on a reserved loopback port, an SDK clone with
 * generated code on `main`, and a trace repository, all in one temporary directory that
 * `dispose()` removes (daemon stopped first).
 */
import { join } from "node:path";
import { type ManagedProcess, run, startProcess } from "../../lib/os/process.ts";
import { reservePort } from "./ports.ts";
import { waitFor } from "./wait.ts";

/** Hermetic git: fixed identity, no user or system config, no prompts; same result everywhere. */
export const GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: "Demo Author",
  GIT_AUTHOR_EMAIL: "demo@example.com",
  GIT_COMMITTER_NAME: "Demo Author",
  GIT_COMMITTER_EMAIL: "demo@example.com",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_TERMINAL_PROMPT: "0",
};

export async function gitIn(dir: string, ...args: string[]): Promise<string> {
  return (await run("git", args, { cwd: dir, env: GIT_ENV, what: `git ${args[0]}` })).stdout.trim();
}

/** Writes files (path → content; null deletes) under `dir`. */
export async function writeFiles(dir: string, files: Record<string, string | null>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    if (content === null) {
      await Deno.remove(full);
      continue;
    }
    await Deno.mkdir(join(full, ".."), { recursive: true });
    await Deno.writeTextFile(full, content);
  }
}

export interface CommitSpec {
  message: string;
  /** Files to write first (path → content; null deletes); the whole worktree is committed. */
  files?: Record<string, string | null>;
  /** Commit even when nothing changed. */
  allowEmpty?: boolean;
}

/** Writes `files` in the repository `dir`, commits everything (hermetic identity); the new sha. */
export async function commitFiles(dir: string, commit: CommitSpec): Promise<string> {
  await writeFiles(dir, commit.files ?? {});
  await gitIn(dir, "add", "--all");
  const allowEmpty = commit.allowEmpty ? ["--allow-empty"] : [];
  await gitIn(dir, "commit", "--quiet", ...allowEmpty, "-m", commit.message);
  return await gitIn(dir, "rev-parse", "HEAD");
}

export interface GitDaemon {
  port: number;
  url(name: string): string;
  stop(): Promise<void>;
}

/** Serves every repository under `base` over git:// on 127.0.0.1, pushes allowed. */
export async function startGitDaemon(base: string): Promise<GitDaemon> {
  // git daemon cannot pick a port itself (--port=0 means its default, 9418): it gets a reserved
  // one, reserved until it listens there.
  using reserved = reservePort();
  const port = reserved.port;
  const daemon: ManagedProcess = startProcess("git", [
    "daemon",
    "--reuseaddr",
    "--export-all",
    "--enable=receive-pack",
    "--informative-errors",
    "--verbose",
    `--base-path=${base}`,
    "--listen=127.0.0.1",
    `--port=${port}`,
    base,
  ], { env: GIT_ENV });
  try {
    await waitFor(() => {
      if (daemon.done) {
        throw new Error(`git daemon exited before it was ready:\n${daemon.output()}`);
      }
      return daemon.output().includes("Ready to rumble");
    }, { what: "git daemon to listen", details: () => daemon.output() });
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return { port, url: (name) => `git://127.0.0.1:${port}/${name}`, stop: () => daemon.stop() };
}

export interface SyncFixture {
  root: string;
  daemon: GitDaemon;
  /** The bare SDK repository behind the daemon. */
  bare: string;
  /** The SDK clone (PYTHON_OUTPUT), generated code committed on `main`. */
  sdk: string;
  sdkUrl: string;
  /** The trace repository, on branch `my-feature`. */
  trace: string;
  pyproject: string;
  dispose(): Promise<void>;
}

export const TRACE_PYPROJECT = `[project]
name = "trace"
version = "1.0.0"

[project.optional-dependencies]
stainless = [
  "weave_server_sdk==0.0.1", # generated SDK
  "httpx>=0.27",
]
`;

/** Bare SDK repo with one commit on main, served by a daemon; an SDK clone; a trace repo. */
export async function createSyncFixture(): Promise<SyncFixture> {
  const root = await Deno.makeTempDir({ prefix: "codegen-sync-" });
  const remotes = join(root, "remotes");
  const bare = join(remotes, "sdk.git");
  await Deno.mkdir(remotes);
  await gitIn(remotes, "init", "--quiet", "--bare", "-b", "main", bare);
  const daemon = await startGitDaemon(remotes);
  const sdkUrl = daemon.url("sdk.git");
  const sdk = join(root, "sdk");
  await gitIn(root, "init", "--quiet", "-b", "main", sdk);
  await commitFiles(sdk, {
    message: "Initial SDK",
    files: {
      "pyproject.toml": `[project]\nname = "weave_server_sdk"\nversion = "1.2.3"\n`,
      "src/weave_server_sdk/__init__.py": "# v0\n",
      "src/weave_server_sdk/old_module.py": "OLD = 1\n",
      "README.md": "SDK\n",
    },
  });
  await gitIn(sdk, "remote", "add", "origin", sdkUrl);
  await gitIn(sdk, "push", "--quiet", "origin", "main");
  await gitIn(sdk, "fetch", "--quiet", "origin");

  const trace = join(root, "trace");
  await gitIn(root, "init", "--quiet", "-b", "my-feature", trace);
  await commitFiles(trace, {
    message: "Trace server",
    files: {
      "pyproject.toml": TRACE_PYPROJECT,
      "tools/codegen/openapi.json": `{"openapi": "3.1.0"}\n`,
    },
  });
  return {
    root,
    daemon,
    bare,
    sdk,
    sdkUrl,
    trace,
    pyproject: join(trace, "pyproject.toml"),
    async dispose() {
      await daemon.stop();
      await Deno.remove(root, { recursive: true });
    },
  };
}

/** Simulates a generation run: new content committed on the SDK clone's `main`. */
export async function generate(
  fixture: SyncFixture,
  files: Record<string, string | null>,
): Promise<string> {
  const branch = await gitIn(fixture.sdk, "symbolic-ref", "--short", "HEAD");
  if (branch !== "main") throw new Error("generate() expects the SDK clone on main");
  return await commitFiles(fixture.sdk, { message: "Generated code", files });
}

/** A second clone of the SDK repository (someone else's machine). */
export async function otherClone(fixture: SyncFixture, name = "other"): Promise<string> {
  const dir = join(fixture.root, name);
  await gitIn(fixture.root, "clone", "--quiet", fixture.sdkUrl, dir);
  return dir;
}

/** Files of a commit of a repository: path → content. */
export async function filesAt(repo: string, rev: string): Promise<Record<string, string>> {
  const paths = (await gitIn(repo, "ls-tree", "-r", "--name-only", rev)).split("\n").filter(
    Boolean,
  );
  const files: Record<string, string> = {};
  for (const path of paths) files[path] = await gitIn(repo, "show", `${rev}:${path}`);
  return files;
}
