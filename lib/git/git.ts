/**
 * Git access for the SDK clones and the trace repository. Everything goes through `git()`, which
 * runs git with the repository as working directory, never prompts for credentials, and passes
 * an optional token for that one command only (never stored in .git/config).
 */
import { CodegenError } from "../core/errors.ts";
import { run, type RunOptions, type RunResult } from "../os/process.ts";
import { registerSecret } from "../core/redact.ts";
import { log } from "../core/log.ts";

export interface GitOptions extends Omit<RunOptions, "cwd"> {
  /** A token for https remotes, given to git through the environment for this command only. */
  token?: string;
}

/**
 * Environment that makes git non-interactive and, with a token, authenticates https requests.
 * GIT_OPTIONAL_LOCKS=0: codegen never needs git's opportunistic index refresh, so a read such as
 * `git status` never writes (dry runs leave every `.git` byte-identical).
 */
export function gitEnv(token?: string): Record<string, string> {
  const env: Record<string, string> = {
    GIT_TERMINAL_PROMPT: "0",
    GCM_INTERACTIVE: "never",
    GIT_OPTIONAL_LOCKS: "0",
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

/**
 * True when the worktree and index have no changes and no untracked files. Read-only: with
 * GIT_OPTIONAL_LOCKS=0 (gitEnv) `git status` does not refresh (rewrite) the index's stat cache.
 */
export async function isClean(repo: string): Promise<boolean> {
  return await gitOutput(repo, ["status", "--porcelain", "--untracked-files=normal"]) === "";
}

/** Where a directory stands as a git work tree (see `workTreeAt`). */
export type WorkTree =
  | { kind: "missing" }
  | { kind: "not a directory" }
  | { kind: "not a work tree" }
  /** Inside the work tree of the repository at `root`, not its top level. */
  | { kind: "nested"; root: string }
  | { kind: "top level"; root: string };

/** Is `dir` the top level of a git work tree? Says what it is instead; never throws for that. */
export async function workTreeAt(dir: string): Promise<WorkTree> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    return { kind: "missing" };
  }
  if (!info.isDirectory) return { kind: "not a directory" };
  const top = await git(dir, ["rev-parse", "--show-toplevel"], { check: false });
  if (top.code !== 0 || !top.stdout.trim()) return { kind: "not a work tree" };
  const [real, root] = await Promise.all([Deno.realPath(dir), Deno.realPath(top.stdout.trim())]);
  return real === root ? { kind: "top level", root } : { kind: "nested", root };
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

/** Is `url` an https remote (the only kind GITHUB_TOKEN is ever sent to; never plaintext http)? */
export function isHttpsRemote(url: string): boolean {
  return /^https:\/\//i.test(url.trim());
}

/** Does the URL carry its own credentials (`https://user[:password]@host/...`)? */
function hasUserinfo(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/@]+@/i.test(url.trim());
}

/**
 * The credentials `repo` already has for `url`, from its effective git config (local, global,
 * system, and the environment): userinfo in the URL, a `credential.helper` or an
 * `http.extraHeader` that applies to that URL. Undefined when it has none.
 */
export async function ownCredentials(
  repo: string,
  url: string,
  env?: Record<string, string>,
): Promise<string | undefined> {
  if (hasUserinfo(url)) return "credentials in the remote URL";
  for (const key of ["credential.helper", "http.extraHeader"]) {
    // --get-urlmatch applies `<section>.<url>.<key>` entries the way git itself does.
    const args = ["config", "--get-urlmatch", key, url.trim()];
    const found = await git(repo, args, { check: false, env });
    // Exit 1: not set. An empty credential.helper only resets the list: no helper either.
    if (found.code === 0 && found.stdout.trim()) return `${key} in its git config`;
  }
  return undefined;
}

/**
 * The token to give git for `url`: `token` (GITHUB_TOKEN) only for an https remote, and only when
 * the clone has no credentials of its own for it (those win). Says at --verbose why not.
 */
export async function tokenForRemote(
  repo: string,
  url: string,
  token: string | undefined,
  /** Extra environment of the git config reads (tests: a config without the user's). */
  env?: Record<string, string>,
): Promise<string | undefined> {
  if (!token) return undefined;
  if (!isHttpsRemote(url)) {
    log.verbose("GITHUB_TOKEN is not used: it is only sent to https:// remotes");
    return undefined;
  }
  const own = await ownCredentials(repo, url, env);
  if (own) {
    log.verbose(`GITHUB_TOKEN is not used: the clone has its own credentials (${own})`);
    return undefined;
  }
  return token;
}

/**
 * Real path of the repository's shared git directory (the same for all its worktrees); undefined
 * when `dir` is not in a git repository.
 */
export async function gitCommonDir(dir: string): Promise<string | undefined> {
  const found = await git(dir, ["rev-parse", "--path-format=absolute", "--git-common-dir"], {
    check: false,
  });
  if (found.code !== 0 || !found.stdout.trim()) return undefined;
  return await Deno.realPath(found.stdout.trim());
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

/** The tree a commit holds. */
export async function treeOf(repo: string, commit: string): Promise<string> {
  return await gitOutput(repo, ["rev-parse", "--verify", `${commit}^{tree}`]);
}

/** A sha shortened for messages (12 characters: unambiguous in practice, still readable). */
export function short(sha: string): string;
export function short(sha: string | undefined): string | undefined;
export function short(sha: string | undefined): string | undefined {
  return sha?.slice(0, 12);
}
