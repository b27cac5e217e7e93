/** `publish`: release each target's SDK (lib/delivery/publish_targets.ts). */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { log } from "../../lib/core/log.ts";
import { describePublishResult, publishTargets } from "../../lib/delivery/publish_targets.ts";
import { clonePath, deliveryTargets } from "../../lib/delivery/targets.ts";
import { GitHubClient } from "../../lib/github/client.ts";
import type { BumpKind } from "../../lib/release/bump_kind.ts";
import type { Input } from "../options.ts";

export async function run(
  input: Input<"bump" | "releaseVersion" | "tagPrefix" | "releaseBranch" | "dryRun">,
): Promise<CommandOutput> {
  const { options } = input;
  const dryRun = options.dryRun ?? false;
  const context = await createContext(input);
  const { settings } = context;
  const targets = await deliveryTargets(context, { packageName: false });
  const releases = await publishTargets({
    targets,
    client: new GitHubClient({ dryRun }),
    githubRepo: settings.get("github_repo"),
    githubRepoSource: settings.origin("github_repo"),
    bump: options.bump as BumpKind | undefined,
    version: options.releaseVersion,
    tagPrefix: options.tagPrefix,
    branch: options.releaseBranch,
  });
  for (const release of releases.filter((r) => r.action === "released")) {
    const target = targets.find((t) => t.target === release.target)!;
    // Naming origin and the branch: the clone's branch may track nothing (a plain `pull` fails).
    const clone = clonePath(target);
    log.info(
      `to pin ${release.version} in the trace repository: git -C ${clone} pull --ff-only origin ${release.branch} && codegen update_pyproject --release`,
    );
  }
  return { json: { dryRun, releases }, lines: releases.map(describePublishResult) };
}
