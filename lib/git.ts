/**
 * Git access for the SDK clones and the trace repository. Everything goes through `git()`, which
 * runs git with the repository as working directory, never prompts for credentials, and passes
 * an optional token for that one command only (never stored in .git/config).
 */
import { CodegenError } from "./errors.ts";
import { run, type RunOptions, type RunResult } from "./process.ts";
import { registerSecret } from "./redact.ts";

export interface GitOptions extends Omit<RunOptions, "cwd"> {
  /** A token for https remotes, given to git through the environment for this command only. */
  token?: string;
}

/** Environment that makes git non-interactive and, with a token, authenticates https requests. */
export function gitEnv(token?: string): Record<string, string> {
  const env: Record<string, string> = {
    GIT_TERMINAL_PROMPT: "0",
    GCM_INTERACTIVE: "never",
    LC_ALL: "C",
  };
  if (token) {
    registerSecret(token);
    const basic = btoa(`x-access-token:${token}`);
    registerSecret(basic);
    // Config through the environment (git >= 2.31): lives as long as this one process.
    env.GIT_CONFIG_COUNT = "1";
    env.GIT_CONFIG_KEY_0 = "http.extraHeader";
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`;
  }
  return env;
}

/** Runs `git <args>` in `repo`; throws a CodegenError (with git's output) on failure. */
export function git(repo: string, args: string[], options: GitOptions = {}): Promise<RunResult> {
  const { token, env, ...rest } = options;
  return run("git", args, { ...rest, cwd: repo, env: { ...gitEnv(token), ...env } });
}

/** stdout of `git <args>` without the trailing newline. */
export async function gitOutput(
  repo: string,
  args: string[],
  options: GitOptions = {},
): Promise<string> {
  return (await git(repo, args, options)).stdout.replace(/\n$/, "");
}

/** Resolves a revision to a commit sha, or undefined when it does not exist. */
export async function resolveCommit(repo: string, rev: string): Promise<string | undefined> {
  const result = await git(repo, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], {
    check: false,
  });
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/** The checked-out branch name, or undefined in detached HEAD. */
export async function currentBranch(repo: string): Promise<string | undefined> {
  const result = await git(repo, ["symbolic-ref", "--quiet", "--short", "HEAD"], { check: false });
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/** True when the worktree and index have no changes and no untracked files. */
export async function isClean(repo: string): Promise<boolean> {
  return (await gitOutput(repo, ["status", "--porcelain", "--untracked-files=normal"])) === "";
}

/** Throws unless `dir` exists and is the top level of a git working tree. */
export async function requireGitRoot(dir: string, what: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new CodegenError(`${what} ${dir} does not exist`, {
      hint: "Pass the path of your local clone of the SDK repository.",
    });
  }
  if (!info.isDirectory) throw new CodegenError(`${what} ${dir} is not a directory`);
  const top = await git(dir, ["rev-parse", "--show-toplevel"], { check: false });
  if (top.code !== 0) {
    throw new CodegenError(`${what} ${dir} is not a git repository`, {
      hint: "Clone the SDK repository there (git clone <url> <dir>) and run again.",
    });
  }
  const [real, root] = await Promise.all([Deno.realPath(dir), Deno.realPath(top.stdout.trim())]);
  if (real !== root) {
    throw new CodegenError(
      `${what} ${dir} is inside the git repository ${root}, not a clone of its own`,
      {
        hint: "Pass the top directory of the SDK clone.",
      },
    );
  }
}

/** URL of the `origin` remote, as configured (it may hold credentials: never print it raw). */
export async function originUrl(repo: string): Promise<string> {
  const result = await git(repo, ["remote", "get-url", "origin"], { check: false });
  const url = result.stdout.trim();
  if (result.code !== 0 || !url) {
    throw new CodegenError(`the git repository ${repo} has no remote \`origin\``, {
      hint: "Add it: git -C <dir> remote add origin <url of the SDK repository>.",
    });
  }
  return url;
}

/** Is `url` an http(s) remote (where GITHUB_TOKEN may authenticate)? */
export function isHttpRemote(url: string): boolean {
  return /^https?:\/\//i.test(url.trim());
}

/** Absolute path of the repository's shared git directory (the same for all its worktrees). */
export async function gitCommonDir(repo: string): Promise<string> {
  return await gitOutput(repo, ["rev-parse", "--path-format=absolute", "--git-common-dir"]);
}

/** Is `name` a legal branch name (`git check-ref-format`)? */
export async function isLegalBranchName(repo: string, name: string): Promise<boolean> {
  if (name.startsWith("-")) return false;
  const result = await git(repo, ["check-ref-format", `refs/heads/${name}`], { check: false });
  return result.code === 0;
}

/** `git ls-remote` of some refs: full ref name to sha (absent refs are missing from the map). */
export async function lsRemote(
  repo: string,
  remote: string,
  refs: string[],
  options: GitOptions = {},
): Promise<Map<string, string>> {
  const output = await gitOutput(repo, ["ls-remote", "--", remote, ...refs], {
    what: `list the branches of ${remote}`,
    hint: "Check that the remote exists and that you can read it (credentials, network).",
    timeoutMs: 120_000,
    ...options,
  });
  const refsFound = new Map<string, string>();
  for (const line of output.split("\n").filter(Boolean)) {
    const [sha, ref] = line.split("\t");
    refsFound.set(ref, sha);
  }
  return refsFound;
}

/** The tree of a commit. */
export async function treeOf(repo: string, commit: string): Promise<string> {
  return await gitOutput(repo, ["rev-parse", "--verify", `${commit}^{tree}`]);
}
