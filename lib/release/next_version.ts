/**
 * Which version `publish` releases: `--version` wins (it may not go below the files' version or
 * the branch's last release); `--bump major|minor|patch` bumps; `auto` releases a version that is
 * in the files but was never released (tagged nowhere on origin) as it is, else bumps by the spec
 * changes since the last release (semver.ts autoBump). Bumps start from the higher of the files'
 * version and the branch's last release, so files that lag behind hand-made tags never make a
 * release go backwards. The last release is the branch's (origin.ts lastReleaseOn), not origin's
 * highest tag: a maintenance branch releases 1.0.1 after main released 2.0.0.
 */
import { usageError } from "../core/errors.ts";
import { type ChangeLevel, changeLevel, type SpecChanges } from "../github/changes.ts";
import type { BumpKind } from "./bump_kind.ts";
import {
  autoBump,
  bumpVersion,
  compareVersions,
  formatVersion,
  parseVersion,
  requireVersion,
} from "./semver.ts";

/** A release tag found on origin. */
export interface ReleaseTag {
  tag: string;
  version: string;
  commit: string;
}

/** Spec changes between the last release (undefined: none yet) and the commit to release. */
export type SpecChangesSince = (
  lastRelease: ReleaseTag | undefined,
  commit: string,
) => Promise<SpecChanges | undefined>;

export interface VersionRequest {
  /** An explicit X.Y.Z (`--version`); wins over `bump`. */
  version?: string;
  /** Default "auto". */
  bump?: BumpKind;
  specChanges?: SpecChangesSince;
  /** Every release tag on origin, on any branch: a version tagged anywhere was released. */
  tags?: ReleaseTag[];
}

/** How the version was chosen. */
export interface BumpInfo {
  kind: BumpKind | "version";
  level?: ChangeLevel;
  reason: string;
}

export interface Decision {
  version: string;
  reason: string;
  bump: BumpInfo;
  changes?: SpecChanges;
}

export async function decideVersion(
  options: VersionRequest,
  currentText: string,
  last: ReleaseTag | undefined,
  tip: string,
): Promise<Decision> {
  const current = requireVersion(currentText, "the SDK's version");
  const released = last ? parseVersion(last.version)! : undefined;
  // Bumps start from the higher of the files' version and the last release.
  const from = released && compareVersions(released, current) > 0 ? released : current;
  const changes = await options.specChanges?.(last, tip);
  if (options.version) {
    const wanted = requireVersion(options.version, "--version");
    if (compareVersions(wanted, from) < 0) {
      throw usageError(
        `--version ${options.version} is below ${formatVersion(from)} (${
          from === current ? "the version in the SDK's files" : `the last release, ${last!.tag}`
        })`,
        "Versions only go up: pass a higher one, or --bump.",
      );
    }
    const reason = "--version";
    return { version: formatVersion(wanted), reason, bump: { kind: "version", reason }, changes };
  }
  const kind = options.bump ?? "auto";
  if (kind !== "auto") {
    const reason = `--bump ${kind}`;
    return {
      version: formatVersion(bumpVersion(from, kind)),
      reason,
      bump: { kind, reason },
      changes,
    };
  }
  const taggedAnywhere =
    options.tags?.some((t) => compareVersions(parseVersion(t.version)!, current) === 0) ?? false;
  if (
    from === current && (!released || compareVersions(current, released) > 0) && !taggedAnywhere
  ) {
    const reason = `${currentText} is in the version files and was never released`;
    return { version: currentText, reason, bump: { kind, reason }, changes };
  }
  const level = changes ? changeLevel(changes) : "fix";
  const step = autoBump(from, level);
  const why = changes
    ? {
      breaking: "breaking API changes",
      feature: "API additions",
      fix: "compatible API changes",
      chore: "no API change",
    }[level]
    : "no spec diff available";
  const reason = `${step} for ${why}${level === "breaking" && step === "minor" ? " (0.x)" : ""}`;
  return {
    version: formatVersion(bumpVersion(from, step)),
    reason,
    bump: { kind, level, reason },
    changes,
  };
}
