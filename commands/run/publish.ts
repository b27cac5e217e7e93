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
    log.info(
      `to pin ${release.version} in the trace repository: ${pinStep(clonePath(target), release)}`,
    );
  }
  return { json: { dryRun, releases }, lines: releases.map(describePublishResult) };
}

/**
 * The command that brings the SDK clone to the release and pins it (`--release` reads the
 * version from the clone's work tree). From the default branch: pull it, naming origin and the
 * branch (the clone's branch may track nothing, and a plain `pull` fails). From another branch
 * (release/1.x), pulling would merge it into whatever the clone has checked out (usually main):
 * instead fetch the tag and check it out detached, which moves no branch.
 */
function pinStep(
  clone: string,
  release: { branch: string; defaultBranch: boolean; tag: string },
) {
  const pin = "codegen update_pyproject --release";
  if (release.defaultBranch) {
    return `git -C ${clone} pull --ff-only origin ${release.branch} && ${pin}`;
  }
  const { tag } = release;
  return `git -C ${clone} fetch origin tag ${tag} && git -C ${clone} checkout --detach ${tag} && ${pin} (this detaches the clone's HEAD at ${tag} and moves none of its branches; git -C ${clone} checkout - goes back)`;
}
