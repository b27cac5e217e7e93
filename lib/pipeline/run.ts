/**
 * `all`: the whole pipeline in one run.
 *
 *   check     configuration, generator, SDK clones, pyproject.toml, trace branch, pull request
 *             settings; the Stainless config linted against the saved spec (check_stage.ts)
 *   spec      start the trace server (with the check stage when its port is free), save its
 *             OpenAPI spec, compare it with the previous one (--fail-on-breaking), lint again
 *   generate  unless every target is up to date with its origin stamp (then "skipped"; not with
 *             --regenerate): run the generator; the generated code, stamped, becomes local `main`
 *             of each SDK clone once reviewed (SDK API report; --fail-on api-removals and
 *             --fail-on warnings fail here, before main moves and so before anything is merged,
 *             pushed or pinned)
 *   merge     push it to the mirror branch weave/<trace branch>, pin pyproject.toml to that commit
 *   (or pin)  with --no-auto-merge: pin pyproject.toml to the local generated commit, push nothing
 *   pr        with --open-pr (after merge): open or update the mirror branch's pull request
 *
 * One function per stage, each returning its typed output. The check stage prepares everything
 * once and hands it on (check_stage.ts); what the later stages read is started early (ahead.ts).
 *
 * With `release`, the pin is `PACKAGE==<version>`, the version being `[project].version` of the
 * generated tree (after merge: of the pushed commit). The mirror branch is still pushed.
 *
 * The facts go into one `PipelineResult` (printed as a summary or as JSON). A failing stage
 * becomes a `PipelineError` that names it and lists what is done and what is not. With `dryRun`,
 * every stage describes what it would do (its plan) and nothing changes.
 */
import { log } from "../core/log.ts";
import { describeSpecPlan, getSpec } from "../spec/get_spec.ts";
import {
  planGeneration,
  type PreparedGeneration,
  runGeneration,
} from "../generate/generate_code.ts";
import type { GenerateOutput } from "../generate/types.ts";
import { ApiRemovalsError } from "../generate/review.ts";
import { short } from "../git/git.ts";
import type { LintedFiles } from "../inputs/lint_files.ts";
import type { SpecDiff } from "../spec/diff.ts";
import {
  assertNotBreaking,
  specBeforeWrite,
  specChange,
  specChangeLines,
} from "../spec/spec_change.ts";
import { type PipelineResult, planRecord, pushRecord } from "./report.ts";
import { PipelineError, type Staged, StageRunner } from "./stage_runner.ts";
import { lintAfterSpec, type LintPaths, lintRecord } from "./lint_steps.ts";
import { type Ahead, type EarlySpec, startSpecEarly } from "./ahead.ts";
import { type Checked, checkStage, type PipelineOptions, specOptions } from "./check_stage.ts";
import { mergeStage, pinStage } from "./publish_stages.ts";
import { prStage } from "./pr_stage.ts";

function lintPaths(generation: PreparedGeneration): LintPaths {
  return {
    specPath: generation.input.specPath,
    configPath: generation.input.stainlessConfigPath,
    repoRoot: generation.input.repoRoot,
  };
}

/** What the spec stage found: the spec written, and how it differs from the one it replaced. */
interface SpecOut {
  spec: PipelineResult["spec"];
  /** Undefined in a dry run and on a first run (no previous spec). */
  diff?: SpecDiff;
  /** The lint that holds for the new spec. */
  lint?: LintedFiles;
}

/**
 * Stage 2: the spec from the trace server, written to its file, compared with the previous one;
 * the config is linted again when the spec is not the one the check stage linted.
 */
async function specStage(
  checked: Checked,
  dryRun: boolean,
  early: EarlySpec | undefined,
): Promise<Staged<SpecOut>> {
  const { spec } = checked;
  const path = spec.outputFile;
  if (dryRun) {
    return {
      out: { spec: { path, written: false }, lint: checked.lint },
      did: `would write ${path}`,
      plan: describeSpecPlan(spec).map(lowerFirst),
    };
  }
  // Started with the check stage when the port was free (ahead.ts); else started now.
  const reading = early?.previousSpec ?? specBeforeWrite(spec.repoRoot, path);
  const got = await (early?.fetched ?? getSpec({ ...spec, beforeWrite: () => reading }));
  const previous = await reading;
  for (const s of got.stopped) log.warn(`stopped pid ${s.pid} (${s.command}) to free the port`);
  const diff = await specChange(previous, got.document, path);
  for (const line of specChangeLines(diff)) log.info(line);
  const paths = lintPaths(checked.generation);
  const lint = await lintAfterSpec(checked.lint, paths, got.summary.sha256);
  return {
    out: { spec: { path, written: true, ...got.summary }, diff, lint },
    did: `wrote ${path}: ${got.summary.operations} operations, sha256 ${short(got.summary.sha256)}`,
  };
}

/**
 * Stage 3: the prepared generator run (dry run: its plan; the generator is not run at all), unless
 * every target is up to date (then the stage is "skipped"). With --fail-on-breaking, a breaking
 * spec change stops it before anything is generated.
 */
