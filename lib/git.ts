/**
 * Git access for the SDK clones and the trace repository. Everything goes through `git()`, which
 * runs git with the repository as working directory, never prompts for credentials, and passes
 * an optional token for that one command only (never stored in .git/config).
 */
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
export async function gitOutput(repo: string, args: string[], options: GitOptions = {}): Promise<string> {
  return (await git(repo, args, options)).stdout.replace(/\n$/, "");
}

/** Resolves a revision to a commit sha, or undefined when it does not exist. */
export async function resolveCommit(repo: string, rev: string): Promise<string | undefined> {
  const result = await git(repo, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], { check: false });
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
