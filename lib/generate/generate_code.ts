/**
 * `generate_code`: every configured SDK with a clone (the `targets` map, python_output,
 * node_output, typescript_output), each with its own generator, the result left on local `main`
 * of each clone.
 *
 * Two steps, so that `all` can prepare in its check stage and generate in its generate stage:
 *   prepareGeneration  targets, their generators (grouped: one backend per generator and argv;
 *                      a generator that cannot produce a target is a configuration error),
 *                      preflight, endpoint groups, clones checked (main movable), spec present,
 *                      each clone's lock taken (not in a dry run)
 *   runGeneration      targets up to date with their inputs left as they are (provenance.ts;
 *                      not with --regenerate), each generator run for the others (each tree
 *                      stamped), each generated commit reviewed (review.ts: SDK API report,
 *                      --fail-on api-removals, then --fail-on warnings) before main moves to it;
 *                      planGeneration says what it would do instead
 * `generateCode` is both, for the `generate_code` command.
 */
import { CodegenError, usageError } from "../core/errors.ts";
import { exists } from "../core/fs.ts";
import type { Settings } from "../config/settings.ts";
import { CONFIG_KEYS } from "../config/keys.ts";
import { specPathHint } from "../config/input_hints.ts";
import type { SdkTarget } from "../config/structured_keys.ts";
import { resolveTargets, splitTargets, type TargetSpec } from "../config/targets.ts";
import { log } from "../core/log.ts";
import { type CheckedClone, ensureClone, lockClones } from "../git/clone.ts";
import { assertMainMovable } from "../git/main_branch.ts";
import type { StampInputs } from "../provenance/stamp.ts";
import { generatorsFor, inputReaders } from "./registry.ts";
import { GenerationReview } from "./review.ts";
import type { GenerateInput, GenerateOutput, GenerationTarget, TargetClone } from "./types.ts";
import { parseFailOn } from "./fail_on.ts";
import { GeneratorWarnings } from "./warnings.ts";
import { checkGroupsMatch, selectedGroups } from "./endpoint_groups.ts";
import {
  freshnessOf,
  type GenerationLookahead,
  type GeneratorGroup,
  logSkipped,
  lookAhead,
  stampInputsFor,
} from "./provenance.ts";

/** The keys naming SDK clones, in the order their flags are listed. */
const OUTPUT_KEYS = ["python_output", "node_output", "typescript_output"] as const;

export interface PrepareGenerationOptions {
  settings: Settings;
  repoRoot: string;
  /** The targets (default: the configured ones that have a clone, from the settings). */
  targets?: TargetSpec[];
  /** Prepare a plan only: no lock is taken, nothing is created. */
  dryRun?: boolean;
  /** `git init` missing clone directories. */
  init?: boolean;
  /** The command has an `--init` flag, named in the error for a missing clone. */
  offerInit?: boolean;
  /**
   * The spec must exist now (default). `all` passes false: its spec stage writes the spec after
   * the check stage prepared the generation.
   */
  requireSpec?: boolean;
  /** `--all-groups`: every endpoint group, whatever `groups` says. */
  allGroups?: boolean;
  /**
   * Every target of the run (`all`: the clones and the vendored ones), for the warnings about
   * the prepared inputs, which name the targets that read them; default: `targets`.
   */
  runTargets?: readonly TargetSpec[];
}

/** A generation checked and ready to run: every clone checked and (unless a dry run) locked. */
export interface PreparedGeneration {
  /** Each backend with its targets. */
  readonly groups: GeneratorGroup[];
  /** What the generators are given; each target's clone is its checked top level. */
  readonly input: GenerateInput;
  /** Each target's clone as ensureClone accepted it (later stages take it without checking again). */
  readonly clones: Partial<Record<SdkTarget, CheckedClone>>;
  /** Gives up the clone locks taken by prepareGeneration (none in a dry run). Safe to call twice. */
  release(): Promise<void>;
}

/** "openapi-python-client", or "openapi-python-client (python), stainful (typescript)". */
export function generatorNames(groups: readonly GeneratorGroup<GenerationTarget>[]): string {
  if (groups.length === 1) return groups[0].generator.name;
  return groups.map((g) => `${g.generator.name} (${g.targets.map((t) => t.target).join(", ")})`)
    .join(", ");
}

