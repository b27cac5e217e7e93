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
    const step = pinStep(clonePath(target), release);
    // The command alone on its line, so that it can be pasted whole into a shell.
    log.info(`to pin ${release.version} in the trace repository, run:`);
    log.info(step.command);
    if (step.note) log.info(step.note);
  }
  return { json: { dryRun, releases }, lines: releases.map(describePublishResult) };
}

/**
 * The command that brings the SDK clone to the release and pins it (`--release` reads the
 * version from the clone's work tree). From the default branch: check it out (the clone may be
 * detached by an earlier maintenance pin; git refuses if local changes would be overwritten),
 * then pull it, naming origin and the branch (the clone's branch may track nothing, and a plain
 * `pull` fails). From another branch (release/1.x), pulling would merge it into whatever the
 * clone has checked out (usually main): instead fetch the tag and check it out detached, which
 * moves no branch.
 */
function pinStep(
  clone: string,
  release: { branch: string; defaultBranch: boolean; tag: string },
): { command: string; note?: string } {
  const pin = "codegen update_pyproject --release";
  const { branch, tag } = release;
  if (release.defaultBranch) {
    return {
      command: `git -C ${clone} checkout ${branch} && ` +
        `git -C ${clone} pull --ff-only origin ${branch} && ${pin}`,
    };
  }
  return {
    command:
      `git -C ${clone} fetch origin tag ${tag} && git -C ${clone} checkout --detach ${tag} ` +
      `&& ${pin}`,
    note: `(this detaches the clone's HEAD at ${tag} and moves none of its branches; ` +
      `git -C ${clone} checkout - goes back)`,
  };
}
