/**
 * `publish`: release the SDK from the released branch (default: origin's default branch).
 *
 * 1. Read origin: the branch's tip and the release tags (`<prefix>vX.Y.Z`). The branch's last
 *    release is the highest tag its tip contains (a maintenance branch such as release/1.x does
 *    not contain main's later releases); a tag anywhere on origin still takes its version.
 * 2. Nothing new since the branch's last release tag → nothing to do (the tag's GitHub release is
 *    created if a previous run stopped before making it).
 * 3. Next version: `version` wins; else `bump` (`auto`: from the spec changes since the last
 *    release; a version in the files that was never released is released as it is).
 * 4. A tag for that version on another commit → error; on the tip itself → nothing to do.
 * 5. One commit `release: X.Y.Z` on top of the tip (version files + CHANGELOG.md section), and
 *    an annotated tag on it, pushed in one atomic push with a lease on the branch: both land or
 *    neither does, and nobody's push in between is overwritten.
 * 6. The GitHub release of the tag, with the changelog section (created, or updated); marked
 *    latest unless it is a pre-release or below origin's highest release (a maintenance release).
 *
 * Nothing in the clone changes: objects are made with plumbing (git_objects.ts) and pushed by
 * sha. A dry run fetches nothing (it needs origin's commits in the clone already) and makes no
 * object, push or API call.
 */
