/**
 * Which directories may be SDK clones: the top level of a git repository of their own, never a
 * subdirectory of another repository and never the trace repository, whose `main` codegen would
 * otherwise move.
 */
import { usageError } from "../core/errors.ts";
import { git } from "./git.ts";
import { log } from "../core/log.ts";

export interface CloneOptions {
  /** `git init` a missing clone directory instead of failing. */
  init?: boolean;
  /** The command has an `--init` flag to offer for a missing directory. */
  offerInit?: boolean;
  /** "python", "node"...: named in messages. */
  target: string;
  /** Flag or config key that chose the path, named in messages. */
  source?: string;
  /** Config key of the path ("python_output"), named in messages. */
  key?: string;
  /** The trace repository: an SDK clone must never be it (its main would be moved). */
  traceRepo?: string;
  dryRun?: boolean;
}

/** " (python_output, from --python-output)": which setting chose the path. */
function viaText(options: CloneOptions): string {
  const parts = [options.key, options.source].filter((p, i, all) => p && all.indexOf(p) === i);
  if (parts.length === 0) return "";
  return parts.length === 2 ? ` (${parts[0]}, from ${parts[1]})` : ` (${parts[0]})`;
}

/** "--python-output / python_output": what to change, for hints. */
function settingText(options: CloneOptions): string {
  const flag = options.source?.startsWith("-") ? options.source : undefined;
  return [flag, options.key].filter(Boolean).join(" / ") || "the path";
}

/**
 * Checks that `path` is the top level of a git repository of its own (optionally creating it)
 * and not the trace repository; returns its top level. A subdirectory of another repository is
 * refused: generating would move that repository's main.
 */
export async function ensureClone(path: string, options: CloneOptions): Promise<string> {
  const via = viaText(options);
  const setting = settingText(options);
  let info: Deno.FileInfo | undefined;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (!info) {
    if (!options.init) {
      throw usageError(
        `${options.target} SDK clone ${path} does not exist${via}`,
        `Clone the SDK repository there (git clone <url> ${path}), fix ${setting}, or ${
          options.offerInit
            ? "pass --init to start an empty repository"
            : `start an empty repository (git init -b main ${path})`
        }.`,
      );
    }
    if (options.dryRun) {
      log.info(`[dry-run] would create ${path} and run \`git init -b main\` there`);
      return path;
    }
    await Deno.mkdir(path, { recursive: true });
    await git(path, ["init", "--quiet", "--initial-branch=main"], { what: `git init ${path}` });
    log.info(`created an empty git repository in ${path}`);
    return path;
  }
  if (!info.isDirectory) {
    throw usageError(
      `${options.target} SDK clone ${path} is not a directory${via}`,
      `Point ${setting} at your clone of the SDK repository.`,
    );
  }
  const top = await git(path, ["rev-parse", "--show-toplevel"], { check: false });
  if (top.code !== 0 || !top.stdout.trim()) {
    throw usageError(
      `${options.target} SDK clone ${path} is not a git work tree${via}`,
      options.init
        ? `Remove the directory or run \`git init\` in it yourself; --init only creates missing directories.`
        : `Point ${setting} at a clone of the SDK repository (git clone <url> ${path}).`,
    );
  }
  const [real, root] = await Promise.all([
    Deno.realPath(path),
    Deno.realPath(top.stdout.trim()),
  ]);
  if (real !== root) {
    throw usageError(
      `${options.target} SDK clone ${path} is not a repository of its own: it is inside the git repository ${root}${via}`,
      `Generating there would move main of ${root}. Point ${setting} at the top directory of a clone of the SDK repository (git clone <url> <dir>)${
        options.offerInit ? ", or at a missing directory with --init" : ""
      }.`,
    );
  }
  if (options.traceRepo) await assertNotTraceRepo(root, options.traceRepo, options.target, via);
  return root;
}

/** Real path of a repository's shared git directory; undefined when `dir` is not in a repository. */
async function commonDir(dir: string): Promise<string | undefined> {
  const found = await git(dir, ["rev-parse", "--path-format=absolute", "--git-common-dir"], {
    check: false,
  });
  // Not a git repository (the trace "repository" may be a plain directory): nothing to compare.
  if (found.code !== 0 || !found.stdout.trim()) return undefined;
  return await Deno.realPath(found.stdout.trim());
}

/**
 * Refuses an SDK clone that is the trace repository (or a worktree of it): codegen would move its
 * main and push its tree to a mirror branch.
 */
export async function assertNotTraceRepo(
  clone: string,
  traceRepo: string,
  target: string,
  via = "",
): Promise<void> {
  const [cloneDir, traceDir] = await Promise.all([commonDir(clone), commonDir(traceRepo)]);
  if (cloneDir && cloneDir === traceDir) {
    throw usageError(
      `${target} SDK clone ${clone} is the trace repository ${traceRepo} itself${via}`,
      "Point it at a separate clone of the SDK repository (git clone <url> ../weave-server-sdk); codegen moves main of the SDK clone.",
    );
  }
}
