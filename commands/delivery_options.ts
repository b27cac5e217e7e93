/**
 * The options of one `open-pr` or `publish` run that are not configuration (commands/options.ts
 * spreads them into OPTIONS): the pull request's base, and what `publish` releases.
 */
import type { OptionDef } from "../lib/cli/command.ts";
import { BUMP_KINDS } from "../lib/release/bump_kind.ts";

export const DELIVERY_RUN_OPTIONS = {
  base: {
    flag: "--base",
    value: "branch",
    help: "branch the pull request merges into (default: the SDK repository's default branch)",
  },
  releaseBranch: {
    flag: "--branch",
    value: "branch",
    help:
      "branch to release from (default: the SDK repository's default branch); its last release is the highest tag it contains",
  },
  bump: {
    flag: "--bump",
    value: "kind",
    choices: BUMP_KINDS,
    help:
      "major, minor, patch, or auto (default): from the spec changes since the last release (breaking: major, minor while 0.x; additions: minor; else patch)",
  },
  releaseVersion: {
    flag: "--version",
    value: "X.Y.Z",
    help: "release exactly this version (never below the branch's last release)",
  },
  tagPrefix: {
    flag: "--tag-prefix",
    value: "prefix",
    help:
      "prefix of the release tags (python/ gives python/vX.Y.Z); default none, or <target>/ when one repository holds several targets",
  },
} as const satisfies Record<string, OptionDef>;
