/**
 * Which directories may be SDK clones, and one run at a time per clone.
 *
 * A clone is the top level of a git repository of its own: never a subdirectory of another
 * repository and never the trace repository, whose `main` codegen would otherwise move. Each clone
 * has a lock (`<git dir>/codegen.lock`), taken once by whoever prepares a run.
 */
import { CodegenError, usageError } from "../core/errors.ts";
import { git, gitCommonDir, workTreeAt } from "./git.ts";
import { acquireLock, type Lock } from "../os/lock.ts";
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

/** Which setting gave a clone's path, for messages (see CloneOptions `key` and `source`). */
export interface CloneSetting {
  /** Its config key ("python_output", "targets.typescript.output"). */
  cloneKey?: string;
  /** Where the value came from: the flag typed, "the python_output argument", a variable, a file line. */
  cloneSource?: string;
}

/** A directory `ensureClone` accepted. Later steps take it as it is instead of checking again. */
export interface CheckedClone {
  /** The top level of the clone (real path), or the path a dry run would create. */
  readonly path: string;
  /** False only in a dry run with `init`: the directory would be created. */
  readonly exists: boolean;
}

/** Where a setting's origin came from: a flag, an argument, an environment variable or a file. */
function originKind(source: string): "flag" | "argument" | "env" | "file" {
  if (source.startsWith("-")) return "flag";
  if (source.startsWith("the ")) return "argument"; // "the python_output argument"
  return /^[A-Z][A-Z0-9_]*$/.test(source) ? "env" : "file";
}

/**
 * " (python_output, from --python-path)": which setting chose the path, as the user gave it (the
 * flag spelling typed, the argument, the environment variable, or the config file's line).
 */
function viaText(options: CloneOptions): string {
  const { key, source } = options;
  if (!source || source === key) return key ? ` (${key})` : "";
  if (!key) return ` (${source})`;
  if (originKind(source) === "argument") return ` (from ${source})`;
  return ` (${key}, from ${source})`;
}

/** "--python-path / python_output": what to change, for hints (the spelling the user gave). */
function settingText(options: CloneOptions): string {
  const { key, source } = options;
  if (!source || source === key) return key ?? "the path";
  switch (originKind(source)) {
    case "flag":
      return key ? `${source} / ${key}` : source;
    case "argument":
    case "env":
      return source;
    case "file":
      return key ?? source; // the message names the file and line
  }
}

/**
 * Checks that `path` is the top level of a git repository of its own (optionally creating it)
 * and not the trace repository. A subdirectory of another repository is refused: generating
 * would move that repository's main.
 */
export async function ensureClone(path: string, options: CloneOptions): Promise<CheckedClone> {
  const via = viaText(options);
  const setting = settingText(options);
  const tree = await workTreeAt(path);
  switch (tree.kind) {
    case "missing":
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
      return await initClone(path, options.dryRun ?? false);
    case "not a directory":
      throw usageError(
        `${options.target} SDK clone ${path} is not a directory${via}`,
        `Point ${setting} at your clone of the SDK repository.`,
      );
    case "not a work tree":
      throw usageError(
        `${options.target} SDK clone ${path} is not a git work tree${via}`,
        options.init
          ? `Remove the directory or run \`git init\` in it yourself; --init only creates missing directories.`
          : `Point ${setting} at a clone of the SDK repository (git clone <url> ${path}).`,
      );
    case "nested":
      throw usageError(
        `${options.target} SDK clone ${path} is not a repository of its own: it is inside the git repository ${tree.root}${via}`,
        `Generating there would move main of ${tree.root}. Point ${setting} at the top directory of a clone of the SDK repository (git clone <url> <dir>)${
          options.offerInit ? ", or at a missing directory with --init" : ""
        }.`,
      );
    case "top level":
      if (options.traceRepo) {
        await assertNotTraceRepo(tree.root, options.traceRepo, options.target, via);
      }
      return { path: tree.root, exists: true };
  }
}

async function initClone(path: string, dryRun: boolean): Promise<CheckedClone> {
  if (dryRun) {
    log.info(`[dry-run] would create ${path} and run \`git init -b main\` there`);
    return { path, exists: false };
  }
  await Deno.mkdir(path, { recursive: true });
  await git(path, ["init", "--quiet", "--initial-branch=main"], { what: `git init ${path}` });
  log.info(`created an empty git repository in ${path}`);
  return { path: await Deno.realPath(path), exists: true };
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
  const [cloneDir, traceDir] = await Promise.all([gitCommonDir(clone), gitCommonDir(traceRepo)]);
  // The trace "repository" may be a plain directory: then there is nothing to compare.
  if (cloneDir && cloneDir === traceDir) {
    throw usageError(
      `${target} SDK clone ${clone} is the trace repository ${traceRepo} itself${via}`,
      "Point it at a separate clone of the SDK repository (git clone <url> ../weave-server-sdk); codegen moves main of the SDK clone.",
    );
  }
}

/**
 * Takes the lock (`<git dir>/codegen.lock`) of each clone, so that no other run moves their main
 * meanwhile; returns the function that releases them all (safe to call twice). Not reentrant: a
 * run takes each clone's lock once, when it prepares.
 */
export async function lockClones(clones: readonly string[]): Promise<() => Promise<void>> {
  const locks: Lock[] = [];
  const release = async () => {
    for (const lock of [...locks].reverse()) await lock.release();
  };
  try {
    for (const clone of new Set(clones)) {
      const dir = await gitCommonDir(clone);
      if (!dir) throw new CodegenError(`cannot lock ${clone}: it is not a git repository`);
      locks.push(await acquireLock(`${dir}/codegen.lock`, `the SDK clone ${clone}`));
    }
  } catch (error) {
    await release(); // the ones taken before the refusal
    throw error;
  }
  return release;
}
