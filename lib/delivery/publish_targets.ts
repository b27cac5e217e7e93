/**
 * `publish` for each target: lib/release's publish, with the automatic bump fed by the spec the
 * SDK trees carry (`.codegen/openapi.json` at the last release tag and at the commit released).
 *
 * Tags are `vX.Y.Z`; when one repository holds several targets, each target's tags get its own
 * prefix (`python/vX.Y.Z`, `typescript/vX.Y.Z`) so their versions never collide. `--tag-prefix`
 * sets the prefix of a repository that holds one target.
 */
import { usageError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import type { GitHubClient } from "../github/client.ts";
import { resolveGitHubRepo } from "../github/repo.ts";
import { fullName } from "../github/types.ts";
import { publish, type PublishResult } from "../release/publish.ts";
import type { BumpKind } from "../release/bump_kind.ts";
import { releaseSpecChanges } from "./spec_changes.ts";
import { clonePath, type DeliveryTarget } from "./targets.ts";

export interface PublishTargetsOptions {
  targets: DeliveryTarget[];
  client: GitHubClient;
  githubRepo?: string;
  githubRepoSource?: string;
  bump?: BumpKind;
  version?: string;
  /** `--tag-prefix`; default none, or `<target>/` for targets that share a repository. */
  tagPrefix?: string;
  /** `--branch`: the branch released (default: each repository's default branch). */
  branch?: string;
  env?: Record<string, string | undefined>;
  /** Today, for the changelog date (tests). */
  now?: Date;
}

export interface TargetPublishResult extends PublishResult {
  target: string;
}

export async function publishTargets(
  options: PublishTargetsOptions,
): Promise<TargetPublishResult[]> {
  const prefixes = await tagPrefixes(options);
  const results: TargetPublishResult[] = [];
  for (const target of options.targets) {
    log.info(`${target.target}: releasing from ${clonePath(target)}`);
    const result = await publish({
      clone: target.clone,
      cloneKey: target.cloneKey,
      cloneSource: target.cloneSource,
      githubRepo: target.githubRepo ?? options.githubRepo,
      githubRepoSource: target.githubRepo ? target.githubRepoSource : options.githubRepoSource,
      client: options.client,
      language: target.language,
      bump: options.bump,
      version: options.version,
      tagPrefix: prefixes.get(target) ?? "",
      branch: options.branch,
      specChanges: releaseSpecChanges(clonePath(target)),
      env: options.env,
      now: options.now,
    });
    results.push({ target: target.target, ...result });
  }
  return results;
}

/** Each target's tag prefix (module comment). */
async function tagPrefixes(
  options: PublishTargetsOptions,
): Promise<Map<DeliveryTarget, string>> {
  const prefixes = new Map<DeliveryTarget, string>();
  if (options.targets.length < 2) {
    for (const target of options.targets) prefixes.set(target, options.tagPrefix ?? "");
    return prefixes;
  }
  const byRepo = new Map<string, DeliveryTarget[]>();
  for (const target of options.targets) {
    const repo = fullName(
      await resolveGitHubRepo({
        clone: clonePath(target),
        githubRepo: target.githubRepo ?? options.githubRepo,
        githubRepoSource: target.githubRepo ? target.githubRepoSource : options.githubRepoSource,
        apiUrl: options.client.apiUrl,
      }),
    ).toLowerCase();
    byRepo.set(repo, [...(byRepo.get(repo) ?? []), target]);
  }
  for (const [repo, targets] of byRepo) {
    const shared = targets.length > 1;
    if (shared && options.tagPrefix !== undefined) {
      throw usageError(
        `--tag-prefix ${options.tagPrefix} would give the same tags to ${
          targets.map((t) => t.target).join(" and ")
        }, which are all released from ${repo}`,
        "Leave --tag-prefix out: each target of a shared repository is tagged <target>/vX.Y.Z.",
      );
    }
    for (const target of targets) {
      prefixes.set(target, shared ? `${target.target}/` : options.tagPrefix ?? "");
    }
  }
  return prefixes;
}

/** One line per target, for people. */
export function describePublishResult(result: TargetPublishResult): string {
  const release = result.release?.url ? ` ${result.release.url}` : "";
  switch (result.action) {
    case "released":
      return `${result.target}: released ${result.tag} (${result.previousVersion} -> ${result.version}: ${result.bump.reason}) on ${result.branch} of ${result.repo}${release}`;
    case "up-to-date":
      return `${result.target}: nothing to release: ${result.tag} is the latest release on ${result.branch} of ${result.repo} (${result.bump.reason})${release}`;
    case "dry-run":
      return `${result.target}: would release ${result.tag} (${result.previousVersion} -> ${result.version}: ${result.bump.reason}) on ${result.branch} of ${result.repo} (dry run: nothing pushed, no API request)`;
  }
}