async function generateStage(
  generation: PreparedGeneration,
  options: PipelineOptions,
  diff: SpecDiff | undefined,
  ahead: Ahead | undefined,
): Promise<Staged<GenerateOutput | undefined>> {
  const name = generation.generator.name;
  const regenerate = options.regenerate ?? false;
  if (generation.input.dryRun) {
    const plan = await planGeneration(generation, { regenerate, specFinal: false });
    return { out: undefined, did: `would run ${name}`, plan };
  }
  assertNotBreaking(diff, options.failOnBreaking ?? false, generation.input.specPath);
  const out = await runGeneration(generation, { regenerate, ahead: ahead?.generation });
  const results = Object.entries(out.targets);
  const did = results.map(([t, r]) =>
    `${t} main ${short(r?.commit) ?? "-"}${
      r?.skipped ? " (up to date)" : r?.changed ? " (updated)" : ""
    }`
  ).join(", ");
  const warnings = out.warnings?.length ? `; ${out.warnings.length} warning(s)` : "";
  const allSkipped = results.length > 0 && results.every(([, r]) => r?.skipped);
  return {
    out,
    did: `${did || "nothing generated"}${warnings}`,
    skipped: allSkipped
      ? `up to date: ${results.map(([, r]) => r?.skipped).join("; ")}`
      : undefined,
  };
}

/**
 * The generate stage, run; when it fails, what it found still goes into the result (`--json`):
 * the warnings so far, and the SDK API report that --fail-on api-removals stopped the run on.
 */
async function generate(
  runner: StageRunner,
  checked: Checked,
  options: PipelineOptions,
  spec: SpecOut,
  result: PipelineResult,
): Promise<GenerateOutput | undefined> {
  const stage = () => generateStage(checked.generation, options, spec.diff, checked.ahead);
  try {
    return await runner.run("generate", stage);
  } catch (error) {
    const warnings = checked.generation.input.warnings?.list ?? [];
    if (warnings.length) result.generate.warnings = warnings;
    if (error instanceof PipelineError && error.original instanceof ApiRemovalsError) {
      result.generate.sdk_api = error.original.record;
    }
    throw error;
  }
}

/** Stages 4 and 5: merge (then the pull request), or pin. */
async function publish(
  runner: StageRunner,
  checked: Checked,
  generated: GenerateOutput | undefined,
  options: PipelineOptions,
  result: PipelineResult,
): Promise<void> {
  const { publish, pr, ahead } = checked;
  const dryRun = options.dryRun ?? false;
  if (publish.kind === "merge") {
    const merge = await runner.run(
      "merge",
      () => mergeStage(publish.merge, dryRun, ahead?.remote),
    );
    result.merge = "plan" in merge ? planRecord(merge.plan) : pushRecord(merge.merged);
    const pin = "plan" in merge ? merge.plan.pin.result : merge.merged.pin;
    result.pyproject = { ...pin, written: !dryRun && pin.changed };
    if (pr) {
      result.pullRequests = await runner.run("pr", () => prStage(pr, publish.merge.traceBranch));
    }
    return;
  }
  const sourceRef = options.settings.get("source_ref") ?? "main";
  const pin = await runner.run("pin", () => pinStage(publish.pin, generated, sourceRef, dryRun));
  result.pyproject = { ...pin, written: !dryRun && pin.changed };
}

function initialResult(options: PipelineOptions): PipelineResult {
  const { settings } = options;
  const dryRun = options.dryRun ?? false;
  return {
    ok: true,
    dryRun,
    repoRoot: options.repoRoot,
    autoMerge: settings.get("auto_merge") ?? true,
    release: settings.get("release") ?? false,
    spec: { path: settings.get("openapi_output")!, written: false },
    generate: { generator: settings.get("generator"), targets: {} },
    stages: [],
    plan: dryRun ? [] : undefined,
    seconds: 0,
  };
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const { settings } = options;
  const dryRun = options.dryRun ?? false;
  const result = initialResult(options);
  const openPr = result.autoMerge && settings.get("open_pr");
  const runner = new StageRunner(
    [
      "check",
      "spec",
      "generate",
      result.autoMerge ? "merge" : "pin",
      ...(openPr ? ["pr" as const] : []),
    ],
    result,
  );
  const early = dryRun ? undefined : startSpecEarly(specOptions(settings, options.repoRoot));
  let checked: Checked;
  try {
    checked = await runner.run("check", () => checkStage(options, dryRun));
  } catch (error) {
    early?.cancel(error);
    throw error;
  }
  early?.open();
  result.lint = lintRecord(checked.lint);
  try {
    const spec = await runner.run("spec", () => specStage(checked, dryRun, early));
    result.spec = spec.spec;
    result.lint = lintRecord(spec.lint);
    if (!dryRun) result.spec_diff = spec.diff ?? null;
    const generated = await generate(runner, checked, options, spec, result);
    if (generated) result.generate = generated;
    await publish(runner, checked, generated, options, result);
    runner.finish();
    return result;
  } finally {
    await checked.release();
  }
}

/** "Run `x`" -> "run `x`", but "GET /x" stays. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
