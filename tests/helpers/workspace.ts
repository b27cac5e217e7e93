/**
 * A throwaway workspace for the `all` tests and the demo (scripts/demo.ts reuses this test
 * fixture; the tests do not depend on the demo), all in one temporary directory:
 *
 *   weave/                    copy of examples/trace-repo as a git repository, on a branch
 *   remotes/weave-server-sdk.git   bare repository: the SDK clone's `origin`
 *   weave-server-sdk/         the SDK clone, one initial commit on main (pushed)
 *
 * No network, no secrets: the remote is a local path.
 */
import { join } from "node:path";
import { PROJECT_ROOT } from "./cli.ts";
import { commitFiles, gitIn } from "./git_fixtures.ts";
import { reservePort } from "./ports.ts";

export const EXAMPLE_TRACE_REPO = `${PROJECT_ROOT}/examples/trace-repo`;

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
  /** A port reserved for the trace server the CLI starts (tests/helpers/ports.ts). */
  port: number;
  /** Removes the workspace and gives up its port. */
  dispose(): Promise<void>;
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

export async function createWorkspace(options: WorkspaceOptions = {}): Promise<Workspace> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "codegen-demo-" }));
  const reserved = reservePort();
  try {
    const trace = join(root, "weave");
    await copyTree(EXAMPLE_TRACE_REPO, trace);
    await gitIn(root, "init", "--quiet", "-b", options.traceBranch ?? "my-feature", trace);
    await commitFiles(trace, { message: "Example trace server" });

    const remotes = join(root, "remotes");
    const bare = join(remotes, "weave-server-sdk.git");
    await Deno.mkdir(remotes);
    await gitIn(remotes, "init", "--quiet", "--bare", "-b", "main", bare);

    const sdk = join(root, "weave-server-sdk");
    await gitIn(root, "init", "--quiet", "-b", "main", sdk);
    const files = options.sdkFiles ??
      { "README.md": "# weave_server_sdk\n", "pyproject.toml": SDK_PYPROJECT };
    await commitFiles(sdk, { message: "Initial SDK", files });
    await gitIn(sdk, "remote", "add", "origin", bare);
    await gitIn(sdk, "push", "--quiet", "origin", "main");
    await gitIn(sdk, "fetch", "--quiet", "origin");
    // Let git record the index's stat data now, not during a later (dry) run.
    await gitIn(sdk, "status", "--porcelain");
    await gitIn(trace, "status", "--porcelain");
    return {
      root,
      trace,
      bare,
      sdk,
      pyproject: join(trace, "pyproject.toml"),
      port: reserved.port,
      async dispose() {
        reserved.release();
        await Deno.remove(root, { recursive: true });
      },
    };
  } catch (error) {
    reserved.release();
    // Best effort: the error that stopped the set-up is the one to report.
    await Deno.remove(root, { recursive: true }).catch(() => {});
    throw error;
  }
}
