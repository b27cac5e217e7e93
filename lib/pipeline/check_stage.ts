/**
 * The check stage of `all`: everything the later stages need, resolved and checked once before
 * anything slow or irreversible starts, for every target: the targets with an SDK clone get
 * their generator (preflight, clones checked, main movable, locked), their merge or pin (the
 * pyproject.toml or package.json entry checked), their pull request (`open_pr`: token and
 * repository); vendored targets get their generator and destination checked. The Stainless config
 * is linted against the saved spec meanwhile, and the reads the later stages await are started
 * (ahead.ts). No later stage resolves any of it again; the locks are held to the end.
 */
import type { Settings } from "../config/settings.ts";
import { splitTargets, type TargetSpec } from "../config/targets.ts";
import type { GetSpecOptions, SpecMode } from "../spec/get_spec.ts";
import {
  generatorNames,
  type PreparedGeneration,
  prepareGeneration,
} from "../generate/generate_code.ts";
import { type PreparedVendoring, prepareVendoring } from "../generate/vendoring.ts";
import { packageNameFor } from "../generate/command/argv.ts";
import type { LintedFiles } from "../inputs/lint_files.ts";
import type { CheckedClone } from "../git/clone.ts";
import { type PreparedMerge, prepareMerge } from "../sync/prepare.ts";
import {
  type PreparedTargetPin,
  prepareTargetPin,
  type TargetPinOptions,
} from "../pin/target_pin.ts";
import type { Staged } from "./stage_runner.ts";
import { lintBeforeRun } from "./lint_steps.ts";
import { type Ahead, readAhead } from "./ahead.ts";
import { specOptions } from "./early_spec.ts";
import { assertOpenPrAllowed, type PreparedPr, preparePr } from "./pr_stage.ts";

export interface PipelineOptions {
  settings: Settings;
  repoRoot: string;
  /** The targets, resolved by the caller (requireTargets: required values asked for). */
  targets: TargetSpec[];
  /** Trace branch for the mirror branch name (default: checked-out branch, then CI variables). */
  traceBranch?: string;
  /** Replace commits that someone else pushed to the mirror branch (`--force`). */
  force?: boolean;
  /** Generate even when local main is up to date with the inputs (`--regenerate`). */
  regenerate?: boolean;
  /** Stop before generating when the new spec has breaking changes (`--fail-on-breaking`). */
  failOnBreaking?: boolean;
  /** `--all-groups`: every endpoint group. */
  allGroups?: boolean;
  /** `--url` / `--app`: the spec from a running server or the imported app, not a started one. */
  specMode?: SpecMode;
  dryRun?: boolean;
  /** `--base` of the pull request (`open_pr`). */
  prBase?: string;
  env?: Record<string, string | undefined>;
}

/** How one target's generated commit reaches the trace repository. */
export type TargetPublish =
  | { target: string; kind: "merge"; merge: PreparedMerge }
  | { target: string; kind: "pin"; pin: PreparedTargetPin; sdkRepo: string };

/** The check stage's output: everything the later stages need, resolved once. */
export interface Checked {
  spec: GetSpecOptions;
  /** The targets with an SDK clone (undefined when every target is vendored). */
  generation?: PreparedGeneration;
  /** The vendored targets (undefined when there is none). */
  vendoring?: PreparedVendoring;
  /** Per target with a clone: auto-merge (push, then pin) or the pin of the local commit. */
  publish: TargetPublish[];
  /** `open_pr`: the pull requests, checked before anything is pushed. */
  pr?: PreparedPr;
  /** The Stainless config linted against the saved spec (undefined: a file is missing). */
  lint?: LintedFiles;
  /** Reads for the later stages, started during this one (none in a dry run). */
  ahead?: Ahead;
  /** Gives up every lock the check took. */
  release(): Promise<void>;
}