export interface GenerateCodeOptions extends PrepareGenerationOptions {
  /** Report what would happen (processes, API calls, ref updates) without changing anything. */
  dryRun?: boolean;
  /** Generate even when local main is up to date with the inputs (`--regenerate`). */
  regenerate?: boolean;
}

/** The result of `generate_code`; with dryRun, `plan` says what a real run would do. */
export interface GenerateCodeResult extends GenerateOutput {
  plan?: string[];
}

/**
 * What every generation of a run shares (clones or vendoring): the spec and config paths, the
 * settings, the endpoint groups, the warnings list.
 */
export function baseInput(
  settings: Settings,
  repoRoot: string,
  options: { dryRun: boolean; allGroups?: boolean; runTargets: readonly TargetSpec[] },
): GenerateInput<never> {
  // A bad fail_on value is a usage error before any work.
  const failOn = parseFailOn(settings.get("fail_on") ?? [], settings.origin("fail_on"));
  return {
    repoRoot,
    specPath: settings.get("openapi_output") ?? `${repoRoot}/tools/codegen/openapi.json`,
    stainlessConfigPath: settings.get("stainless_config") ??
      `${repoRoot}/tools/codegen/openapi.stainless.yml`,
    targets: [],
    settings,
    dryRun: options.dryRun,
    groups: selectedGroups(settings, options.allGroups),
    readers: inputReaders(options.runTargets),
    warnings: new GeneratorWarnings(failOn.warnings),
  };
}

/** Everything a generation needs that can fail cheaply, checked before anything slow starts. */
export async function prepareGeneration(
  options: PrepareGenerationOptions,
): Promise<PreparedGeneration> {
  const { settings, repoRoot } = options;
  const dryRun = options.dryRun ?? false;
  const specs = options.targets ?? splitTargets(resolveTargets(settings)).clones;
  if (specs.length === 0) {
    const flags = OUTPUT_KEYS.map((key) => CONFIG_KEYS[key].flag).join(", ");
    const vendored = splitTargets(resolveTargets(settings)).vendored;
    // A clone key left at the template's placeholder counts as unset: say so, not "not given".
    const placeholder = OUTPUT_KEYS.map((key) => settings.placeholderNote(key)).find(Boolean);
    if (placeholder && !vendored.length) {
      throw usageError(
        `no SDK clone given: ${placeholder}`,
        `Replace it with the path of your clone of the SDK repository, or pass ${flags}.`,
      );
    }
    throw usageError(
      `no SDK clone given: generate_code needs at least one of ${flags}` +
        (vendored.length ? ` (vendored targets: ${vendored.map((t) => t.target).join(", ")})` : ""),
      vendored.length
        ? "Vendored targets are generated by `codegen vendor` (or `codegen all`)."
        : `Pass ${CONFIG_KEYS.python_output.flag} <clone of the Python SDK>, or set \`python_output:\` (or targets.<target>.output) in the config file.`,
    );
  }
  const base = baseInput(settings, repoRoot, {
    dryRun,
    allGroups: options.allGroups,
    runTargets: options.runTargets ?? specs,
  });
  const planned: TargetClone[] = specs.map((spec) => ({
    target: spec.target,
    spec,
    clone: spec.output ?? "",
    key: spec.outputKey,
    source: spec.origins.output ?? spec.outputKey,
  }));
  for (const target of planned) {
    if (!target.clone) {
      throw usageError(
        `the ${target.target} target has no SDK clone (${target.key})`,
        `Set targets.${target.target}.output (or ${target.target}_output), or vendor it with ` +
          `targets.${target.target}.vendor_dir.`,
      );
    }
  }
  const groups = await generatorsFor(planned, settings);
  sayDefaultGenerator(settings, specs);
  for (const group of groups) await group.generator.preflight({ ...base, targets: group.targets });
  if ((options.requireSpec ?? true) && !(await exists(base.specPath))) {
    throw new CodegenError(`OpenAPI spec not found: ${base.specPath}`, {
      hint: specPathHint(settings),
    });
  }
  await checkGroupsMatch(base.specPath, base.groups);
  const input: GenerateInput = { ...base, targets: [] };
  const clones: PreparedGeneration["clones"] = {};
  for (const target of planned) {
    const clone = await ensureClone(target.clone, {
      ...target,
      init: options.init,
      offerInit: options.offerInit,
      traceRepo: repoRoot,
      dryRun,
    });
    clones[target.target] = clone;
    // A dirty checked-out main is refused before anything is generated (or, in `all`, written).
    const main = clone.exists ? await assertMainMovable(clone.path, target.target) : undefined;
    const checked = { ...target, clone: clone.path, main };
    input.targets.push(checked);
    const group = groups.find((g) => g.targets.includes(target))!;
    group.targets[group.targets.indexOf(target)] = checked;
  }
  log.verbose(
    `generators ${generatorNames(groups)}; targets ${
      input.targets.map((t) => `${t.target} -> ${t.clone}`).join(", ")
    }`,
  );
  // One run at a time moves a clone's main. A dry run changes nothing and takes no lock; nor can
  // it lock a clone it would create.
  const release = dryRun ? async () => {} : await lockClones(input.targets.map((t) => t.clone));
  return { groups, input, clones, release };
}

