/**
 * Release versions: `X.Y.Z` with an optional SemVer pre-release and build metadata
 * (`1.3.0-beta.1`, `1.3.0+build.5`), or a PEP 440 pre-release (`1.3.0rc1`, `2.0.0b2`, `1.0.0a1`,
 * the form Python SDKs often use); and the next version after one.
 *
 * Precedence is SemVer 2.0's (§11), by npm's `semver` package: pre-release identifiers compare one
 * by one, numeric ones as numbers (`beta.9` < `beta.10`), numeric below alphanumeric (`1` <
 * `alpha`), and build metadata is ignored. A PEP 440 pre-release compares as the SemVer one it
 * stands for (`rc10` as `rc.10`, so after `rc9`, as PEP 440 orders them). PEP 440's post- and
 * dev-releases (`1.3.0.post1`) have no SemVer equivalent and are refused.
 *
 * Automatic bumps follow the change level: breaking → major (minor while 0.x, as
 * release-please's `bump-minor-pre-major` does), features → minor, anything else → patch.
 */
// @ts-types="@types/semver"
import { compare, inc, valid } from "semver";
import { usageError } from "../core/errors.ts";
import type { ChangeLevel } from "../github/changes.ts";
import type { BumpKind } from "./bump_kind.ts";

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** What follows X.Y.Z as written ("-beta.1", "rc1", "+build.5"); "" for X.Y.Z alone. */
  suffix: string;
  /** A pre-release (build metadata alone does not make one). */
  prerelease: boolean;
  /** The version in SemVer's syntax (`1.3.0rc1` → `1.3.0-rc.1`): what precedence compares. */
  semver: string;
}

const CORE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(.*)$/s;
/** PEP 440's normalized pre-release segment. */
const PEP440_PRE = /^(a|b|rc)(0|[1-9]\d*)$/;

export function parseVersion(text: string): Version | undefined {
  const match = CORE.exec(text.trim());
  if (!match) return undefined;
  const [, major, minor, patch, suffix] = match;
  const core = `${major}.${minor}.${patch}`;
  const pep440 = PEP440_PRE.exec(suffix);
  const semver = pep440 ? `${core}-${pep440[1]}.${pep440[2]}` : valid(core + suffix);
  if (!semver) return undefined;
  return {
    major: +major,
    minor: +minor,
    patch: +patch,
    suffix,
    prerelease: pep440 !== null || suffix.startsWith("-"),
    semver,
  };
}

/** Parses a version or throws a usage error naming where it came from. */
export function requireVersion(text: string, source: string): Version {
  const version = parseVersion(text);
  if (!version) {
    throw usageError(
      `${source} ${JSON.stringify(text)} is not a version of the form X.Y.Z`,
      "Use three numbers, optionally with a SemVer pre-release or build metadata (1.4.0, " +
        "2.0.0-beta.1, 2.0.0+build.5) or a PEP 440 pre-release (2.0.0rc1, 2.0.0b2).",
    );
  }
  return version;
}

export function formatVersion(version: Version): string {
  return `${version.major}.${version.minor}.${version.patch}${version.suffix}`;
}

/** Negative, zero or positive, as `a` is lower, equal or higher than `b` (SemVer precedence). */
export function compareVersions(a: Version, b: Version): number {
  return compare(a.semver, b.semver);
}

/** The next version of a kind; from a pre-release, the release it leads to (npm's `semver.inc`). */
export function bumpVersion(version: Version, kind: Exclude<BumpKind, "auto">): Version {
  return parseVersion(inc(version.semver, kind)!)!;
}

/** The bump an automatic release makes for a change level. */
export function autoBump(version: Version, level: ChangeLevel): Exclude<BumpKind, "auto"> {
  if (level === "breaking") return version.major === 0 ? "minor" : "major";
  if (level === "feature") return "minor";
  return "patch";
}