/** Stage 1: generators, preflight, clones (checked, main movable, locked), lint, pins, pr. */
export async function checkStage(
  options: PipelineOptions,
  dryRun: boolean,
): Promise<Staged<Checked>> {
  const { settings, repoRoot } = options;
  assertOpenPrAllowed(settings);
  const { clones, vendored } = splitTargets(options.targets);
  const prepare = {
    settings,
    repoRoot,
    dryRun,
    requireSpec: false,
    allGroups: options.allGroups,
    runTargets: options.targets,
  };
  // The lint reads only the two files: it runs while the clones are checked.
  const [prepared, linted] = await Promise.allSettled([
    clones.length ? prepareGeneration({ ...prepare, targets: clones }) : undefined,
    lintBeforeRun({
      specPath: settings.get("openapi_output"),
      configPath: settings.get("stainless_config"),
      repoRoot,
    }),
  ]);
  if (prepared.status === "rejected") throw prepared.reason;
  const generation = prepared.value;
  const release = generation?.release ?? (async () => {});
  try {
    if (linted.status === "rejected") throw linted.reason;
    const vendoring = vendored.length
      ? await prepareVendoring({
        ...prepare,
        targets: vendored,
        warnings: generation?.input.warnings,
      })
      : undefined;
    const generationAhead = dryRun || !generation ? undefined : readAhead.generation(generation);
    const publish: TargetPublish[] = [];
    for (const { targets } of generation?.groups ?? []) {
      for (const target of targets) {
        const clone = generation!.clones[target.target]!;
        publish.push(await preparePublish(options, target.spec, clone, dryRun));
      }
    }
    const pr = settings.get("open_pr") && generation
      ? await preparePr({
        settings,
        repoRoot,
        targets: generation.input.targets.map((t) => ({
          spec: t.spec,
          clone: generation.clones[t.target]!,
        })),
        base: options.prBase,
        dryRun,
        env: options.env,
      })
      : undefined;
    const merges = publish.flatMap((p) => p.kind === "merge" ? [p] : []);
    const ahead = generationAhead
      ? {
        generation: generationAhead,
        remotes: Object.fromEntries(merges.map((m) => [m.target, readAhead.remote(m.merge)])),
      }
      : undefined;
    return {
      out: {
        spec: specOptions(settings, repoRoot, options.specMode),
        generation,
        vendoring,
        publish,
        pr,
        lint: linted.value,
        ahead,
        release,
      },
      did: describeChecked(generation, vendoring, merges),
    };
  } catch (error) {
    await release();
    throw error;
  }
}

function describeChecked(
  generation: PreparedGeneration | undefined,
  vendoring: PreparedVendoring | undefined,
  merges: { merge: PreparedMerge }[],
): string {
  const parts: string[] = [];
  if (generation) {
    const targets = generation.input.targets.map((t) => `${t.target} -> ${t.clone}`).join(", ");
    parts.push(`generator ${generatorNames(generation.groups)}; ${targets}`);
  }
  if (vendoring) {
    const targets = vendoring.input.targets.map((t) => `${t.target} -> ${t.vendorDir}`);
    parts.push(`vendored with ${generatorNames(vendoring.groups)}: ${targets.join(", ")}`);
  }
  const branch = merges[0]?.merge.traceBranch;
  return parts.join("; ") + (branch ? `; trace branch ${branch}` : "");
}

/** How a target is pinned: its pin kind, with the settings' pyproject.toml for Python. */
export async function targetPinOptions(
  settings: Settings,
  spec: TargetSpec,
): Promise<TargetPinOptions> {
  const release = settings.get("release") ?? false;
  const cloneSetting = { cloneKey: spec.outputKey, cloneSource: spec.origins.output };
  switch (spec.pin) {
    case "pyproject":
      return {
        kind: "pyproject",
        ...cloneSetting,
        pyprojectPath: settings.get("pyproject")!,
        packageName: spec.packageName!,
        extra: settings.get("pyproject_extra"),
        release,
      };
    case "package_json":
      return {
        kind: "package_json",
        ...cloneSetting,
        packageJsonPath: spec.packageJson!,
        packageName: await packageNameFor(
          { target: spec.target, spec },
          { stainlessConfigPath: settings.get("stainless_config")! },
        ),
        release,
      };
    case "none":
      return { kind: "none" };
  }
}

/** The merge (auto-merge) or the pin, prepared on the clone the generation checked and locked. */
async function preparePublish(
  options: PipelineOptions,
  spec: TargetSpec,
  clone: CheckedClone,
  dryRun: boolean,
): Promise<TargetPublish> {
  const { settings } = options;
  const pin = await targetPinOptions(settings, spec);
  if (!(settings.get("auto_merge") ?? true)) {
    return {
      target: spec.target,
      kind: "pin",
      pin: await prepareTargetPin(pin, clone),
      sdkRepo: clone.path,
    };
  }
  return {
    target: spec.target,
    kind: "merge",
    merge: await prepareMerge({
      sdkRepo: clone,
      target: spec.target,
      cloneKey: spec.outputKey,
      pin,
      traceRepo: options.repoRoot,
      traceBranch: options.traceBranch,
      env: options.env,
      mirrorPrefix: settings.get("mirror_branch_prefix"),
      sourceRef: settings.get("source_ref"),
      specPath: settings.get("openapi_output"),
      force: options.force,
      dryRun,
    }),
  };
}
