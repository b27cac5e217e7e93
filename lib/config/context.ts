/**
 * What every command starts from: the global flags, the trace repository root, and the
 * resolved configuration.
 */
import { isAbsolute, resolve } from "../core/paths.ts";
import { usageError } from "../core/errors.ts";
import { run } from "../os/process.ts";
import { type ConfigKey, DEFAULT_CONFIG_PATH, loadConfigFile, Settings } from "./settings.ts";
import { log } from "../core/log.ts";
import type { GlobalOptions } from "../cli/parse.ts";

export interface Context {
  /** Directory the user ran the command in (`deno task` and make change the real cwd). */
  cwd: string;
  /** The trace repository: where `tools/codegen/...` is read and written. */
  repoRoot: string;
  settings: Settings;
  globals: GlobalOptions;
}

/**
 * The user's working directory. `deno task generate` runs in the project folder, so the task
 * passes the directory it was started from as CODEGEN_CWD (from deno's INIT_CWD). INIT_CWD itself
 * is not read: npm and yarn leave it in the environment of unrelated processes.
 */
export function userCwd(): string {
  return Deno.env.get("CODEGEN_CWD") || Deno.cwd();
}

/** `--repo-root`, else CODEGEN_REPO_ROOT, else the git top-level of `cwd`, else `cwd`. */
export async function resolveRepoRoot(flag: string | undefined, cwd: string): Promise<string> {
  const given = flag ?? Deno.env.get("CODEGEN_REPO_ROOT");
  const source = flag ? "--repo-root" : "CODEGEN_REPO_ROOT";
  if (given) {
    const root = isAbsolute(given) ? given : resolve(cwd, given);
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(root);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      throw usageError(
        `${source}: ${root} does not exist`,
        "Give the path of the trace repository.",
      );
    }
    if (!info.isDirectory) throw usageError(`${source}: ${root} is not a directory`);
    return root;
  }
  const git = await run("git", ["rev-parse", "--show-toplevel"], {
    cwd,
    check: false,
    timeoutMs: 10_000,
  })
    .catch(() => undefined); // no git at all: fall back to the working directory
  if (git && git.code === 0 && git.stdout.trim()) return git.stdout.trim();
  return cwd;
}

/** Builds the context from the global flags and the command's own config-key flags. */
export async function createContext(
  globals: GlobalOptions,
  flags: Partial<Record<ConfigKey, unknown>> = {},
): Promise<Context> {
  const cwd = userCwd();
  const repoRoot = await resolveRepoRoot(globals.repoRoot, cwd);
  const configPath = globals.config
    ? (isAbsolute(globals.config) ? globals.config : resolve(cwd, globals.config))
    : resolve(repoRoot, DEFAULT_CONFIG_PATH);
  const configFile = await loadConfigFile(configPath);
  if (globals.config && !configFile.exists) {
    throw usageError(
      `--config: ${configPath} does not exist`,
      "Pass an existing config file, or omit --config.",
    );
  }
  for (const warning of configFile.warnings) log.warn(warning);
  log.debug(
    `repo root ${repoRoot}; config ${configPath}${configFile.exists ? "" : " (not present)"}`,
  );
  const settings = new Settings({ repoRoot, cwd, configFile, flags });
  return { cwd, repoRoot, settings, globals };
}
