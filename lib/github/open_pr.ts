/**
 * `open-pr` for one target, end to end: which repository (origin or `github_repo`), which base
 * (`--base`, else origin's default branch), whether the pushed mirror branch changes anything
 * (tree comparison, by git: no API call when it does not), then the title and body from the
 * content (the diff stat filled in here) and one pull request opened or updated.
 */
import type { CheckedClone } from "../git/clone.ts";
import type { GitHubClient } from "./client.ts";
import { pullRequestBody, type PullRequestContent, pullRequestTitle } from "./pr_body.ts";
import { openOrUpdatePull, type PullResult } from "./pulls.ts";
import {
  type BranchComparison,
  compareBranches,
  remoteAccess,
  remoteDefaultBranch,
} from "./remote.ts";
import { resolveSdkRepo } from "./repo.ts";

export interface OpenPullRequestOptions {
  client: GitHubClient;
  /** The target's SDK clone (its origin holds the pushed mirror branch); a path is checked. */
  clone: string | CheckedClone;
  /** Config key of the clone's path ("python_output"), named in messages. */
  cloneKey?: string;
  /** Where the path was given (the flag typed, argument, variable, file line), for messages. */
  cloneSource?: string;
  /** `github_repo` / `--github-repo`, when set. */
  githubRepo?: string;
  /** Which flag or key set it, for messages (default "github_repo"). */
  githubRepoSource?: string;
  /**
   * `--base`; default: origin's default branch. Given, it also moves an open pull request that
   * targets another branch; not given, such a pull request keeps its base.
   */
  base?: string;
  draft?: boolean;
  labels?: string[];
  reviewers?: string[];
  /** What the body says; `head` is the mirror branch; `diffStat` is computed here. */
  content: Omit<PullRequestContent, "diffStat">;
  /**
   * More of the body, read once the branches are compared (their commits are then in the clone):
   * called only when there is something to propose; `comparison` is undefined (or without
   * `identical`) when it could not be made (a dry run without the commits, or `compare: false`).
   */
  describe?: (comparison: BranchComparison | undefined) => Promise<Partial<PullRequestContent>>;
  /**
   * Compare the head with the base (default true). False in a dry run of `all`: the head is
   * pushed by an earlier stage of the same run, so origin does not have it yet.
   */
  compare?: boolean;
  /** For GITHUB_TOKEN (git access to https remotes); default: the process environment. */
  env?: Record<string, string | undefined>;
}

export async function openPullRequest(options: OpenPullRequestOptions): Promise<PullResult> {
  const { client, content } = options;
  const { clone, repo } = await resolveSdkRepo({
    clone: options.clone,
    target: content.target,
    cloneKey: options.cloneKey,
    cloneSource: options.cloneSource,
    githubRepo: options.githubRepo,
    githubRepoSource: options.githubRepoSource,
    apiUrl: client.apiUrl,
  });
  const access = await remoteAccess(clone, options.env);
  const base = options.base ?? await remoteDefaultBranch(access) ??
    (client.dryRun ? undefined : (await client.getRepository(repo)).default_branch);
  const comparison = base && options.compare !== false
    ? await compareBranches(access, content.head, base, { dryRun: client.dryRun })
    : undefined;
  const more = comparison?.identical === true ? {} : await options.describe?.(comparison);
  const full = { ...content, ...more, diffStat: comparison?.diffStat };
  return await openOrUpdatePull(client, {
    repo,
    head: content.head,
    base,
    title: pullRequestTitle(full),
    body: pullRequestBody(full),
    // Only a base the user named moves an open pull request (origin's default is not a request).
    retarget: options.base !== undefined,
    draft: options.draft,
    labels: options.labels,
    reviewers: options.reviewers,
    hasChanges: comparison?.identical === undefined ? "unknown" : !comparison.identical,
  });
}
