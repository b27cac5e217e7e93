/**
 * A throwaway workspace for the demo and the `all` tests, all in one temporary directory:
 *
 *   weave/                    copy of examples/trace-repo as a git repository, on a branch
 *   remotes/weave-server-sdk.git   bare repository: the SDK clone's `origin`
 *   weave-server-sdk/         the SDK clone, one initial commit on main (pushed)
 *
 * No network, no secrets: the remote is a local path.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "../lib/os/process.ts";

export const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url)).replace(/\/$/, "");
export const EXAMPLE_TRACE_REPO = `${PROJECT_ROOT}/examples/trace-repo`;

/** Fixed identity and no user/system git config: same result on every machine. */
export const WORKSPACE_GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: "Demo Author",
  GIT_AUTHOR_EMAIL: "demo@example.com",
  GIT_COMMITTER_NAME: "Demo Author",
  GIT_COMMITTER_EMAIL: "demo@example.com",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_TERMINAL_PROMPT: "0",
};

export const SDK_PYPROJECT = `[project]
name = "weave_server_sdk"
version = "0.1.0"
`;

export interface WorkspaceOptions {
  /** Branch the trace repository is on (default my-feature). */
  traceBranch?: string;
  /** Files of the SDK's initial commit (default: README.md and pyproject.toml). */
  sdkFiles?: Record<string, string>;
}

export interface Workspace {
  root: string;
  trace: string;
  bare: string;
  sdk: string;
  pyproject: string;
  dispose(): Promise<void>;
}

export async function gitRun(dir: string, ...args: string[]): Promise<string> {
  const result = await run("git", args, {
    cwd: dir,
    env: WORKSPACE_GIT_ENV,
    what: `git ${args[0]} in ${dir}`,
  });
  return result.stdout.trim();
}

/** Copies a directory tree, skipping caches, virtual environments and local config. */
export async function copyTree(from: string, to: string): Promise<void> {
  const skip = new Set(["__pycache__", ".venv", ".ruff_cache", "generate_config.yaml"]);
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (skip.has(entry.name)) continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory) await copyTree(source, target);
    else if (entry.isFile) await Deno.copyFile(source, target);
  }
}

async function commitAll(dir: string, message: string): Promise<void> {
  await gitRun(dir, "add", "--all");
  await gitRun(dir, "commit", "--quiet", "-m", message);
}

export async function createWorkspace(options: WorkspaceOptions = {}): Promise<Workspace> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "codegen-demo-" }));
  try {
    const trace = join(root, "weave");
    await copyTree(EXAMPLE_TRACE_REPO, trace);
    await gitRun(root, "init", "--quiet", "-b", options.traceBranch ?? "my-feature", trace);
    await commitAll(trace, "Example trace server");

    const remotes = join(root, "remotes");
    const bare = join(remotes, "weave-server-sdk.git");
    await Deno.mkdir(remotes);
    await gitRun(remotes, "init", "--quiet", "--bare", "-b", "main", bare);

    const sdk = join(root, "weave-server-sdk");
    await gitRun(root, "init", "--quiet", "-b", "main", sdk);
    const files = options.sdkFiles ??
      { "README.md": "# weave_server_sdk\n", "pyproject.toml": SDK_PYPROJECT };
    for (const [path, content] of Object.entries(files)) {
      await Deno.mkdir(join(sdk, path, ".."), { recursive: true });
      await Deno.writeTextFile(join(sdk, path), content);
    }
    await commitAll(sdk, "Initial SDK");
    await gitRun(sdk, "remote", "add", "origin", bare);
    await gitRun(sdk, "push", "--quiet", "origin", "main");
    await gitRun(sdk, "fetch", "--quiet", "origin");
    // Let git record the index's stat data now, not during a later (dry) run.
    await gitRun(sdk, "status", "--porcelain");
    await gitRun(trace, "status", "--porcelain");
    return {
      root,
      trace,
      bare,
      sdk,
      pyproject: join(trace, "pyproject.toml"),
      dispose: () => Deno.remove(root, { recursive: true }),
    };
  } catch (error) {
    // Best effort: the error that stopped the set-up is the one to report.
    await Deno.remove(root, { recursive: true }).catch(() => {});
    throw error;
  }
}
