/**
 * `generate_code`: every configured SDK (python_output, node_output, typescript_output) generated
 * with the chosen generator, the result left on local `main` of each clone.
 *
 * Two steps, so that `all` can prepare in its check stage and generate in its generate stage:
 *   prepareGeneration  targets, generator, preflight, clones checked (main movable), spec present,
 *                      each clone's lock taken (not in a dry run)
 *   runGeneration      the generator run, each generated commit reviewed (lib/generate/review.ts:
 *                      SDK API report, --fail-on api-removals) before main moves to it;
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
import { getGenerator, targetClones } from "./registry.ts";
import { parseFailOn } from "./fail_on.ts";
import { GenerationReview } from "./review.ts";
import type { GenerateInput, GenerateOutput, Generator, SdkTarget } from "./types.ts";

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
  parseFailOn(settings.get("fail_on") ?? []); // a bad value is a usage error before any work
  const input: GenerateInput = {
    repoRoot,
    specPath: settings.get("openapi_output") ?? `${repoRoot}/tools/codegen/openapi.json`,
    stainlessConfigPath: settings.get("stainless_config") ??
      `${repoRoot}/tools/codegen/openapi.stainless.yml`,
    targets: [],
    settings,
    dryRun,
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
 * Runs the prepared generator: the generated code becomes local main of each clone, each commit
 * reviewed first (SDK API report; --fail-on api-removals stops the run before main moves).
 */
export async function runGeneration(prepared: PreparedGeneration): Promise<GenerateOutput> {
  const review = new GenerationReview(prepared.input.settings);
  const out = await prepared.generator.generate({
    ...prepared.input,
    review: (target, commit) => review.review(target, commit),
  });
  return {
    ...out,
    warnings: [...out.warnings, ...review.warnings],
    sdk_api: review.record(),
  };
}

/** What runGeneration would do (processes, API calls, ref moves); changes nothing. */
export async function planGeneration(prepared: PreparedGeneration): Promise<string[]> {
  return await prepared.generator.plan(prepared.input);
}

/**
 * Generates every configured SDK with the chosen generator and leaves the result on local `main`
 * of each clone; with dryRun, logs and returns the plan instead. Entry point for commands.
 */
export async function generateCode(options: GenerateCodeOptions): Promise<GenerateCodeResult> {
  const prepared = await prepareGeneration({ ...options, offerInit: true });
  try {
    if (!prepared.input.dryRun) return await runGeneration(prepared);
    const plan = await planGeneration(prepared);
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
