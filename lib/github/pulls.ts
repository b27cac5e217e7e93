/**
 * Exactly one pull request per head branch: the open one is found and its title and body
 * updated, else one is created. GitHub's 422 "A pull request already exists" (a pull request
 * opened meanwhile, or one the list did not show) means found. Nothing happens at all when the
 * head's tree equals the base's: no empty pull request is opened, and none is updated.
 *
 * A pull request without the body marker of pr_body.ts was opened by someone else: it is left
 * alone (reported as "not-ours") rather than having a person's description overwritten.
 */
import { CodegenError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { GitHubApiError } from "./api_errors.ts";
import { type GitHubClient, type PlannedCall, repoPath } from "./client.ts";
import { readMarker } from "./pr_body.ts";
import { fullName, type PullRequest, type RepoRef } from "./types.ts";

export interface PullRequestRequest {
  repo: RepoRef;
  /** Branch of `repo` the changes are on (the mirror branch). */
  head: string;
  /** Target branch of a new pull request; default: the repository's default branch. */
  base?: string;
  /**
   * Move an open pull request that targets another branch to `base`: only when the user named
   * the base (`--base`). A pull request a maintainer pointed elsewhere stays there otherwise.
   */
  retarget?: boolean;
  title: string;
  body: string;
  /** Open new pull requests as drafts (an existing one keeps its state). */
  draft?: boolean;
  /** Labels to add (existing labels are kept; missing ones are created by GitHub). */
  labels?: string[];
  /** Users (`login`) or teams (`org/team-slug`) to request reviews from. */
  reviewers?: string[];
  /**
   * False when the head's tree equals the base's (see remote.ts compareBranches); "unknown" in a
   * dry run that could not compare them (a real run then compares after fetching).
   */
  hasChanges: boolean | "unknown";
}

/**
 * created / updated: the pull request was opened / had its title, body or base rewritten;
 * unchanged: it already said exactly this; no-changes: nothing to propose, no request made;
 * not-ours: an open pull request without codegen's marker, left alone; dry-run: nothing sent.
 */
export type PullAction =
  | "created"
  | "updated"
  | "unchanged"
  | "no-changes"
  | "not-ours"
  | "dry-run";

export interface PullResult {
  action: PullAction;
  repo: string;
  head: string;
  base?: string;
  number?: number;
  url?: string;
  created: boolean;
  updated: boolean;
  labelsAdded: string[];
  reviewersRequested: string[];
  /** The calls a dry run would make. */
  planned?: PlannedCall[];
}

export async function openOrUpdatePull(
  client: GitHubClient,
  request: PullRequestRequest,
): Promise<PullResult> {
  const result: PullResult = {
    action: "no-changes",
    repo: fullName(request.repo),
    head: request.head,
    base: request.base,
    created: false,
    updated: false,
    labelsAdded: [],
    reviewersRequested: [],
  };
  if (request.hasChanges === false) {
    log.info(
      `${request.head} holds the same files as ${
        request.base ?? "the base branch"
      }: no pull request to open or update`,
    );
    return result;
  }
  if (client.dryRun) return { ...result, action: "dry-run", planned: planPull(client, request) };

  const base = request.base ?? (await client.getRepository(request.repo)).default_branch;
  result.base = base;
  let pull = await findOpenPull(client, request.repo, request.head, base);
  if (!pull) {
    try {
      pull = await client.createPull(request.repo, {
        title: request.title,
        head: request.head,
        base,
        body: request.body,
        draft: request.draft || undefined,
        maintainer_can_modify: false,
      });
      result.action = "created";
      result.created = true;
      log.info(`opened pull request #${pull.number}: ${pull.html_url}`);
    } catch (error) {
      if (!(error instanceof GitHubApiError && error.status === 422)) throw error;
      pull = await afterCreateRejected(client, request, base, error);
    }
  }
  if (!result.created) {
    if (!readMarker(pull.body)) {
      log.warn(
        `pull request #${pull.number} (${pull.html_url}) of ${request.head} was not opened by codegen (its description has no codegen marker); leaving it alone`,
      );
      return {
        ...result,
        action: "not-ours",
        number: pull.number,
        url: pull.html_url,
        base: pull.base.ref,
      };
    }
    const updated = await updateIfChanged(client, request, pull);
    result.action = updated ? "updated" : "unchanged";
    result.updated = updated !== undefined;
    pull = updated ?? pull;
  }
  result.number = pull.number;
  result.url = pull.html_url;
  result.base = pull.base.ref;
  result.labelsAdded = await addMissingLabels(client, request, pull);
  result.reviewersRequested = await requestMissingReviewers(client, request, pull, {
    unchanged: !result.created && !result.updated,
  });
  return result;
}

/** The open pull request of `head`, preferring one into `base`. */
async function findOpenPull(
  client: GitHubClient,
  repo: RepoRef,
  head: string,
  base: string,
): Promise<PullRequest | undefined> {
  const open = await client.listOpenPulls(repo, `${repo.owner}:${head}`);
  return open.find((pull) => pull.base.ref === base) ?? open[0];
}

async function afterCreateRejected(
  client: GitHubClient,
  request: PullRequestRequest,
  base: string,
  error: GitHubApiError,
): Promise<PullRequest> {
  const said = error.fullApiMessage;
  if (/pull request already exists/i.test(said)) {
    log.verbose(`GitHub says a pull request of ${request.head} already exists; updating it`);
    const found = await findOpenPull(client, request.repo, request.head, base);
    if (found) return found;
    throw new CodegenError(
      `GitHub says a pull request of ${request.head} already exists, but none is open`,
      { hint: "It may have been closed meanwhile; run again.", cause: error },
    );
  }
  if (/no commits between/i.test(said)) {
    throw new CodegenError(`GitHub sees no commits between ${base} and ${request.head}`, {
      hint: `${request.head} holds nothing that ${base} does not; there is nothing to review.`,
      cause: error,
    });
  }
  if (/\bhead\b/i.test(said) && /invalid/i.test(said)) {
    throw new CodegenError(
      `GitHub does not know the branch ${request.head} of ${fullName(request.repo)}`,
      {
        hint:
          "Push the generated code first (merge_generated_code, or `all`), then open the pull request.",
        cause: error,
      },
    );
  }
  throw error;
}

async function updateIfChanged(
  client: GitHubClient,
  request: PullRequestRequest,
  pull: PullRequest,
): Promise<PullRequest | undefined> {
  const fields: { title?: string; body?: string; base?: string } = {};
  if (pull.title !== request.title) fields.title = request.title;
  // Bodies edited on the web come back with CRLF line endings.
  if ((pull.body ?? "").replaceAll("\r\n", "\n") !== request.body) fields.body = request.body;
  // Retarget only when asked to: someone may have pointed the pull request elsewhere on purpose.
  if (request.retarget && request.base && pull.base.ref !== request.base) {
    fields.base = request.base;
  }
  if (Object.keys(fields).length === 0) {
    log.info(`pull request #${pull.number} is up to date: ${pull.html_url}`);
    return undefined;
  }
  const updated = await client.updatePull(request.repo, pull.number, fields);
  log.info(
    `updated pull request #${pull.number} (${Object.keys(fields).join(", ")}): ${pull.html_url}`,
  );
  return updated;
}

async function addMissingLabels(
  client: GitHubClient,
  request: PullRequestRequest,
  pull: PullRequest,
): Promise<string[]> {
  const have = new Set(pull.labels.map((label) => label.name.toLowerCase()));
  const missing = [...new Set(request.labels ?? [])].filter((l) => !have.has(l.toLowerCase()));
  if (missing.length === 0) return [];
  await client.addLabels(request.repo, pull.number, missing);
  log.verbose(`labeled pull request #${pull.number}: ${missing.join(", ")}`);
  return missing;
}

function splitReviewers(reviewers: string[]): { users: string[]; teams: string[] } {
  const users = reviewers.filter((r) => !r.includes("/"));
  const teams = reviewers.filter((r) => r.includes("/")).map((r) => r.split("/").pop()!);
  return { users, teams };
}

/**
 * Requests reviews from the reviewers not already asked. A refusal (the author itself, someone
 * who is not a collaborator) is a warning: the pull request is open, which is the job.
 *
 * GitHub drops a reviewer from the requested list once they review. New code (a created or
 * updated pull request) asks them again; an `unchanged` one does not: there, "missing" means
 * neither asked nor reviewed (a reviewer added to the config since is asked; the one who reviewed
 * is not asked again every night). Reviews name people, not teams: a team whose request is gone
 * is asked again only while the pull request has no review at all.
 */
async function requestMissingReviewers(
  client: GitHubClient,
  request: PullRequestRequest,
  pull: PullRequest,
  options: { unchanged: boolean },
): Promise<string[]> {
  const asked = new Set([
    ...(pull.requested_reviewers ?? []).map((u) => u.login.toLowerCase()),
    ...(pull.requested_teams ?? []).map((t) => t.slug.toLowerCase()),
  ]);
  let wanted = [...new Set(request.reviewers ?? [])].filter((r) =>
    !asked.has(r.split("/").pop()!.toLowerCase())
  );
  if (wanted.length > 0 && options.unchanged) {
    const reviews = await client.listReviews(request.repo, pull.number);
    const reviewed = new Set(reviews.flatMap((r) => r.user ? [r.user.login.toLowerCase()] : []));
    wanted = wanted.filter((r) =>
      r.includes("/") ? reviews.length === 0 : !reviewed.has(r.toLowerCase())
    );
  }
  if (wanted.length === 0) return [];
  const { users, teams } = splitReviewers(wanted);
  try {
    await client.requestReviewers(request.repo, pull.number, {
      reviewers: users.length ? users : undefined,
      team_reviewers: teams.length ? teams : undefined,
    });
  } catch (error) {
    if (!(error instanceof GitHubApiError && error.status === 422)) throw error;
    log.warn(`could not request reviews from ${wanted.join(", ")}: ${error.fullApiMessage}`);
    return [];
  }
  log.verbose(`requested reviews on #${pull.number} from ${wanted.join(", ")}`);
  return wanted;
}

/** The calls a real run would make, recorded on the client; nothing is sent. */
function planPull(client: GitHubClient, request: PullRequestRequest): PlannedCall[] {
  const start = client.plannedCalls.length; // the client may serve several targets
  const path = repoPath(request.repo);
  const base = request.base ?? "<default branch>";
  if (request.hasChanges === "unknown") {
    log.info(
      `[dry-run] whether ${request.head} differs from ${base} is not known (a dry run fetches and pushes nothing): a real run opens or updates the pull request only if it does`,
    );
  }
  if (!request.base) client.plan({ method: "GET", path, note: "read the default branch" });
  client.plan({
    method: "GET",
    path: `${path}/pulls?state=open&head=${
      encodeURIComponent(`${request.repo.owner}:${request.head}`)
    }`,
    note: "find the open pull request of the head branch",
  });
  client.plan({
    method: "POST",
    path: `${path}/pulls`,
    body: {
      title: request.title,
      head: request.head,
      base,
      body: request.body,
      draft: request.draft || undefined,
    },
    note:
      `when none is open; else PATCH ${path}/pulls/{number} with the title and body, if they differ`,
  });
  if (request.labels?.length) {
    client.plan({
      method: "POST",
      path: `${path}/issues/{number}/labels`,
      body: { labels: request.labels },
      note: "the labels it does not have yet",
    });
  }
  if (request.reviewers?.length) {
    const { users, teams } = splitReviewers(request.reviewers);
    client.plan({
      method: "POST",
      path: `${path}/pulls/{number}/requested_reviewers`,
      body: { reviewers: users, team_reviewers: teams },
      note:
        "the reviewers not asked yet (on an unchanged pull request, nor those who already reviewed)",
    });
  }
  return client.plannedCalls.slice(start);
}
