/**
 * What `publish` reads from and writes to origin: the default branch, its tip and release tags,
 * files at a commit, and the one atomic push of the release commit and its tag.
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

/** The branch tip and the release tags (oldest version first) on origin. */
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