import { CodegenError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { type CheckedClone, lockClones } from "../git/clone.ts";
import type { GitHubClient, PlannedCall } from "../github/client.ts";
import { type RemoteAccess, remoteAccess, remoteDefaultBranch } from "../github/remote.ts";
import { resolveSdkRepo } from "../github/repo.ts";
import { fullName, type RepoRef } from "../github/types.ts";
import {
  assertFullHistory,
  containsNothingNew,
  defaultBranch,
  fileAt,
  highestFinalRelease,
  lastReleaseOn,
  pushRelease,
  readOrigin,
} from "./origin.ts";
import { addSection, type ChangelogEntry, releaseNotes, sectionNotes } from "./changelog.ts";
import { commitsIn, createTagObject } from "./git_objects.ts";
import { commitFilesOnTop } from "../git/commit_files.ts";
import { publishIfDraft, type ReleaseOutcome, upsertRelease } from "./github_release.ts";
import {
  type BumpInfo,
  decideVersion,
  type Decision,
  type ReleaseTag,
  type SpecChangesSince,
} from "./next_version.ts";
import type { BumpKind } from "./bump_kind.ts";
import { compareVersions, parseVersion } from "./semver.ts";
import {
  agreedVersion,
  type Language,
  readVersionFiles,
  type VersionFile,
  withVersion,
} from "../pin/version_files.ts";

export interface PublishOptions {
  /**
   * The SDK clone; its `origin` is the repository released. A path is checked (ensureClone) and
   * locked for the run; a CheckedClone was checked by the caller, who also holds its lock.
   */
  clone: string | CheckedClone;
  /** Config key of the clone's path ("python_output"), named in messages. */
  cloneKey?: string;
  /** Where the path was given (the flag typed, argument, variable, file line), for messages. */
  cloneSource?: string;
  /** `github_repo` / `--github-repo`, when origin is not a GitHub URL (github/repo.ts). */
  githubRepo?: string;
  /** Which flag or key set it, for messages (default "github_repo"). */
  githubRepoSource?: string;
  /** Its `dryRun` decides whether anything is changed. */
  client: GitHubClient;
  language: Language;
  /** Default "auto". */
  bump?: BumpKind;
  /** An explicit X.Y.Z; wins over `bump`. */
  version?: string;
  /** "" (tags `v1.2.3`) or e.g. "python/" (`python/v1.2.3`) when one repository holds several SDKs. */
  tagPrefix?: string;
  /** Default: origin's default branch. */
  branch?: string;
  /**
   * Create the GitHub release as a draft (an existing release keeps its state). Otherwise the
   * release is published, an existing draft of the tag included.
   */
  draft?: boolean;
  specChanges?: SpecChangesSince;
  env?: Record<string, string | undefined>;
  /** Today, for the changelog date (tests). */
  now?: Date;
}

export interface PublishResult {
  /** released: pushed and released; up-to-date: nothing new to release; dry-run: nothing done. */
  action: "released" | "up-to-date" | "dry-run";
  /** `owner/name` of the GitHub repository. */
  repo: string;
  version: string;
  previousVersion: string;
  tag: string;
  branch: string;
  /** Whether `branch` is origin's default branch (how to pin the release depends on it). */
  defaultBranch: boolean;
  /** How the version was chosen. */
  bump: BumpInfo;
  /** The commit tagged (the release commit, or the tip when nothing needed changing). */
  commit?: string;
  pushed: boolean;
  release?: ReleaseOutcome;
  /** The release notes (the changelog section without its heading). */
  notes: string;
  /** The files that carry the version (read when a new version is released or planned). */
  versionFiles?: string[];
  /** What a dry run would do: git steps, and the API calls it would make. */
  plannedGit?: string[];
  plannedApi?: PlannedCall[];
}

/** The options with the repository resolved, and what this run found on origin. */
interface Context extends PublishOptions {
  clone: string;
  repo: RepoRef;
  /** The client may serve several targets: this run's planned calls start here. */
  plannedFrom: number;
  access: RemoteAccess;
  branch: string;
  defaultBranch: boolean;
  tip: string;
  /** Release tags on origin, on any branch, lowest version first. */
  tags: ReleaseTag[];
}

export async function publish(options: PublishOptions): Promise<PublishResult> {
  const checkedByCaller = typeof options.clone !== "string";
  const { clone, repo } = await resolveSdkRepo({
    clone: options.clone,
    target: options.language,
    cloneKey: options.cloneKey,
    cloneSource: options.cloneSource,
    githubRepo: options.githubRepo,
    githubRepoSource: options.githubRepoSource,
    apiUrl: options.client.apiUrl,
  });
  const access = await remoteAccess(clone, options.env ?? Deno.env.toObject());
  const unlock = checkedByCaller || options.client.dryRun ? undefined : await lockClones([clone]);
  try {
    const branch = options.branch ?? await defaultBranch(access);
    const isDefault = !options.branch || options.branch === await remoteDefaultBranch(access);
    await assertFullHistory(clone);
    const { tip, tags } = await readOrigin(access, branch, options.tagPrefix ?? "", {
      fetch: !options.client.dryRun,
    });
    const plannedFrom = options.client.plannedCalls.length;
    const context: Context = {
      ...options,
      clone,
      repo,
      plannedFrom,
      access,
      branch,
      defaultBranch: isDefault,
      tip,
      tags,
    };
    const last = await lastReleaseOn(clone, tags, tip);
    if (last && await containsNothingNew(clone, last.commit, tip)) {
      log.info(`nothing to release: ${branch} has no commit since ${last.tag}`);
      return await upToDate(context, last, last.version, {
        kind: options.version ? "version" : options.bump ?? "auto",
        reason: `no commit since ${last.tag}`,
      });
    }
    return await releaseNext(context, last);
  } finally {
    await unlock?.();
  }
}

/** Nothing to release: the result for the `existing` tag (its GitHub release made if missing). */
async function upToDate(
  context: Context,
  existing: ReleaseTag,
  previousVersion: string,
  bump: BumpInfo,
): Promise<PublishResult> {
  const release = await ensureRelease(context, existing);
  return {
    action: "up-to-date",
    repo: fullName(context.repo),
    branch: context.branch,
    defaultBranch: context.defaultBranch,
    previousVersion,
    version: existing.version,
    tag: existing.tag,
    commit: existing.commit,
    pushed: false,
    bump,
    release,
    notes: release.notes,
    ...planned(context),
  };
}

/** The files a release commit changes, and its notes. */
interface Prepared {
  changed: Record<string, string>;
  notes: string;
}

async function prepare(
  context: Context,
  files: VersionFile[],
  decision: Decision,
  last?: ReleaseTag,
): Promise<Prepared> {
  const { clone, tip, language } = context;
  const entry: ChangelogEntry = {
    version: decision.version,
    date: (context.now ?? new Date()).toISOString().slice(0, 10),
    specChanges: decision.changes,
    commits: await commitsIn(clone, last ? [tip, "--not", last.commit] : [tip]),
  };
  const changed: Record<string, string> = {};
  for (const file of files) {
    if (file.version !== decision.version) {
      changed[file.path] = withVersion(file, decision.version, language);
    }
  }
  const withSection = addSection(await fileAt(clone, tip, "CHANGELOG.md"), entry);
  if (withSection.added) changed["CHANGELOG.md"] = withSection.text;
  return {
    changed,
    notes: sectionNotes(withSection.text, decision.version) ?? releaseNotes(entry),
  };
}

async function releaseNext(context: Context, last?: ReleaseTag): Promise<PublishResult> {
  const { clone, tip, branch, client } = context;
  const files = await readVersionFiles(clone, tip, context.language);
  const current = agreedVersion(files);
  const decision = await decideVersion(context, current, last, tip);
  const tag = `${context.tagPrefix ?? ""}v${decision.version}`;
  const existing = context.tags.find((t) => t.tag === tag);
  if (existing) {
    assertTagOnTip(context, existing, decision);
    log.info(`${existing.tag} already tags the tip of ${branch}: nothing to release`);
    return await upToDate(context, existing, current, decision.bump);
  }
  const { changed, notes } = await prepare(context, files, decision, last);
  const message = `release: ${decision.version}`;
  const fields = releaseFields(context, tag, decision.version, notes);
  const result = {
    repo: fullName(context.repo),
    branch,
    defaultBranch: context.defaultBranch,
    previousVersion: current,
    version: decision.version,
    tag,
    bump: decision.bump,
    notes,
    versionFiles: files.map((f) => f.path),
  };
  log.info(`releasing ${decision.version} (${decision.reason})`);
  if (client.dryRun) {
    const plannedGit = [
      Object.keys(changed).length
        ? `commit "${message}" on ${branch} (${tip.slice(0, 12)}) changing ${
          Object.keys(changed).join(", ")
        }`
        : `no release commit: the files already say ${decision.version}`,
      `annotated tag ${tag}`,
      `git push --atomic --force-with-lease=refs/heads/${branch}:${tip} origin <commit>:refs/heads/${branch} <tag>:refs/tags/${tag}`,
    ];
    for (const step of plannedGit) log.info(`[dry-run] ${step}`);
    await upsertRelease(client, context.repo, { ...fields, target_commitish: "<release commit>" });
    return { ...result, action: "dry-run", pushed: false, plannedGit, ...planned(context) };
  }
  const commit = Object.keys(changed).length
    ? await commitFilesOnTop(clone, tip, changed, `${message}\n`)
    : tip;
  const tagObject = await createTagObject(clone, commit, tag, message);
  await pushRelease(context.access, branch, tip, commit, tag, tagObject);
  log.info(`pushed ${message} (${commit.slice(0, 12)}) to ${branch} and the tag ${tag}`);
  const release = await upsertRelease(client, context.repo, {
    ...fields,
    target_commitish: commit,
  });
  return { ...result, action: "released", commit, pushed: true, release };
}

/** The tag of the chosen version exists: fine on the tip itself, an error anywhere else. */
function assertTagOnTip(context: Context, existing: ReleaseTag, decision: Decision): void {
  if (existing.commit === context.tip) return;
  throw new CodegenError(
    `the tag ${existing.tag} already exists on origin, on commit ${
      existing.commit.slice(0, 12)
    }, not on the tip of ${context.branch} (${context.tip.slice(0, 12)})`,
    {
      hint:
        `${decision.version} was released from another commit. Release a higher version (--bump, or --version), or delete the tag if it was made by mistake (git push origin :refs/tags/${existing.tag}).`,
    },
  );
}

/** The release of an existing tag (created when a previous run stopped before making it). */
async function ensureRelease(
  options: Context,
  tag: ReleaseTag,
): Promise<ReleaseOutcome & { notes: string }> {
  const changelog = await fileAt(options.clone, tag.commit, "CHANGELOG.md");
  const notes = (changelog && sectionNotes(changelog, tag.version)) ?? `Release ${tag.version}.`;
  const fields = releaseFields(options, tag.tag, tag.version, notes);
  if (options.client.dryRun) {
    await upsertRelease(options.client, options.repo, { ...fields, target_commitish: tag.commit });
    return { created: false, updated: false, notes };
  }
  const existing = await options.client.findRelease(options.repo, tag.tag);
  if (existing) {
    const published = await publishIfDraft(options.client, options.repo, existing, fields);
    return { ...published, notes };
  }
  log.info(`${tag.tag} has no GitHub release yet; creating it`);
  return {
    ...(await upsertRelease(options.client, options.repo, {
      ...fields,
      target_commitish: tag.commit,
    })),
    notes,
  };
}

/** A dry run's API calls, for the result. */
function planned(context: Context): Pick<PublishResult, "plannedApi"> {
  const { client, plannedFrom } = context;
  return client.dryRun ? { plannedApi: client.plannedCalls.slice(plannedFrom) } : {};
}

function releaseFields(options: Context, tag: string, version: string, notes: string) {
  const parsed = parseVersion(version)!;
  const prerelease = parsed.prerelease;
  // GitHub would mark a maintenance release (1.0.1 after 2.0.0) latest too: it goes by date.
  const highest = highestFinalRelease(options.tags);
  const belowHighest = highest !== undefined &&
    compareVersions(parsed, parseVersion(highest.version)!) < 0;
  return {
    tag_name: tag,
    name: tag,
    body: notes,
    draft: options.draft ?? false,
    prerelease,
    make_latest: prerelease || belowHighest ? "false" as const : "true" as const,
  };
}
