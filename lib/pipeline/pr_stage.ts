/**
 * The pr stage of `all --open-pr` (config `open_pr: true`): after the merge stage pushed the
 * mirror branch, open or update its pull request (lib/delivery/open_prs.ts), reusing what the run
 * has: the checked (and locked) SDK clone, the trace branch, the mirror prefix.
 *
 * Everything that can be wrong with the configuration is found in the check stage, before
 * anything is pushed: `open_pr` without `auto_merge`, the API URL, the repository name, the
 * token. A dry run plans the API calls (the mirror branch is not pushed yet, so the branches are
 * not compared) and sends none.
 */
import { usageError } from "../core/errors.ts";
import type { Settings } from "../config/settings.ts";
import type { CheckedClone } from "../git/clone.ts";
import type { TargetSpec } from "../config/targets.ts";
import { type DeliveryTarget, deliveryTarget } from "../delivery/targets.ts";
import { describeCall, GitHubClient } from "../github/client.ts";
import { TOKEN_PERMISSIONS } from "../github/api_errors.ts";
import { resolveGitHubRepo } from "../github/repo.ts";
import {
  describePullResult,
  openPullRequests,
  type TargetPullResult,
} from "../delivery/open_prs.ts";
import type { Staged } from "./stage_runner.ts";

export interface PrStageInput {
  settings: Settings;
  repoRoot: string;
  /** The targets with a clone, each with its checked (and locked) clone. */
  targets: { spec: TargetSpec; clone: CheckedClone }[];
  /** `--base`, when given. */
  base?: string;
  dryRun: boolean;
  env?: Record<string, string | undefined>;
}

/** What the check stage resolved for the pr stage. */
export interface PreparedPr {
  input: PrStageInput;
  client: GitHubClient;
  targets: DeliveryTarget[];
}

/** `open_pr` asks for a pull request of the mirror branch, which only auto-merge pushes. */
export function assertOpenPrAllowed(settings: Settings): void {
  if (!settings.get("open_pr") || settings.get("auto_merge")) return;
  throw usageError(
    `open_pr (${settings.origin("open_pr")}) needs auto_merge, but auto_merge is off (${
      settings.origin("auto_merge")
    }): without a pushed mirror branch there is nothing to open a pull request from`,
    "Drop --open-pr (or open_pr: true), or run with --auto-merge.",
  );
}

/** In the check stage: the client, the repository and the token, checked before any push. */
export async function preparePr(input: PrStageInput): Promise<PreparedPr> {
  const client = new GitHubClient({ dryRun: input.dryRun, env: input.env, logPlannedCalls: false });
  if (!input.dryRun && !client.hasToken) {
    throw usageError(
      "GITHUB_TOKEN is not set; --open-pr needs it to open the pull request",
      `Export GITHUB_TOKEN with ${TOKEN_PERMISSIONS}, or drop --open-pr.`,
    );
  }
  const targets: DeliveryTarget[] = [];
  for (const { spec, clone } of input.targets) {
    const target = await deliveryTarget(spec, input, clone);
    await resolveGitHubRepo({
      clone: clone.path,
      githubRepo: target.githubRepo ?? input.settings.get("github_repo"),
      githubRepoSource: target.githubRepo
        ? target.githubRepoSource
        : input.settings.origin("github_repo"),
      apiUrl: client.apiUrl,
    });
    targets.push(target);
  }
  return { input, client, targets };
}

/** The pr stage: the pull request of each target's mirror branch. */
export async function prStage(
  prepared: PreparedPr,
  traceBranch: string,
): Promise<Staged<TargetPullResult[]>> {
  const { input, client } = prepared;
  const { settings } = input;
  const results = await openPullRequests({
    targets: prepared.targets,
    client,
    traceRepo: input.repoRoot,
    traceBranch,
    mirrorPrefix: settings.get("mirror_branch_prefix"),
    specPath: settings.get("openapi_output"),
    generator: settings.get("generator"),
    githubRepo: settings.get("github_repo"),
    githubRepoSource: settings.origin("github_repo"),
    base: input.base,
    draft: settings.get("pr_draft"),
    labels: settings.get("pr_labels"),
    reviewers: settings.get("pr_reviewers"),
    headPushedLater: input.dryRun,
    env: input.env,
  });
  return {
    out: results,
    did: results.map(describePullResult).join("; "),
    plan: input.dryRun
      ? client.plannedCalls.map((call) => `call the GitHub API: ${describeCall(call)}`)
      : undefined,
  };
}
