/**
 * Checks of `all` that are about combinations of settings and results rather than one stage:
 * `--release` with a generator whose SDK has no version (refused in the check stage, before
 * anything is generated), and a pin of a commit that no remote has (said in the summary and JSON).
 */
import { usageError } from "../core/errors.ts";
import { gitOutput, short } from "../git/git.ts";
import type { Settings } from "../config/settings.ts";
import { resolveTargets } from "../config/targets.ts";
import { COMMAND_PRESETS } from "../generate/presets.ts";

/** What a release check needs of a generator (a Generator, or a preset named at a prompt). */
interface VersionedGenerator {
  name: string;
  /** Why its Python SDK has no `[project].version` (Generator.versionless). */
  versionless?: string;
}

/** Where the two settings of the combination come from, for the way out. */
export interface ReleaseOrigins {
  /** `--release`, `CODEGEN_RELEASE`, `<file>:<line>`: whoever set release in this run. */
  release?: string;
  /** The config file line that sets release too (also when a flag overrides it). */
  releaseInFile?: string;
  /** Who set the generator ("--generator", "<file>:<line>", "prompt"; a default: undefined). */
  generator?: string;
}

/**
 * Why `--release` cannot pin the SDK `generator` writes (undefined: it can): it writes no
 * `[project].version`, and the SDK clone does not keep its own pyproject.toml (`preserve:
 * [pyproject.toml]`, docs/all.md).
 */
export function releaseBlocker(
  generator: VersionedGenerator,
  preserve: readonly string[],
): string | undefined {
  if (!generator.versionless) return undefined;
  if (preserve.some((path) => path.replace(/^\.?\//, "") === "pyproject.toml")) return undefined;
  return generator.versionless;
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
 * `--release` pins `[project].version` of the generated SDK: refused when it will have none
 * (releaseBlocker). The hint names where each setting comes from, so that it stays right after a
 * first run saved them in the config file.
 */
export function checkReleasable(
  generator: VersionedGenerator,
  release: boolean,
  preserve: readonly string[],
  origins: ReleaseOrigins = {},
): void {
  if (!release) return;
  const why = releaseBlocker(generator, preserve);
  if (!why) return;
  const by = origins.generator === "prompt"
    ? "chosen at the prompt"
    : `set by ${origins.generator}`;
  const chosen = origins.generator ? ` instead of ${generator.name}, ${by}` : "";
  throw usageError(
    `--release pins the [project].version of the generated SDK, but ${generator.name} generates none: ${why}`,
    `Pin the generated commit instead (${dropRelease(origins)}); or keep the SDK's own ` +
      "pyproject.toml with its version (--preserve pyproject.toml); or choose a generator whose " +
      `SDK has [project].version (--generator stainful or stainless${chosen}).`,
  );
}

/** The Python target's release check, from the settings alone (before anything is saved). */
export function checkSettingsReleasable(settings: Settings): void {
  const release = settings.get("release") ?? false;
  if (!release) return;
  for (const target of resolveTargets(settings)) {
    if (target.pin !== "pyproject" || target.vendorDir) continue;
    const generator = {
      name: target.generator,
      versionless: COMMAND_PRESETS[target.generator]?.versionless,
    };
    checkReleasable(generator, release, target.preserve, releaseOrigins(settings, target));
  }
}

/** Why the generator `name`, if chosen at the prompt, would fail this run's --release. */
export function releaseProblem(name: string, settings: Settings): string | undefined {
  if (!settings.get("release")) return undefined;
  const python = resolveTargets(settings).find((t) => t.target === "python");
  const why = releaseBlocker(
    { name, versionless: COMMAND_PRESETS[name]?.versionless },
    python?.preserve ?? [],
  );
  return why && `not with --release: its SDK has no [project].version (${why})`;
}

/** The origins checkReleasable names, for a target of these settings. */
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
export async function onSomeRemote(repo: string, commit: string): Promise<boolean> {
  const refs = await gitOutput(repo, [
    "for-each-ref",
    "--contains",
    commit,
    "--format=%(refname)",
    "refs/remotes/",
  ]);
  return refs.trim() !== "";
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
