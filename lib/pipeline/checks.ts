/**
 * Checks of `all` that are about combinations of settings and results rather than one stage:
 * `--release` with a generator that wrote an SDK without a version (refused in the generate stage,
 * before local main moves: release_check.ts), and a pin of a commit that no remote has (said in
 * the summary and JSON).
 */
import { type CodegenError, usageError } from "../core/errors.ts";
import { short } from "../git/git.ts";
import { onRemote } from "../git/remote_refs.ts";
import type { Settings } from "../config/settings.ts";

/** Where the two settings of the combination come from, for the way out. */
export interface ReleaseOrigins {
  /** `--release`, `CODEGEN_RELEASE`, `<file>:<line>`: whoever set release in this run. */
  release?: string;
  /** The config file line that sets release too (also when a flag overrides it). */
  releaseInFile?: string;
  /** Who set the generator ("--generator", "<file>:<line>", "prompt"; a default: undefined). */
  generator?: string;
}

/** How to stop asking for a release pin, from where `release` is set (each place named). */
function dropRelease(origins: ReleaseOrigins): string {
  const { release, releaseInFile } = origins;
  const ways: string[] = [];
  if (release?.startsWith("-")) ways.push(`drop ${release}`);
  else if (release && !release.includes(":")) ways.push(`unset ${release}`);
  if (releaseInFile) ways.push(`set \`release: false\` in ${releaseInFile}`);
  if (ways.length === 0) ways.push("drop --release");
  return `${ways.join(" and ")}, or pass --no-release`;
}

/**
 * `--release` pins the version of the generated SDK, but `generator` wrote a tree without one
 * (`cause`: sdk_version.ts says where it looked). Known only once the tree is generated: the
 * generate stage reads it before local main moves, so nothing is pushed or pinned. The hint names
 * where each setting comes from, so that it stays right after a first run saved them.
 */
export function noReleaseVersion(
  generator: string,
  cause: CodegenError,
  origins: ReleaseOrigins = {},
  versionFile: "python" | "package_json" = "python",
): CodegenError {
  const by = origins.generator === "prompt"
    ? "chosen at the prompt"
    : `set by ${origins.generator}`;
  const chosen = origins.generator ? ` (${generator} is ${by})` : "";
  const [write, own] = versionFile === "package_json"
    ? ['"version" in package.json', "package.json"]
    : ["[project].version in pyproject.toml or a literal version= in setup.py", "pyproject.toml"];
  return usageError(
    `--release pins the version of the generated SDK, but ${generator} wrote none: ` +
      cause.message,
    `Make the generator write ${write} (a post_generate hook can), or keep the SDK's own ${own} ` +
      `with its version (--preserve ${own}), or pin the generated commit instead (${
        dropRelease(origins)
      })${chosen}.`,
  );
}

/** The origins noReleaseVersion names, for a target of these settings. */
export function releaseOrigins(
  settings: Settings,
  target: { origins: { generator?: string } },
): ReleaseOrigins {
  const generator = target.origins.generator ?? settings.origin("generator");
  const inFile = settings.fileValue("release");
  return {
    release: settings.origin("release"),
    releaseInFile: inFile?.value === true ? inFile.origin : undefined,
    generator: settings.source("generator") === "default" && !target.origins.generator
      ? undefined
      : generator,
  };
}

/** Is `commit` in any remote-tracking branch of the clone (as far as its last fetch knows)? */
export function onSomeRemote(repo: string, commit: string): Promise<boolean> {
  return onRemote(repo, commit);
}

/** What to tell about a pinned commit that only the local clone has (`file` pins it). */
export function unpublishedPinWarning(
  repo: string,
  commit: string,
  file = "pyproject.toml",
): string {
  return `${file} pins ${short(commit)}, which is only in the local SDK clone ${repo} ` +
    `(--no-auto-merge pushes nothing): installing the trace repository fails until that commit ` +
    `is pushed; run without --no-auto-merge to push it to the mirror branch.`;
}
