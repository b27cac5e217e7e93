/**
 * What `publish` reads from and writes to origin: the released branch (default: origin's default
 * branch), its tip, the release tags (all of them, and the last one on the branch), files at a
 * commit, and the one atomic push of the release commit and its tag.
 */
import { CodegenError, usageError } from "../core/errors.ts";
import { stripUrlCredentials } from "../core/redact.ts";
import { git, gitOutput } from "../git/git.ts";
import { readRemoteRefs, type RemoteAccess, remoteDefaultBranch } from "../github/remote.ts";
import type { ReleaseTag } from "./next_version.ts";
import { compareVersions, parseVersion } from "./semver.ts";

/** The version in a release tag name: `v1.2.3`, `python/v1.2.3-rc.1`. */
const TAG_VERSION = /v(\d+\.\d+\.\d+\S*)$/;

export async function defaultBranch(access: RemoteAccess): Promise<string> {
  const branch = await remoteDefaultBranch(access);
  if (branch) return branch;
  throw usageError(
    `origin (${stripUrlCredentials(access.url)}) does not say which branch is its default`,
    "Pass the branch to release from (--branch).",
  );
}

/** The changelog and the "nothing new" check need the history since the last release. */
export async function assertFullHistory(clone: string): Promise<void> {
  if ((await gitOutput(clone, ["rev-parse", "--is-shallow-repository"])) !== "true") return;
  throw usageError(
    `the SDK clone ${clone} is shallow; publishing needs the history since the last release`,
    "Fetch it (git fetch --unshallow origin), or clone with the full history (actions/checkout: fetch-depth: 0).",
  );
}

/**
 * The branch tip and every release tag on origin (lowest version first), whichever branch it is
 * on, with the objects of both fetched (a dry run: ObjectsNotFetched when the clone lacks them).
 */
export async function readOrigin(
  access: RemoteAccess,
  branch: string,
  prefix: string,
  options: { fetch: boolean },
) {
  const refs = await readRemoteRefs(
    access,
    [`refs/heads/${branch}`, `refs/tags/${prefix}v*`],
    options,
  );
  const tip = refs.get(`refs/heads/${branch}`);
  if (!tip) {
    throw new CodegenError(`origin has no branch ${branch} to release from`, {
      hint: "Pass the branch that holds the SDK (--branch), or push it first.",
    });
  }
  const tags: ReleaseTag[] = [];
  for (const [ref, commit] of refs) {
    const tag = ref.slice("refs/tags/".length);
    const version = TAG_VERSION.exec(tag)?.[1];
    if (ref.startsWith("refs/tags/") && tag === `${prefix}v${version}` && parseVersion(version!)) {
      tags.push({ tag, version: version!, commit });
    }
  }
  tags.sort((a, b) => compareVersions(parseVersion(a.version)!, parseVersion(b.version)!));
  return { tip, tags };
}

/**
 * The branch's last release: the highest release tag whose commit the tip contains. A
 * maintenance branch (release/1.x) does not contain the releases made on main since it forked,
 * so its next version follows its own last release, not origin's highest tag.
 *
 * Walks down from the highest version and stops at the first tag on the branch: one
 * `merge-base --is-ancestor` per release made elsewhere since, one in all on the default branch.
 */
export async function lastReleaseOn(
  repo: string,
  tags: ReleaseTag[],
  tip: string,
): Promise<ReleaseTag | undefined> {
  for (const tag of [...tags].reverse()) {
    if (await isAncestor(repo, tag.commit, tip)) return tag;
  }
  return undefined;
}

async function isAncestor(repo: string, commit: string, tip: string): Promise<boolean> {
  const result = await git(repo, ["merge-base", "--is-ancestor", commit, tip], { check: false });
  // 1: not an ancestor; anything else is git failing (a missing object, a corrupt repository).
  if (result.code === 0 || result.code === 1) return result.code === 0;
  throw new CodegenError(
    `git merge-base --is-ancestor ${commit.slice(0, 12)} ${tip.slice(0, 12)} failed in ${repo}: ${
      result.stderr.trim() || `exit code ${result.code}`
    }`,
    { hint: `Check the SDK clone (git -C ${repo} fsck), fetch from origin, and run again.` },
  );
}

/**
 * The highest release on origin that is not a pre-release (the one GitHub shows as latest), if
 * any: a release below it (a maintenance release) must not be marked latest.
 */
export function highestFinalRelease(tags: ReleaseTag[]): ReleaseTag | undefined {
  return tags.findLast((t) => !parseVersion(t.version)!.prerelease);
}

export async function containsNothingNew(
  repo: string,
  released: string,
  tip: string,
): Promise<boolean> {
  return (await gitOutput(repo, ["rev-list", "--count", tip, "--not", released])) === "0";
}

/** A file of a commit; undefined when the commit has no such file (the caller falls back). */
export async function fileAt(
  repo: string,
  commit: string,
  path: string,
): Promise<string | undefined> {
  const shown = await git(repo, ["show", `${commit}:${path}`], { check: false });
  return shown.code === 0 ? shown.stdout : undefined;
}

/** One atomic push: the release commit onto the branch (with a lease on its tip) and the tag. */
export async function pushRelease(
  access: RemoteAccess,
  branch: string,
  tip: string,
  commit: string,
  tag: string,
  tagObject: string,
): Promise<void> {
  const moveBranch = commit !== tip
    ? [`--force-with-lease=refs/heads/${branch}:${tip}`, "origin", `${commit}:refs/heads/${branch}`]
    : ["origin"];
  await git(access.clone, [
    "push",
    "--porcelain",
    "--atomic",
    ...moveBranch,
    `${tagObject}:refs/tags/${tag}`,
  ], {
    token: access.token,
    what: `push the release commit and the tag ${tag}`,
    hint:
      `Nothing was pushed (the push is atomic). If someone pushed to ${branch} meanwhile, run again. If ${branch} is protected, allow this token's account to push to it (or release from a branch it may push to with --branch).`,
    timeoutMs: 300_000,
  });
}
