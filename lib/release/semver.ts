/**
 * Release versions: `X.Y.Z` with an optional pre-release suffix (`1.3.0-beta.1`, or PEP 440's
 * `1.3.0rc1`), and the next version after one.
 *
 * Automatic bumps follow the change level: breaking → major (minor while 0.x, as
 * release-please's `bump-minor-pre-major` does), features → minor, anything else → patch.
 */
import { usageError } from "../core/errors.ts";
import type { ChangeLevel } from "../github/changes.ts";

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** What follows X.Y.Z ("-beta.1", "rc1"); "" for a final release. */
  suffix: string;
}

export type BumpKind = "major" | "minor" | "patch" | "auto";
export const BUMP_KINDS: readonly BumpKind[] = ["major", "minor", "patch", "auto"];

const VERSION =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)((?:[-.]?[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?)$/;

export function parseVersion(text: string): Version | undefined {
  const match = VERSION.exec(text.trim());
  if (!match) return undefined;
  return { major: +match[1], minor: +match[2], patch: +match[3], suffix: match[4] };
}

/** Parses a version or throws a usage error naming where it came from. */
export function requireVersion(text: string, source: string): Version {
  const version = parseVersion(text);
  if (!version) {
    throw usageError(
      `${source} ${JSON.stringify(text)} is not a version of the form X.Y.Z`,
      "Use three numbers, optionally with a pre-release suffix: 1.4.0, 2.0.0-beta.1, 2.0.0rc1.",
    );
  }
  return version;
}

export function formatVersion(version: Version): string {
  return `${version.major}.${version.minor}.${version.patch}${version.suffix}`;
}

/** Negative, zero or positive, as `a` is lower, equal or higher than `b`. */
export function compareVersions(a: Version, b: Version): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return core;
  if (a.suffix === b.suffix) return 0;
  if (!a.suffix) return 1; // a final release is above its pre-releases
  if (!b.suffix) return -1;
  return a.suffix < b.suffix ? -1 : 1;
}

/** The next version of a kind; from a pre-release, the release it leads to (as npm's semver). */
export function bumpVersion(version: Version, kind: Exclude<BumpKind, "auto">): Version {
  const { major, minor, patch, suffix } = version;
  if (kind === "major") {
    return suffix && minor === 0 && patch === 0
      ? { major, minor: 0, patch: 0, suffix: "" }
      : { major: major + 1, minor: 0, patch: 0, suffix: "" };
  }
  if (kind === "minor") {
    return suffix && patch === 0
      ? { major, minor, patch: 0, suffix: "" }
      : { major, minor: minor + 1, patch: 0, suffix: "" };
  }
  return suffix
    ? { major, minor, patch, suffix: "" }
    : { major, minor, patch: patch + 1, suffix: "" };
}

/** The bump an automatic release makes for a change level. */
export function autoBump(version: Version, level: ChangeLevel): Exclude<BumpKind, "auto"> {
  if (level === "breaking") return version.major === 0 ? "minor" : "major";
  if (level === "feature") return "minor";
  return "patch";
}
