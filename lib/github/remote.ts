/**
 * Reading what the SDK repository's `origin` holds without moving anything in the clone: refs
 * come from `git ls-remote`; missing objects are fetched with no ref updated (no destination,
 * `--refmap=`, `--no-write-fetch-head`), so branches, worktree, index and remote-tracking refs
 * stay as they were. A dry run fetches nothing at all (every `.git` stays byte-identical): it
 * works with the objects the clone already has.
 */
import { CodegenError } from "../core/errors.ts";
import {
  git,
  gitOutput,
  lsRemote,
  originUrl,
  resolveCommit,
  tokenForRemote,
  treeOf,
} from "../git/git.ts";

/** How to reach origin: its URL and the token git may use for it (only for https remotes). */
export interface RemoteAccess {
  clone: string;
  /** May carry credentials: never print it raw (use stripUrlCredentials). */
  url: string;
  token?: string;
}

export async function remoteAccess(
  clone: string,
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Promise<RemoteAccess> {
  const url = await originUrl(clone);
  return { clone, url, token: await tokenForRemote(clone, url, env.GITHUB_TOKEN || undefined) };
}

/** The branch origin's HEAD points at (the repository's default branch), if it says. */
export async function remoteDefaultBranch(access: RemoteAccess): Promise<string | undefined> {
  const output = await gitOutput(access.clone, ["ls-remote", "--symref", "origin", "HEAD"], {
    token: access.token,
    what: "read the default branch of origin",
    timeoutMs: 120_000,
  });
  return /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(output)?.[1];
}

/** Origin's objects a dry run needs and the clone does not have (a dry run fetches nothing). */
export class ObjectsNotFetched extends CodegenError {
  constructor(readonly clone: string, readonly refs: string[]) {
    super(
      `the SDK clone ${clone} does not have origin's ${
        refs.join(", ")
      }, and a dry run fetches nothing`,
      {
        hint: `Fetch first (git -C ${clone} fetch origin --tags), then run the dry run again.`,
      },
    );
    this.name = "ObjectsNotFetched";
  }
}

/**
 * The commits of some refs of origin (full names; tags peeled to their commit), with their
 * objects fetched (`fetch: false`, a dry run: ObjectsNotFetched when any is missing). Absent
 * refs are missing from the map.
 */
export async function readRemoteRefs(
  access: RemoteAccess,
  refs: string[],
  options: { fetch?: boolean } = {},
): Promise<Map<string, string>> {
  const listed = await lsRemote(access.clone, "origin", refs, { token: access.token });
  const commits = new Map<string, string>();
  for (const [ref, sha] of listed) {
    if (ref.endsWith("^{}")) commits.set(ref.slice(0, -3), sha);
    else if (!commits.has(ref)) commits.set(ref, sha);
  }
  const wanted = [...commits.keys()].filter((ref) => refs.some((p) => matches(ref, p)));
  for (const ref of [...commits.keys()]) if (!wanted.includes(ref)) commits.delete(ref);
  const absent = await missingObjects(access.clone, [...commits.values()]);
  const missing = [...commits].filter(([, sha]) => absent.has(sha)).map(([ref]) => ref);
  if (missing.length > 0 && options.fetch === false) {
    throw new ObjectsNotFetched(access.clone, missing);
  }
  if (missing.length > 0) {
    await git(access.clone, [
      "fetch",
      "--no-tags",
      "--no-write-fetch-head",
      // No opportunistic update of refs/remotes/origin/* either.
      "--refmap=",
      "--quiet",
      "origin",
      ...missing,
    ], {
      token: access.token,
      what: "fetch from origin",
      hint: "Check the network and your access to the SDK repository.",
      timeoutMs: 300_000,
    });
    for (const ref of missing) {
      if (!(await resolveCommit(access.clone, commits.get(ref)!))) {
        throw new CodegenError(`${ref} moved on origin while it was being read`, {
          hint: "Someone pushed meanwhile; run again.",
        });
      }
    }
  }
  return commits;
}

/** Which of `shas` the clone does not have (one `git cat-file`, however many tags there are). */
async function missingObjects(repo: string, shas: string[]): Promise<Set<string>> {
  if (shas.length === 0) return new Set();
  const output = await gitOutput(repo, ["cat-file", "--batch-check=%(objectname)"], {
    input: shas.join("\n") + "\n",
  });
  return new Set(
    output.split("\n").filter((line) => line.endsWith(" missing")).map((line) =>
      line.split(" ")[0]
    ),
  );
}

/** A full ref name against an ls-remote pattern (exact, or a trailing `*`). */
function matches(ref: string, pattern: string): boolean {
  return pattern.endsWith("*") ? ref.startsWith(pattern.slice(0, -1)) : ref === pattern;
}

export interface BranchComparison {
  head: string;
  base: string;
  headCommit: string;
  baseCommit: string;
  /**
   * The head's tree equals the base's: a pull request would change nothing. Undefined when not
   * known: a dry run without the objects locally.
   */
  identical?: boolean;
  /** `git diff --stat` of what the pull request shows (merge base to head); "" when identical. */
  diffStat: string;
}

/**
 * Compares origin's `head` branch (the mirror branch) with its `base` branch. `dryRun`: fetch
 * nothing; when the clone lacks the commits, whether they differ is left unknown.
 */
export async function compareBranches(
  access: RemoteAccess,
  head: string,
  base: string,
  options: { dryRun?: boolean } = {},
): Promise<BranchComparison> {
  const wanted = [`refs/heads/${head}`, `refs/heads/${base}`];
  let refs: Map<string, string>;
  try {
    refs = await readRemoteRefs(access, wanted, { fetch: !options.dryRun });
  } catch (error) {
    if (!(error instanceof ObjectsNotFetched)) throw error;
    refs = await lsRemote(access.clone, "origin", wanted, { token: access.token });
  }
  const headCommit = refs.get(`refs/heads/${head}`);
  const baseCommit = refs.get(`refs/heads/${base}`);
  if (!headCommit) {
    throw new CodegenError(`origin has no branch ${head}`, {
      hint:
        "Push the generated code first (merge_generated_code, or `all`), then open the pull request.",
    });
  }
  if (!baseCommit) {
    throw new CodegenError(`origin has no base branch ${base}`, {
      hint: "Pass --base with an existing branch, or leave it out to use the default branch.",
    });
  }
  const known = (await missingObjects(access.clone, [headCommit, baseCommit])).size === 0;
  if (!known) return { head, base, headCommit, baseCommit, diffStat: "" };
  const identical =
    (await treeOf(access.clone, headCommit)) === (await treeOf(access.clone, baseCommit));
  // What GitHub shows: from the merge base; two trees when the histories are unrelated.
  const related =
    (await git(access.clone, ["merge-base", baseCommit, headCommit], { check: false }))
      .code === 0;
  const range = related ? [`${baseCommit}...${headCommit}`] : [baseCommit, headCommit];
  const diffStat = identical
    ? ""
    : await gitOutput(access.clone, ["diff", "--stat=100", "--no-color", ...range]);
  return { head, base, headCommit, baseCommit, identical, diffStat };
}