export interface RunGenerationOptions {
  /** Generate even the targets whose main is up to date (`--regenerate`). */
  regenerate?: boolean;
  /** The skip decision's reads, started earlier (`all`: during the spec stage). */
  ahead?: Promise<GenerationLookahead>;
  /**
   * The caller's own check (`all --release`) of each generated commit, after the review, and of
   * the tip of each up-to-date main, before anything is generated: either way before main moves.
   */
  review?: (target: SdkTarget, commit: string) => Promise<void>;
}

/** Starts the skip decision's reads (see provenance.ts); pass the promise to runGeneration. */
export function lookAheadGeneration(prepared: PreparedGeneration): Promise<GenerationLookahead> {
  return lookAhead(prepared.groups, prepared.input);
}

/**
 * Without a configured generator, says which one the run picked and why (once per run: for the
 * targets that use the `generator` key's).
 */
export function sayDefaultGenerator(settings: Settings, specs: readonly TargetSpec[]): void {
  if (settings.source("generator") !== "default") return;
  if (specs.every((spec) => spec.origins.generator)) return;
  log.info(
    `generator: ${settings.get("generator")} (none configured, and ${
      settings.origin("generator")
    }); choose one with --generator or \`generator:\` in ${settings.configPath}`,
  );
}

/**
 * Runs the prepared generators: the generated code, with its origin stamp, becomes local main of
 * each clone. Targets whose main is up to date with the inputs are skipped first (provenance.ts)
 * unless `regenerate`: their result has `skipped` with the reason, and they get no review (only
 * the caller's check, before any generation). Every other target's commit is reviewed before main
 * moves (SDK API report, --fail-on api-removals, then --fail-on warnings).
 */
export async function runGeneration(
  prepared: PreparedGeneration,
  options: RunGenerationOptions = {},
): Promise<GenerateOutput> {
  const ahead = await (options.ahead ?? lookAheadGeneration(prepared));
  const stamps = await stampInputsFor(prepared.input, ahead);
  const warnings = prepared.input.warnings ?? new GeneratorWarnings();
  const review = new GenerationReview(prepared.input.settings);
  const input: GenerateInput = {
    ...prepared.input,
    stamps,
    warnings,
    review: async (target, commit) => {
      await review.review(target, commit);
      warnings.assertNone(`Local main of ${target.clone} did not move.`);
      await options.review?.(target.target, commit);
    },
  };
  if (options.regenerate) log.verbose("--regenerate: generating whether or not main is up to date");
  if (input.settings.get("strict_config")) {
    // Whatever the skip decision (strict_config.ts).
    await (await import("./strict_config.ts")).assertNoConfigDrift(input, stamps);
  }
  const skipped = options.regenerate ? {} : await upToDateTargets(input, ahead, stamps);
  for (const target of input.targets) if (skipped[target.target]) review.skipped(target);
  for (const [target, result] of Object.entries(skipped)) {
    if (result?.commit) await options.review?.(target as SdkTarget, result.commit);
  }
  const output: GenerateOutput = {
    generator: generatorNames(prepared.groups),
    targets: {},
  };
  for (const { generator, targets } of prepared.groups) {
    const remaining = targets.filter((t) => !skipped[t.target]);
    for (const t of targets) {
      if (skipped[t.target]) skipped[t.target]!.generator = generator.name;
    }
    if (remaining.length === 0) continue;
    const generated = await generator.generate({ ...input, targets: remaining });
    if (generated.buildId) output.buildId = generated.buildId;
    for (const [target, result] of Object.entries(generated.targets)) {
      if (result) output.targets[target as SdkTarget] = { ...result, generator: generator.name };
    }
  }
  const summary = warnings.summary();
  if (summary) log.warn(`${summary} (listed above)`);
  return {
    ...output,
    targets: { ...skipped, ...output.targets },
    // A copy: `all` shares the list with the vendor stage, whose warnings are its own.
    warnings: [...warnings.list],
    sdk_api: review.record(),
  };
}

