/**
 * `open-pr` (and the pr stage of `all --open-pr`): for each target, the pull request from its
 * pushed mirror branch `weave/<trace branch>` into the SDK repository's default branch (or
 * `base`), opened or updated through lib/github's openPullRequest with the body of pr_content.ts.
 * One client serves every target; in a dry run it records the calls instead of sending them.
 */
import { log } from "../core/log.ts";
import { ensureClone } from "../git/clone.ts";
import type { GitHubClient } from "../github/client.ts";
import type { SpecChanges } from "../github/changes.ts";
import { openPullRequest } from "../github/open_pr.ts";
import type { PullResult } from "../github/pulls.ts";
import { resolveGitHubRepo } from "../github/repo.ts";
import { mirrorBranchName, resolveTraceBranch } from "../sync/prepare.ts";
import { baseContent, describePullRequest } from "./pr_content.ts";
import type { DeliveryTarget } from "./targets.ts";

export interface OpenPullRequestsOptions {
  targets: DeliveryTarget[];
  client: GitHubClient;
  /** The trace repository: its branch names the mirror branch; its spec is a stand-in. */
  traceRepo: string;
  /** Default: the trace repository's branch (in detached HEAD: GITHUB_HEAD_REF, GITHUB_REF_NAME). */
  traceBranch?: string;
  /** `mirror_branch_prefix` ("weave/"). */
  mirrorPrefix: string;
  /** The trace repository's spec file (absolute). */
  specPath: string;
  /** The configured generator (for the reproduce command when the stamp does not say). */
  generator?: string;
  githubRepo?: string;
  /** The flag or config entry that set `githubRepo`, for messages. */
  githubRepoSource?: string;
  base?: string;
  draft?: boolean;
  labels?: string[];
  reviewers?: string[];
  /** API changes the caller already has (used for every target). */
  specChanges?: SpecChanges;
  /** A dry run of `all`: the mirror branch is pushed by an earlier stage, so it is not compared. */
  headPushedLater?: boolean;
  env?: Record<string, string | undefined>;
}

export interface TargetPullResult extends PullResult {
  target: string;
}

export async function openPullRequests(
  options: OpenPullRequestsOptions,
): Promise<TargetPullResult[]> {
  const env = options.env ?? Deno.env.toObject();
  const traceBranch = await resolveTraceBranch(options.traceRepo, options.traceBranch, env);
  const results: TargetPullResult[] = [];
  for (const target of options.targets) {
    const clone = typeof target.clone === "string"
      ? await ensureClone(target.clone, {
        target: target.target,
        key: target.cloneKey,
        source: target.cloneSource,
        traceRepo: options.traceRepo,
      })
      : target.clone;
    const head = await mirrorBranchName(clone.path, options.mirrorPrefix, traceBranch);
    const githubRepo = target.githubRepo ?? options.githubRepo;
    const githubRepoSource = target.githubRepo ? target.githubRepoSource : options.githubRepoSource;
    const repo = await resolveGitHubRepo({
      clone: clone.path,
      githubRepo,
      githubRepoSource,
      apiUrl: options.client.apiUrl,
    });
    log.info(`${target.target}: pull request of ${head} in ${repo.owner}/${repo.name}`);
    const input = {
      target: target.target,
      language: target.language,
      packageName: target.packageName,
      clone: clone.path,
      head,
      sdkRepoName: repo.name,
      traceRepo: options.traceRepo,
      traceBranch,
      specPath: options.specPath,
      apiUrl: options.client.apiUrl,
      generator: target.generator ?? options.generator,
      specChanges: options.specChanges,
    };
    const result = await openPullRequest({
      client: options.client,
      clone,
      cloneKey: target.cloneKey,
      cloneSource: target.cloneSource,
      githubRepo,
      githubRepoSource,
      base: options.base,
      draft: options.draft,
      labels: options.labels,
      reviewers: options.reviewers,
      content: await baseContent(input),
      describe: describePullRequest(input),
      compare: !options.headPushedLater,
      env,
    });
    results.push({ target: target.target, ...result });
  }
  return results;
}

/** One line per target, for people. */
export function describePullResult(result: TargetPullResult): string {
  const where = `${result.head} -> ${result.base ?? "<default branch>"} of ${result.repo}`;
  switch (result.action) {
    case "created":
      return `${result.target}: opened #${result.number} ${result.url} (${where})`;
    case "updated":
      return `${result.target}: updated #${result.number} ${result.url} (${where})`;
    case "unchanged":
      return `${result.target}: #${result.number} is up to date ${result.url} (${where})`;
    case "no-changes":
      return `${result.target}: no pull request: ${result.head} holds the same files as ${
        result.base ?? "the base branch"
      } (${result.repo})`;
    case "not-ours":
      return `${result.target}: #${result.number} ${result.url} was not opened by codegen; left alone`;
    case "dry-run":
      return `${result.target}: would open or update the pull request ${where} (dry run: ${
        result.planned?.length ?? 0
      } API calls planned, none sent)`;
  }
}
