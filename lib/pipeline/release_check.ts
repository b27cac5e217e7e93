/**
 * `--release` pins `PACKAGE==<version>`, the version read from the generated SDK (sdk_version.ts:
 * `[project].version` of pyproject.toml, else a literal `version=` of setup.py; `"version"` of
 * package.json for TypeScript). Whether a generator writes one is known only once it has run.
 * The generate stage first reads it from the tip of each target's main that is up to date,
 * before anything is generated: a versionless up-to-date target stops the run before any main
 * moves. A generated target is checked on its generated commit just before its own main moves
 * to it, one target after the other: a versionless one stops the run there, nothing pushed or
 * pinned, but the local main of a target handled before it (command generators and the hosted
 * build's `land` alike) may already have moved. The merge or pin stage reads the version again
 * from the commit it pins.
 */
import type { Settings } from "../config/settings.ts";
import { NoSdkVersionError } from "../pin/sdk_version.ts";
import { releaseVersion } from "../pin/target_pin.ts";
import type { PreparedGeneration } from "../generate/generate_code.ts";
import type { TargetPublish } from "./check_stage.ts";
import { noReleaseVersion, releaseOrigins } from "./checks.ts";

/** Reads the release version of `target` at `commit`; throws when it has none. */
export type ReleaseCheck = (target: string, commit: string) => Promise<void>;

/** The check for this run's targets (a no-op for a target without a release pin). */
export function releaseCheck(
  settings: Settings,
  generation: PreparedGeneration,
  publish: readonly TargetPublish[],
): ReleaseCheck {
  return async (target, commit) => {
    const published = publish.find((p) => p.target === target);
    if (!published) return;
    const { pin, sdkRepo } = published.kind === "merge" ? published.merge : published;
    if (!pin.release) return;
    try {
      await releaseVersion(pin, sdkRepo, commit);
    } catch (error) {
      if (!(error instanceof NoSdkVersionError)) throw error;
      const group = generation.groups.find((g) => g.targets.some((t) => t.target === target));
      const spec = group?.targets.find((t) => t.target === target)?.spec;
      throw noReleaseVersion(
        group?.generator.name ?? settings.get("generator") ?? "the generator",
        error,
        spec ? releaseOrigins(settings, spec) : {},
        pin.kind === "package_json" ? "package_json" : "python",
      );
    }
  };
}