/** The targets whose main is up to date with `stamps` (logged), as results; the others logged. */
async function upToDateTargets(
  input: GenerateInput,
  ahead: GenerationLookahead,
  stamps: Partial<Record<SdkTarget, StampInputs>>,
): Promise<GenerateOutput["targets"]> {
  const skipped: GenerateOutput["targets"] = {};
  const warnings = input.warnings ?? new GeneratorWarnings();
  const fresh = await freshnessOf(input, ahead, stamps);
  for (const target of input.targets) {
    const state = fresh[target.target];
    if (!state?.upToDate) {
      if (state) log.info(`${target.target}: generating: ${state.reason}`);
      continue;
    }
    logSkipped(target, state.reason, warnings.fail);
    const tip = ahead.mains[target.target]?.commit;
    skipped[target.target] = {
      clone: target.clone,
      commit: tip,
      previous: tip,
      changed: false,
      skipped: state.reason,
    };
  }
  return skipped;
}

export interface PlanGenerationOptions extends RunGenerationOptions {
  /**
   * The spec on disk is the one the run generates from (default: generate_code), so the skip
   * can be decided now. `all` passes false: its spec stage writes a new one first.
   */
  specFinal?: boolean;
}

/** What runGeneration would do (processes, API calls, ref moves); changes nothing. */
export async function planGeneration(
  prepared: PreparedGeneration,
  options: PlanGenerationOptions = {},
): Promise<string[]> {
  const { input } = prepared;
  const planAll = async (targets: (t: TargetClone) => boolean) => {
    const lines: string[] = [];
    for (const { generator, targets: mine } of prepared.groups) {
      const remaining = mine.filter(targets);
      if (remaining.length) lines.push(...await generator.plan({ ...input, targets: remaining }));
    }
    return lines;
  };
  if (options.regenerate) return await planAll(() => true);
  if (options.specFinal === false || !(await exists(input.specPath))) {
    return [
      "run the generator only for targets whose local main is not up to date with the new inputs " +
      "(its stamp's inputs key differs, or its files were changed; --regenerate runs it anyway):",
      ...await planAll(() => true),
    ];
  }
  const ahead = await lookAheadGeneration(prepared);
  const stamps = await stampInputsFor(input, ahead);
  const freshness = await freshnessOf(input, ahead, stamps);
  const skipped = input.targets.filter((t) => freshness[t.target]?.upToDate).map((t) =>
    `leave ${t.target} main of ${t.clone} as it is: up to date (${freshness[t.target]?.reason})` +
    (t.target === "python" ? "; no SDK API report (no new SDK to compare)" : "")
  );
  return [...skipped, ...await planAll((t) => !freshness[t.target]?.upToDate)];
}

/**
 * Generates every configured SDK with the chosen generator and leaves the result on local `main`
 * of each clone; with dryRun, logs and returns the plan instead. Entry point for commands.
 */
export async function generateCode(options: GenerateCodeOptions): Promise<GenerateCodeResult> {
  const prepared = await prepareGeneration({ ...options, offerInit: true });
  const run = { regenerate: options.regenerate };
  try {
    if (!prepared.input.dryRun) return await runGeneration(prepared, run);
    const plan = await planGeneration(prepared, run);
    for (const line of plan) log.info(`[dry-run] would ${line}`);
    return {
      generator: generatorNames(prepared.groups),
      targets: Object.fromEntries(
        prepared.groups.flatMap(({ generator, targets }) =>
          targets.map((
            t,
          ) => [t.target, { clone: t.clone, generator: generator.name, changed: false }])
        ),
      ),
      warnings: [],
      plan,
    };
  } finally {
    await prepared.release();
  }
}
