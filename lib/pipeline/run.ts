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
 *             pushed or pinned; so does --release when the generated SDK has no version)
 *   vendor    the vendored targets (`vendor_dir`): generated into a temporary directory and
 *             copied into the trace repository, unless their copy is up to date (lib/generate/
 *             vendoring.ts; vendor_stage.ts); the Python copy's SDK API report (--fail-on
 *             api-removals fails before the swap); they have no clone, no mirror branch and no pin
 *   merge     push each target's code to its mirror branch weave/<trace branch>, pin that commit
 *             (pyproject.toml for Python, a package.json for TypeScript, or not at all)
 *   (or pin)  with --no-auto-merge: pin the local generated commit, push nothing
 *   pr        with --open-pr (after merge): open or update each mirror branch's pull request
 * Stages without a target to work on are left out (no generate, merge or pin stage when every
 * target is vendored; no vendor stage without a vendored target).
 *
 * One function per stage, each returning its typed output. The check stage prepares everything
 * once and hands it on (check_stage.ts); the trace server is started before it (early_spec.ts),
 * and what the later stages read is started during it (ahead.ts).
 *
 * With `release`, the pin is `PACKAGE==<version>`, the version being `[project].version` of the
 * generated tree's pyproject.toml, else the literal `version=` of its setup.py (after merge: of
 * the pushed commit). The generate stage reads it before local main moves (release_check.ts): a
 * tree without a version stops the run before anything is pushed. The mirror branch is pushed.
 *
 * The facts go into one `PipelineResult` (printed as a summary or as JSON). A failing stage
 * becomes a `PipelineError` that names it and lists what is done and what is not. With `dryRun`,
 * every stage describes what it would do (its plan) and nothing changes.
 */
import { log } from "../core/log.ts";
import { describeSpecPlan, getSpec } from "../spec/get_spec.ts";
import {
  generatorNames,
  planGeneration,
  type PreparedGeneration,
  runGeneration,
} from "../generate/generate_code.ts";
import type { VendorOutput } from "../generate/vendoring.ts";
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
import {
  type MergeRecord,
  type PipelineResult,
  planRecord,
  pushRecord,
  type TargetRecord,
} from "./report.ts";
import { type Staged, StageRunner } from "./stage_runner.ts";
import { PipelineError } from "./pipeline_error.ts";
import { lintAfterSpec, type LintPaths, lintRecord } from "./lint_steps.ts";
import type { Ahead } from "./ahead.ts";
import { type EarlySpec, specOptions, startSpecEarly } from "./early_spec.ts";
import { type Checked, checkStage, type PipelineOptions } from "./check_stage.ts";
import { splitTargets } from "../config/targets.ts";
import type { StageName } from "./report.ts";
import { mergeStage, pinStage, type TargetMerge, type TargetPin } from "./publish_stages.ts";
import { prStage } from "./pr_stage.ts";
import { vendor } from "./vendor_stage.ts";
import { type ReleaseCheck, releaseCheck } from "./release_check.ts";

