/** `open-pr`: the pull request of each target's mirror branch (lib/delivery/open_prs.ts). */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { describePullResult, openPullRequests } from "../../lib/delivery/open_prs.ts";
import { deliveryTargets } from "../../lib/delivery/targets.ts";
import { GitHubClient } from "../../lib/github/client.ts";
import type { Input } from "../options.ts";

export async function run(
  input: Input<"traceBranch" | "base" | "dryRun">,
): Promise<CommandOutput> {
  const { options } = input;
  const dryRun = options.dryRun ?? false;
  const context = await createContext(input);
  const { settings } = context;
  const pullRequests = await openPullRequests({
    targets: await deliveryTargets(context, { packageName: true }),
    client: new GitHubClient({ dryRun }),
    traceRepo: context.repoRoot,
    traceBranch: options.traceBranch,
    mirrorPrefix: settings.get("mirror_branch_prefix"),
    specPath: settings.get("openapi_output"),
    generator: settings.get("generator"),
    githubRepo: settings.get("github_repo"),
    githubRepoSource: settings.origin("github_repo"),
    base: options.base,
    draft: settings.get("pr_draft"),
    labels: settings.get("pr_labels"),
    reviewers: settings.get("pr_reviewers"),
  });
  return { json: { dryRun, pullRequests }, lines: pullRequests.map(describePullResult) };
}
