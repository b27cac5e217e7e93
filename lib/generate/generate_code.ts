/**
 * `generate_code`: every configured SDK (python_output, node_output, typescript_output) generated
 * with the chosen generator, the result left on local `main` of each clone.
 *
 * Two steps, so that `all` can prepare in its check stage and generate in its generate stage:
 *   prepareGeneration  targets, generator, preflight, clones checked (main movable), spec present,
 *                      each clone's lock taken (not in a dry run)
 *   runGeneration      targets up to date with their inputs left as they are (provenance.ts;
 *                      not with --regenerate), the generator run for the others (each tree
 *                      stamped), each generated commit reviewed (review.ts: SDK API report,
 *                      --fail-on api-removals, then --fail-on warnings) before main moves to it;
 *                      planGeneration says what it would do instead
 * `generateCode` is both, for the `generate_code` command.
 */
import { CodegenError, usageError } from "../core/errors.ts";
import { exists } from "../core/fs.ts";
import type { Settings } from "../config/settings.ts";
import { CONFIG_KEYS } from "../config/keys.ts";
import { log } from "../core/log.ts";
import { type CheckedClone, ensureClone, lockClones } from "../git/clone.ts";
import { assertMainMovable } from "../git/main_branch.ts";
import type { StampInputs } from "../provenance/stamp.ts";
import { getGenerator, targetClones } from "./registry.ts";
import { GenerationReview } from "./review.ts";
import type { GenerateInput, GenerateOutput, Generator, SdkTarget } from "./types.ts";
import { parseFailOn } from "./fail_on.ts";
import { GeneratorWarnings } from "./warnings.ts";
import {
  freshnessOf,
  type GenerationLookahead,
  logSkipped,
  lookAhead,
  stampInputsFor,
} from "./provenance.ts";

/** The keys naming SDK clones, in the order their flags are listed. */
const OUTPUT_KEYS = ["python_output", "node_output", "typescript_output"] as const;

export interface PrepareGenerationOptions {
  settings: Settings;
  repoRoot: string;
  /** Overrides the `generator` setting. */
  generator?: string;
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
}

