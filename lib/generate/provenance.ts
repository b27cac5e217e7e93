/**
 * Provenance in the generate step: the origin stamp's inputs of each target, the decision to skip
 * a target whose local main is up to date, and the stamp each backend writes into the tree it
 * commits. The stamp itself (format, tree hash, comparison) is lib/provenance/.
 *
 * Skip rule: a target is not generated when the inputs key of this run equals the `inputs` of
 * the stamp on its clone's local main and main's files are intact (their tree hash equals the
 * stamp's `tree`). `--regenerate` generates anyway.
 */
import { CodegenError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { readTextFile } from "../core/fs.ts";
import { basename } from "../core/paths.ts";
import { which } from "../os/process.ts";
import { git, resolveCommit } from "../git/git.ts";
import { MAIN_REF } from "../git/main_branch.ts";
import { commitFilesOnTop, treeWithFiles } from "../git/commit_files.ts";
import { generatorVersion } from "../provenance/generator_version.ts";
import {
  type ConfigHashes,
  hashConfigFile,
  hashSpecFile,
  stampInputs,
} from "../provenance/inputs.ts";
import {
  type GeneratorIdentity,
  renderStamp,
  sha256Ref,
  SPEC_COPY_PATH,
  STAMP_PATH,
  type StampInputs,
} from "../provenance/stamp.ts";
import { generatedTreeHash, keptPathsOf } from "../provenance/tree.ts";
import {
  type Freshness,
  freshness,
  readStampedCommit,
  type StampedCommit,
} from "../provenance/up_to_date.ts";
import type { Settings } from "../config/settings.ts";
import { packageNameFor, toolDirs } from "./command/argv.ts";
import { describeJunk, junkIn } from "./hygiene.ts";
import type { SdkTarget } from "../config/structured_keys.ts";
import type {
  CommandPreset,
  GenerateInput,
  GenerationTarget,
  Generator,
  TargetClone,
} from "./types.ts";

/**
 * What the skip decision needs besides the spec, read ahead (in `all`: while the spec stage waits
 * for the trace server): each target's generator identity and its main's stamp and tree hash, and
 * the config's hash. Pure reads; local main cannot move meanwhile (the clones are locked).
 */
export interface GenerationLookahead {
  config: ConfigHashes;
  identities: Partial<Record<SdkTarget, GeneratorIdentity>>;
  mains: Partial<Record<SdkTarget, StampedCommit>>;
}

/** The backends of a generation, each with its targets (lib/generate/registry.ts). */
export interface GeneratorGroup<T extends GenerationTarget = TargetClone> {
  generator: Generator;
  targets: T[];
}

export async function lookAhead(
  groups: readonly GeneratorGroup[],
  input: GenerateInput,
): Promise<GenerationLookahead> {
  const identities: GenerationLookahead["identities"] = {};
  const mains: GenerationLookahead["mains"] = {};
  const pairs = groups.flatMap(({ generator, targets }) => targets.map((t) => ({ generator, t })));
  const [config] = await Promise.all([
    hashConfigFile(input.repoRoot, input.stainlessConfigPath),
    ...pairs.map(async ({ generator, t }) => {
      identities[t.target] = await generator.identity(t, input);
    }),
    ...pairs.map(async ({ generator, t }) => {
      const main = t.main ? t.main.tip : await resolveCommit(t.clone, MAIN_REF);
      mains[t.target] = await readStampedCommit(t.clone, main, generator.keptPaths(t));
    }),
  ]);
  return { config, identities, mains };
}

/** The stamp inputs of every target, from the lookahead and the spec as it is now. */
export async function stampInputsFor(
  input: GenerateInput<GenerationTarget>,
  ahead: Pick<GenerationLookahead, "config" | "identities">,
): Promise<Partial<Record<SdkTarget, StampInputs>>> {
  const hashes = { spec: await hashSpecFile(input.repoRoot, input.specPath), ...ahead.config };
  const stamps: Partial<Record<SdkTarget, StampInputs>> = {};
  for (const target of input.targets) {
    const identity = ahead.identities[target.target];
    if (identity) {
      stamps[target.target] = stampInputs(hashes, target.target, identity, input.groups ?? null);
    }
  }
  return stamps;
}

/** Each target's freshness: is local main up to date with `stamps`? */
export async function freshnessOf(
  input: GenerateInput,
  ahead: GenerationLookahead,
  stamps: Partial<Record<SdkTarget, StampInputs>>,
): Promise<Partial<Record<SdkTarget, Freshness>>> {
  const result: Partial<Record<SdkTarget, Freshness>> = {};
  for (const target of input.targets) {
    const inputs = stamps[target.target];
    const main = ahead.mains[target.target];
    if (inputs && main) result[target.target] = await freshness(main, inputs);
  }
  return result;
}

/**
 * The files staged last into a tree about to be committed (`stagedTree`: its files without them):
 * the stamp, and beside it the exact bytes of the spec it was generated from (the committed file,
 * which lib/delivery reads for pull requests and releases). None without stamp inputs.
 */
export async function stampFilesFor(
  target: TargetClone,
  input: GenerateInput,
  stagedTree: string,
  kept: readonly string[],
): Promise<Record<string, string | Uint8Array>> {
  const inputs = input.stamps?.[target.target];
  if (!inputs) return {};
  const [tree, spec] = await Promise.all([
    generatedTreeHash(target.clone, stagedTree, kept),
    Deno.readFile(input.specPath),
  ]);
  // The stamp says which spec bytes it was made from: the copy must be those bytes.
  if ((await sha256Ref(spec)) !== inputs.spec.sha256) {
    throw new CodegenError(`${input.specPath} changed while the SDK was being generated`, {
      hint: `Run again once nothing writes the spec. The clone ${target.clone} was not changed.`,
    });
  }
  return { [STAMP_PATH]: await renderStamp(inputs, tree), [SPEC_COPY_PATH]: spec };
}

/**
 * The hosted backend's commit with the stamp: the fetched commit plus `.codegen/origin.json` and
 * the spec copy, without the bytecode and caches it may hold (hygiene.ts: never committed from
 * any generator's output), one commit on top of it (plumbing only). The stamp's tree hash is of
 * the tree without them. The current main is reused when it already is that commit.
 */
export async function stampFetchedCommit(
  target: TargetClone,
  input: GenerateInput,
  fetched: string,
  buildId: string,
): Promise<string> {
  const listing = await git(target.clone, ["ls-tree", "-r", "-z", "--name-only", fetched], {
    what: `list the files of the generated commit ${fetched}`,
  });
  const junk = junkIn(listing.stdout.split("\0").filter(Boolean));
  const clean = junk.length ? await treeWithFiles(target.clone, fetched, {}, junk) : fetched;
  const files = await stampFilesFor(target, input, clean, []);
  if (Object.keys(files).length === 0 && junk.length === 0) return fetched;
  if (junk.length) {
    log.info(
      `${target.target}: left out of the commit: ${junk.length} file(s) of bytecode and caches ` +
        `the build committed (${describeJunk(junk)})`,
    );
  }
  const message =
    `Add the codegen origin stamp\n\n${STAMP_PATH}: what Stainless build ${buildId} ` +
    `was generated from; ${SPEC_COPY_PATH}: that spec.` +
    (junk.length ? `\nLeft out (bytecode and caches): ${describeJunk(junk, 20)}.` : "") + "\n";
  return await commitFilesOnTop(target.clone, fetched, files, message, target.main?.tip, junk);
}

/** The environment a local generator runs with: its own directory, the project's tools first. */
export function generatorPath(executable: string): string {
  const toolDir = executable.includes("/")
    ? executable.slice(0, executable.lastIndexOf("/"))
    : undefined;
  return [toolDir, ...toolDirs(), Deno.env.get("PATH") ?? ""].filter(Boolean).join(":");
}

/**
 * A local generator's identity for `target`: its version (asked with the preset's version
 * arguments, when the argv runs the preset's own executable; a dry run does not write the version
 * cache), its argv template, the hash of the generator config it is given, the package name, the
 * hooks and the paths kept from main.
 *
 * The package name is recorded whenever it can be told, not only when the argv uses `{package}`:
 * a `post_generate` hook (`npm pkg set name={package}`), the preset's generator config and the
 * vendoring rewrites use it too, and a name that changes must regenerate.
 */
export async function commandIdentity(
  preset: CommandPreset,
  target: GenerationTarget,
  input: GenerateInput<GenerationTarget>,
  template: readonly string[],
): Promise<GeneratorIdentity> {
  const text = template.join(" ");
  const ownExecutable = (preset.argv[target.target] ?? preset.argv[target.spec.language])?.[0];
  const executable = which(template[0], toolDirs());
  let version: string | null = null;
  if (preset.versionArgs && executable && basename(template[0]) === ownExecutable) {
    version = await generatorVersion([executable, ...preset.versionArgs], {
      env: { PATH: generatorPath(executable) },
      write: !input.dryRun,
    });
  }
  const needsPackage =
    [text, ...target.spec.postGenerate.flat()].some((arg) => arg.includes("{package}")) ||
    (text.includes("{generator_config}") && preset.generatorConfig !== undefined) ||
    target.spec.vendorDir !== undefined;
  const packageName = needsPackage
    ? await packageNameFor(target, input)
    : await packageNameIfKnown(target, input);
  // A vendored copy keeps nothing from a clone's main: `preserve` does not apply to it.
  const kept = target.spec.vendorDir === undefined ? keptPathsOf(target.spec.preserve) : [];
  return {
    generator: preset.name,
    generator_version: version,
    generator_command: [...template],
    generator_config: text.includes("{generator_config}")
      ? await generatorConfigHash(preset, target, packageName ?? "")
      : null,
    package_name: packageName,
    post_generate: target.spec.postGenerate,
    ...(kept.length ? { preserve: kept } : {}),
  };
}

/** The package name when the settings or the Stainless config tell it; null when they do not. */
async function packageNameIfKnown(
  target: GenerationTarget,
  input: GenerateInput<GenerationTarget>,
): Promise<string | null> {
  try {
    return await packageNameFor(target, input);
  } catch (error) {
    // Nothing of this generation uses it (see commandIdentity): unknown is fine.
    if (!(error instanceof CodegenError)) throw error;
    return null;
  }
}

/** sha256 of the generator config a local generator gets: the user's file, else the preset's. */
async function generatorConfigHash(
  preset: CommandPreset,
  target: GenerationTarget,
  packageName: string,
): Promise<GeneratorIdentity["generator_config"]> {
  const file = target.spec.generatorConfig;
  if (file) {
    return await sha256Ref(
      await readTextFile(file, "generator config", "Check --generator-config (generator_config)."),
    );
  }
  const builtIn = preset.generatorConfig?.(packageName);
  return builtIn ? await sha256Ref(builtIn.content) : null;
}

/**
 * The hosted generator's identity: what can honestly be said of it. The service does not report
 * its generator version, so the stamp names the project and branch whose generator runs; a
 * Stainless-side upgrade is therefore not seen (`--regenerate` forces a build).
 */
export function hostedIdentity(settings: Settings): GeneratorIdentity {
  const project = settings.get("stainless_project") ?? "weave";
  const branch = settings.get("stainless_branch") ?? "main";
  return {
    generator: "stainless",
    generator_version: `hosted: project ${project}, branch ${branch}`,
    generator_command: null,
    generator_config: null,
    package_name: null,
    post_generate: null, // Stainless commits the tree: no hook runs (a warning says so)
  };
}

/**
 * Logs a target left as it is. `failOnWarnings`: the run has `--fail-on warnings`, which applies
 * only to what runs: the warnings of the target's last generation are not looked at again.
 */
export function logSkipped(target: GenerationTarget, reason: string, failOnWarnings = false): void {
  log.success(
    `${target.target}: up to date, not regenerated: ${reason}` +
      (failOnWarnings
        ? " (--fail-on warnings: the warnings of its last generation are not re-checked; " +
          "--regenerate re-checks them)"
        : ""),
  );
}
