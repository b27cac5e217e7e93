/**
 * `generate_code`: every configured SDK (python_output, node_output, typescript_output) generated
 * with the chosen generator, the result left on local `main` of each clone.
 *
 * Two steps, so that `all` can prepare in its check stage and generate in its generate stage:
 *   prepareGeneration  targets, generator, preflight, clones checked (main movable), spec present,
 *                      each clone's lock taken (not in a dry run)
 *   runGeneration      the generator run; planGeneration says what it would do instead
 * `generateCode` is both, for the `generate_code` command.
 */
import { CodegenError, usageError } from "../core/errors.ts";
import { exists } from "../core/fs.ts";
import type { Settings } from "../config/settings.ts";
import { log } from "../core/log.ts";
import { type CheckedClone, ensureClone, lockClones } from "../git/clone.ts";
import { assertMainMovable } from "../git/main_branch.ts";
import { getGenerator, targetClones } from "./registry.ts";
import type { GenerateInput, GenerateOutput, Generator, SdkTarget } from "./types.ts";

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
    throw usageError(
      "no SDK clone given: generate_code needs at least one of --python-path, --node-path, --typescript-path",
      "Pass --python-path <clone of the Python SDK>, or set `python_output:` in the config file.",
    );
  }
  const generator = await getGenerator(options.generator ?? settings.get("generator"), settings);
  if (!options.generator) sayDefaultGenerator(settings);
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

/** Runs the prepared generator: the generated code becomes local main of each clone. */
export async function runGeneration(prepared: PreparedGeneration): Promise<GenerateOutput> {
  return await prepared.generator.generate(prepared.input);
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
      plan,
    };
  } finally {
    await prepared.release();
  }
}