/** A generation checked and ready to run: every clone checked and (unless a dry run) locked. */
export interface PreparedGeneration {
  readonly generator: Generator;
  /** What the generator is given; each target's clone is its checked top level. */
  readonly input: GenerateInput;
  /** Each target's clone as ensureClone accepted it (later stages take it without checking again). */
  readonly clones: Partial<Record<SdkTarget, CheckedClone>>;
  /** Gives up the clone locks taken by prepareGeneration (none in a dry run). Safe to call twice. */
  release(): Promise<void>;
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

/** Everything a generation needs that can fail cheaply, checked before anything slow starts. */
export async function prepareGeneration(
  options: PrepareGenerationOptions,
): Promise<PreparedGeneration> {
  const { settings, repoRoot } = options;
  const dryRun = options.dryRun ?? false;
  const targets = targetClones(settings);
  if (targets.length === 0) {
    const flags = OUTPUT_KEYS.map((key) => CONFIG_KEYS[key].flag).join(", ");
    throw usageError(
      `no SDK clone given: generate_code needs at least one of ${flags}`,
      `Pass ${CONFIG_KEYS.python_output.flag} <clone of the Python SDK>, or set \`python_output:\` in the config file.`,
    );
  }
  const generator = await getGenerator(options.generator ?? settings.get("generator"), settings);
  if (!options.generator) sayDefaultGenerator(settings);
  // A bad fail_on value is a usage error before any work.
  const failOn = parseFailOn(settings.get("fail_on") ?? [], settings.origin("fail_on"));
  const input: GenerateInput = {
    repoRoot,
    specPath: settings.get("openapi_output") ?? `${repoRoot}/tools/codegen/openapi.json`,
    stainlessConfigPath: settings.get("stainless_config") ??
      `${repoRoot}/tools/codegen/openapi.stainless.yml`,
    targets: [],
    settings,
    dryRun,
    warnings: new GeneratorWarnings(failOn.warnings),
  };
  await generator.preflight({ ...input, targets });
  if ((options.requireSpec ?? true) && !(await exists(input.specPath))) {
    throw new CodegenError(`OpenAPI spec not found: ${input.specPath}`, {
      hint: "Run `codegen get_openapi_spec` first, or pass --openapi-output with the spec's path.",
    });
  }
  const clones: PreparedGeneration["clones"] = {};
  for (const target of targets) {
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
    input.targets.push({ ...target, clone: clone.path, main });
  }
  log.verbose(
    `generator ${generator.name}; targets ${
      input.targets.map((t) => `${t.target} -> ${t.clone}`).join(", ")
    }`,
  );
  // One run at a time moves a clone's main. A dry run changes nothing and takes no lock; nor can
  // it lock a clone it would create.
  const release = dryRun ? async () => {} : await lockClones(input.targets.map((t) => t.clone));
  return { generator, input, clones, release };
}

export interface RunGenerationOptions {
  /** Generate even the targets whose main is up to date (`--regenerate`). */
  regenerate?: boolean;
  /** The skip decision's reads, started earlier (`all`: during the spec stage). */
  ahead?: Promise<GenerationLookahead>;
}

/** Starts the skip decision's reads (see provenance.ts); pass the promise to runGeneration. */
export function lookAheadGeneration(prepared: PreparedGeneration): Promise<GenerationLookahead> {
  return lookAhead(prepared.generator, prepared.input);
}

/** Without a configured generator, says which one the run picked and why. */
function sayDefaultGenerator(settings: Settings): void {
  if (settings.source("generator") !== "default") return;
  log.info(
    `generator: ${settings.get("generator")} (none configured, and ${
      settings.origin("generator")
    }); choose one with --generator or \`generator:\` in ${settings.configPath}`,
  );
}

/**
 * Runs the prepared generator: the generated code, with its origin stamp, becomes local main of
 * each clone. Targets whose main is up to date with the inputs are skipped first (provenance.ts)
 * unless `regenerate`: their result has `skipped` with the reason, and they get no review. Every
 * other target's commit is reviewed before main moves (SDK API report, --fail-on api-removals,
 * then --fail-on warnings).
 */
export async function runGeneration(
  prepared: PreparedGeneration,
  options: RunGenerationOptions = {},
): Promise<GenerateOutput> {
  const { generator } = prepared;
  const ahead = await (options.ahead ?? lookAheadGeneration(prepared));
  const stamps = await stampInputsFor(prepared.input, ahead);
  const warnings = prepared.input.warnings ?? new GeneratorWarnings();
  const review = new GenerationReview(prepared.input.settings, warnings);
  const input: GenerateInput = {
    ...prepared.input,
    stamps,
    warnings,
    review: async (target, commit) => {
      await review.review(target, commit);
      warnings.assertNone(`Local main of ${target.clone} did not move.`);
    },
  };
  if (options.regenerate) log.verbose("--regenerate: generating whether or not main is up to date");
  const skipped = options.regenerate ? {} : await upToDateTargets(input, ahead, stamps);
  for (const target of input.targets) if (skipped[target.target]) review.skipped(target);
  const remaining = input.targets.filter((t) => !skipped[t.target]);
  const output: GenerateOutput = remaining.length > 0
    ? await generator.generate({ ...input, targets: remaining })
    : { generator: generator.name, targets: {} };
  const summary = warnings.summary();
  if (summary) log.warn(`${summary} (listed above)`);
  return {
    ...output,
    targets: { ...skipped, ...output.targets },
    warnings: warnings.list,
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
  const fresh = await freshnessOf(input, ahead, stamps);
  for (const target of input.targets) {
    const state = fresh[target.target];
    if (!state?.upToDate) {
      if (state) log.info(`${target.target}: generating: ${state.reason}`);
      continue;
    }
    logSkipped(target, state.reason);
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
  const { generator, input } = prepared;
  if (options.regenerate) return await generator.plan(input);
  if (options.specFinal === false || !(await exists(input.specPath))) {
    return [
      "run the generator only for targets whose local main is not up to date with the new inputs " +
      "(its stamp's inputs key differs, or its files were changed; --regenerate runs it anyway):",
      ...await generator.plan(input),
    ];
  }
  const ahead = await lookAhead(generator, input);
  const stamps = await stampInputsFor(input, ahead);
  const freshness = await freshnessOf(input, ahead, stamps);
  const remaining = input.targets.filter((t) => !freshness[t.target]?.upToDate);
  const skipped = input.targets.filter((t) => freshness[t.target]?.upToDate).map((t) =>
    `leave ${t.target} main of ${t.clone} as it is: up to date (${freshness[t.target]?.reason})` +
    (t.target === "python" ? "; no SDK API report (no new SDK to compare)" : "")
  );
  const planned = remaining.length ? await generator.plan({ ...input, targets: remaining }) : [];
  return [...skipped, ...planned];
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
      generator: prepared.generator.name,
      targets: Object.fromEntries(
        prepared.input.targets.map((t) => [t.target, { clone: t.clone, changed: false }]),
      ),
      warnings: [],
      plan,
    };
  } finally {
    await prepared.release();
  }
}