function lintPaths(options: PipelineOptions): LintPaths {
  return {
    specPath: options.settings.get("openapi_output")!,
    configPath: options.settings.get("stainless_config")!,
    repoRoot: options.repoRoot,
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
  options: PipelineOptions,
  early: EarlySpec | undefined,
): Promise<Staged<SpecOut>> {
  const dryRun = options.dryRun ?? false;
  const { spec } = checked;
  const path = spec.outputFile;
  if (dryRun) {
    return {
      out: { spec: { path, written: false }, lint: checked.lint },
      did: `would write ${path}`,
      plan: describeSpecPlan(spec).map(lowerFirst),
    };
  }
  // Started before the check stage when the port was free (early_spec.ts); else started now.
  const reading = early?.previousSpec ?? specBeforeWrite(spec.repoRoot, path);
  const got = await (early?.fetched ?? getSpec({ ...spec, beforeWrite: () => reading }));
  const previous = await reading;
  for (const s of got.stopped) log.warn(`stopped pid ${s.pid} (${s.command}) to free the port`);
  const diff = await specChange(previous, got.document, path);
  for (const line of specChangeLines(diff)) log.info(line);
  const paths = lintPaths(options);
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
  releaseCheck: ReleaseCheck,
): Promise<Staged<GenerateOutput | undefined>> {
  const name = generatorNames(generation.groups);
  const regenerate = options.regenerate ?? false;
  if (generation.input.dryRun) {
    const plan = await planGeneration(generation, { regenerate, specFinal: false });
    return { out: undefined, did: `would run ${name}`, plan };
  }
  assertNotBreaking(diff, options.failOnBreaking ?? false, generation.input.specPath);
  const out = await runGeneration(generation, {
    regenerate,
    ahead: ahead?.generation,
    review: releaseCheck,
  });
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
  generation: PreparedGeneration,
  checked: Checked,
  options: PipelineOptions,
  spec: SpecOut,
  result: PipelineResult,
): Promise<GenerateOutput | undefined> {
  const check = releaseCheck(options.settings, generation, checked.publish);
  const stage = () => generateStage(generation, options, spec.diff, checked.ahead, check);
  try {
    return await runner.run("generate", stage);
  } catch (error) {
    const warnings = generation.input.warnings?.list ?? [];
    if (warnings.length) result.generate.warnings = warnings;
    if (error instanceof PipelineError && error.original instanceof ApiRemovalsError) {
      result.generate.sdk_api = error.original.record;
    }
    throw error;
  }
}

/** Stages 4 and 5: merge (then the pull requests), or pin. */
async function publish(
  runner: StageRunner,
  checked: Checked,
  generated: GenerateOutput | undefined,
  options: PipelineOptions,
): Promise<{ merges?: TargetMerge[]; pins?: TargetPin[]; prs?: PipelineResult["pullRequests"] }> {
  const { pr, ahead } = checked;
  const dryRun = options.dryRun ?? false;
  if (checked.publish.length === 0) return {};
  const merges = checked.publish.flatMap((p) => p.kind === "merge" ? [p] : []);
  if (merges.length > 0) {
    const done = await runner.run("merge", () => mergeStage(merges, dryRun, ahead?.remotes));
    const branch = merges[0].merge.traceBranch;
    const prs = pr ? await runner.run("pr", () => prStage(pr, branch)) : undefined;
    return { merges: done, prs };
  }
  const pins = checked.publish.flatMap((p) => p.kind === "pin" ? [p] : []);
  const sourceRef = options.settings.get("source_ref") ?? "main";
  return { pins: await runner.run("pin", () => pinStage(pins, generated, sourceRef, dryRun)) };
}

/** The targets' records, from what each stage did. */
function targetRecords(
  checked: Checked,
  generated: GenerateOutput | undefined,
  vendored: VendorOutput | undefined,
  published: Awaited<ReturnType<typeof publish>>,
  dryRun: boolean,
): PipelineResult["targets"] {
  const records: PipelineResult["targets"] = {};
  for (const group of checked.generation?.groups ?? []) {
    for (const t of group.targets) {
      const r = generated?.targets[t.target];
      const merge = published.merges?.find((m) => m.target === t.target);
      const pinned = published.pins?.find((p) => p.target === t.target)?.result;
      const pin = merge ? ("plan" in merge ? merge.plan.pin.result : merge.merged.pin) : pinned;
      records[t.target] = {
        kind: "clone",
        generator: group.generator.name,
        clone: t.clone,
        commit: r?.commit,
        state: stateOf(dryRun, r?.skipped, r?.changed),
        merge: merge && mergeRecord(merge),
        pin: pin && { ...pin, written: !dryRun && pin.changed },
      };
    }
  }
  for (const group of checked.vendoring?.groups ?? []) {
    for (const t of group.targets) {
      const v = vendored?.targets[t.target];
      records[t.target] = {
        kind: "vendored",
        generator: group.generator.name,
        vendor_dir: t.vendorDir,
        state: stateOf(dryRun, v?.skipped, v?.changed),
      };
    }
  }
  return records;
}

function stateOf(dryRun: boolean, skipped?: string, changed?: boolean): TargetRecord["state"] {
  return dryRun ? "planned" : skipped ? "up to date" : changed ? "updated" : "unchanged";
}

function mergeRecord(merge: TargetMerge): MergeRecord {
  return "plan" in merge ? planRecord(merge.plan) : pushRecord(merge.merged);
}

function initialResult(options: PipelineOptions): PipelineResult {
  const { settings } = options;
  const dryRun = options.dryRun ?? false;
  return {
    ok: true,
    dryRun,
    repoRoot: options.repoRoot,
    configWritten: settings.configWritten,
    autoMerge: settings.get("auto_merge") ?? true,
    release: settings.get("release") ?? false,
    spec: { path: settings.get("openapi_output")!, written: false },
    generate: { generator: settings.get("generator"), targets: {} },
    targets: {},
    stages: [],
    plan: dryRun ? [] : undefined,
    seconds: 0,
  };
}

/** The stages of a run: those with a target to work on. */
function stageNames(options: PipelineOptions, autoMerge: boolean): StageName[] {
  const { clones, vendored } = splitTargets(options.targets);
  const openPr = autoMerge && options.settings.get("open_pr");
  return [
    "check",
    "spec",
    ...(clones.length ? ["generate" as const] : []),
    ...(vendored.length ? ["vendor" as const] : []),
    ...(clones.length ? [autoMerge ? "merge" as const : "pin" as const] : []),
    ...(openPr && clones.length ? ["pr" as const] : []),
  ];
}

/**
 * Runs the stages. `early`: the spec stage's start, when the caller started it already (`all`
 * does, before loading this module); a run that is not a dry run starts it here otherwise.
 */
export async function runPipeline(
  options: PipelineOptions,
  early?: EarlySpec,
): Promise<PipelineResult> {
  const { settings } = options;
  const dryRun = options.dryRun ?? false;
  const result = initialResult(options);
  const runner = new StageRunner(stageNames(options, result.autoMerge), result);
  if (!dryRun) early ??= startSpecEarly(specOptions(settings, options.repoRoot, options.specMode));
  let checked: Checked;
  try {
    checked = await runner.run("check", () => checkStage(options, dryRun));
  } catch (error) {
    early?.cancel(error);
    throw error;
  }
  early?.open();
  result.lint = lintRecord(checked.lint);
  if (checked.generation) result.generate.generator = generatorNames(checked.generation.groups);
  let generated: GenerateOutput | undefined;
  let vendored: VendorOutput | undefined;
  let published: Awaited<ReturnType<typeof publish>> = {};
  const record = () => {
    result.targets = targetRecords(checked, generated, vendored, published, dryRun);
    const python = result.targets.python;
    const first = python?.kind === "clone" ? python : Object.values(result.targets)
      .find((t) => t?.kind === "clone");
    result.merge = first?.merge;
    const pin = python?.pin?.pyproject;
    result.pyproject = pin && { ...pin, written: !dryRun && pin.changed };
    if (published.prs) result.pullRequests = published.prs;
  };
  try {
    const spec = await runner.run("spec", () => specStage(checked, options, early));
    result.spec = spec.spec;
    result.lint = lintRecord(spec.lint);
    if (!dryRun) result.spec_diff = spec.diff ?? null;
    if (checked.generation) {
      generated = await generate(runner, checked.generation, checked, options, spec, result);
      if (generated) result.generate = generated;
    }
    if (checked.vendoring) {
      vendored = await vendor(runner, checked.vendoring, options, spec.diff, result);
      if (vendored) result.vendor = vendored;
    }
    record();
    published = await publish(runner, checked, generated, options);
    record();
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
