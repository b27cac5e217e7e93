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
  input: Input<"bump" | "releaseVersion" | "tagPrefix" | "dryRun">,
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
  });
  for (const release of releases.filter((r) => r.action === "released")) {
    const target = targets.find((t) => t.target === release.target)!;
    const pull = `git -C ${clonePath(target)} pull --ff-only && codegen update_pyproject`;
    // `--release` pins [project].version of pyproject.toml: an SDK with its version only in
    // setup.py (openapi-python-client) is pinned by the release's commit instead.
    const bySetupPy = target.language === "python" &&
      !release.versionFiles?.includes("pyproject.toml");
    log.info(
      bySetupPy
        ? `to pin the release's commit in the trace repository: ${pull} (--release needs [project].version in pyproject.toml; this SDK has its version in ${
          release.versionFiles?.join(", ")
        })`
        : `to pin ${release.version} in the trace repository: ${pull} --release`,
    );
  }
  return { json: { dryRun, releases }, lines: releases.map(describePublishResult) };
}
