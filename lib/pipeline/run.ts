/**
 * `all`: the whole pipeline in one run.
 *
 *   check     configuration, generator, SDK clones, pyproject.toml, trace branch (nothing slow yet)
 *   spec      start the trace server, save its OpenAPI spec
 *   generate  run the generator; the generated code becomes local `main` of each SDK clone
 *   merge     push it to the mirror branch weave/<trace branch>, pin pyproject.toml to that commit
 *   (or pin)  with --no-auto-merge: pin pyproject.toml to the local generated commit, push nothing
 *
 * One function per stage, each returning its typed output. The check stage prepares everything
 * once (generator, preflight, clones and their locks, trace branch, pin) and hands it on: no later
 * stage resolves any of it again. The locks are held from the check through the merge (or pin).
 *
 * With `release`, the pin is `PACKAGE==<version>`, the version being `[project].version` of the
 * generated tree (after merge: of the pushed commit). The mirror branch is still pushed.
 *
 * The facts go into one `PipelineResult` (printed as a summary or as JSON). A failing stage
 * becomes a `PipelineError` that names it and lists what is done and what is not. With `dryRun`,
 * every stage describes what it would do (its plan) and nothing changes.
 */
import { CodegenError } from "../core/errors.ts";
import type { Settings } from "../config/settings.ts";
import { log } from "../core/log.ts";
import { describeSpecPlan, getSpec, type GetSpecOptions } from "../spec/get_spec.ts";
import {
  planGeneration,
  type PreparedGeneration,
  prepareGeneration,
  runGeneration,
} from "../generate/generate_code.ts";
import type { GenerateOutput } from "../generate/types.ts";
import { type PreparedMerge, prepareMerge } from "../sync/prepare.ts";
import { type FetchedRemote, runMerge } from "../sync/mirror.ts";
import { planMerge } from "../sync/mirror_plan.ts";
import { GENERATED_VERSION, type MergePlan, type MergeResult } from "../sync/types.ts";
import {
  type PinResult,
  type PinSpec,
  type PreparedPin,
  preparePin,
  sdkVersion,
  writePin,
} from "../pin/pin.ts";
import { resolveCommit, short } from "../git/git.ts";
import { formatMergePlan, type PipelineResult, planRecord, pushRecord } from "./report.ts";
import { type Staged, StageRunner } from "./stage_runner.ts";
import type { LintedFiles } from "../inputs/lint_files.ts";
import type { SpecDiff } from "../spec/diff.ts";
import {
  assertNotBreaking,
  specBeforeWrite,
  specChange,
  specChangeLines,
} from "../spec/spec_change.ts";
import { lintAfterSpec, lintBeforeRun, type LintPaths, lintRecord } from "./lint_steps.ts";
import { type Ahead, type EarlySpec, readAhead, startSpecEarly } from "./ahead.ts";

export interface PipelineOptions {
  settings: Settings;
  repoRoot: string;
  /** Already resolved by the caller (requireValue): the Python SDK clone and its package. */
  pythonOutput: string;
  packageName: string;
  /** Trace branch for the mirror branch name (default: checked-out branch, then CI variables). */
  traceBranch?: string;
  /** Replace commits that someone else pushed to the mirror branch (`--force`). */
  force?: boolean;
  /** Generate even when local main is up to date with the inputs (`--regenerate`). */
  regenerate?: boolean;
  /** Stop before generating when the new spec has breaking changes (`--fail-on-breaking`). */
  failOnBreaking?: boolean;
  dryRun?: boolean;
  env?: Record<string, string | undefined>;
}

/** How a dry run of --no-auto-merge names the commit generation leaves on the source ref. */
export const GENERATED_COMMIT = "<generated commit>";

/** The check stage's output: everything the later stages need, resolved once. */
interface Checked {
  spec: GetSpecOptions;
  generation: PreparedGeneration;
  /** Auto-merge: push to the mirror branch, then pin; else pin the local generated commit. */
  publish: { kind: "merge"; merge: PreparedMerge } | { kind: "pin"; pin: PreparedPin };
  /** The Stainless config linted against the saved spec (undefined: a file is missing). */
  lint?: LintedFiles;
  /** Reads for the later stages, started during this one (none in a dry run). */
  ahead?: Ahead;
  /** Gives up every lock the check took. */
  release(): Promise<void>;
}

function specOptions(settings: Settings, repoRoot: string): GetSpecOptions {
  return {
    source: {
      kind: "server",
      argv: settings.get("server_command")!,
      port: settings.get("port")!,
      startupTimeoutMs: settings.get("startup_timeout")! * 1000,
      stopGraceMs: (settings.get("server_stop_grace") ?? 0) * 1000,
    },
    repoRoot,
    outputFile: settings.get("openapi_output")!,
    outputOrigin: settings.origin("openapi_output"),
  };
}

/** Stage 1: generator, preflight, clones (checked, main movable, locked), pin, trace branch. */
async function checkStage(options: PipelineOptions, dryRun: boolean): Promise<Staged<Checked>> {
  const { settings, repoRoot } = options;
  const spec = specOptions(settings, repoRoot);
  // The lint reads only the two files: it runs while the clones are checked.
  const [prepared, linted] = await Promise.allSettled([
    prepareGeneration({ settings, repoRoot, dryRun, requireSpec: false }),
    lintBeforeRun({
      specPath: settings.get("openapi_output"),
      configPath: settings.get("stainless_config"),
      repoRoot,
    }),
  ]);
  if (prepared.status === "rejected") throw prepared.reason;
  const generation = prepared.value;
  try {
    if (linted.status === "rejected") throw linted.reason;
    const generationAhead = dryRun ? undefined : readAhead.generation(generation);
    const python = generation.clones.python;
    if (!python) throw new CodegenError(`no Python SDK clone to pin (${options.pythonOutput})`);
    const pinTarget = {
      pyprojectPath: settings.get("pyproject")!,
      packageName: options.packageName,
      extra: settings.get("pyproject_extra"),
      release: settings.get("release") ?? false,
      sdkRepo: python,
    };
    // The clone is the one just checked, and the generation holds its lock until the end.
    const publish: Checked["publish"] = settings.get("auto_merge") ?? true
      ? {
        kind: "merge",
        merge: await prepareMerge({
          ...pinTarget,
          traceRepo: repoRoot,
          traceBranch: options.traceBranch,
          env: options.env,
          mirrorPrefix: settings.get("mirror_branch_prefix"),
          sourceRef: settings.get("source_ref"),
          specPath: settings.get("openapi_output"),
          force: options.force,
          dryRun,
        }),
      }
      : { kind: "pin", pin: await preparePin(pinTarget) };
    const targets = generation.input.targets.map((t) => `${t.target} -> ${t.clone}`).join(", ");
    const branch = publish.kind === "merge" ? `; trace branch ${publish.merge.traceBranch}` : "";
    const ahead = generationAhead
      ? {
        generation: generationAhead,
        remote: publish.kind === "merge" ? readAhead.remote(publish.merge) : undefined,
      }
      : undefined;
    return {
      out: { spec, generation, publish, lint: linted.value, ahead, release: generation.release },
      did: `generator ${generation.generator.name}; ${targets}${branch}`,
    };
  } catch (error) {
    await generation.release();
    throw error;
  }
}

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

/** Stage 4 (auto-merge): push the mirror branch, then pin (dry run: the merge plan). */
async function mergeStage(
  merge: PreparedMerge,
  dryRun: boolean,
  remote: Promise<FetchedRemote> | undefined,
): Promise<Staged<{ plan: MergePlan } | { merged: MergeResult }>> {
  if (dryRun) {
    // Generation has not run: whether a real run pushes depends on the tree it generates.
    const plan = await planMerge(merge, { generatedLater: true });
    return { out: { plan }, did: plannedPush(plan), plan: formatMergePlan(plan) };
  }
  const merged = await runMerge(merge, { remote });
  return {
    out: { merged },
    did: `${merged.branch} ${short(merged.commit)} ${merged.noop ? "(already there)" : "(pushed)"}`,
  };
}

function plannedPush(plan: MergePlan): string {
  switch (plan.push) {
    case "yes":
      return `would push a new commit to ${plan.branch}`;
    case "no":
      return `would push nothing: ${plan.branch} already holds the generated code`;
    case "unless unchanged":
      return `would push to ${plan.branch} only if the generated code differs from ${
        short(plan.mirrorTip)
      }`;
  }
}

/** Stage 4 (--no-auto-merge): pin the commit generation left on the source ref. */
async function pinStage(
  pin: PreparedPin,
  generated: GenerateOutput | undefined,
  sourceRef: string,
  dryRun: boolean,
): Promise<Staged<PinResult>> {
  let spec: PinSpec;
  if (dryRun) {
    spec = pin.release ? { version: GENERATED_VERSION } : { commit: GENERATED_COMMIT };
  } else {
    const commit = generated?.targets.python?.commit ??
      await resolveCommit(pin.sdkRepo, `refs/heads/${sourceRef}`);
    if (!commit) {
      throw new CodegenError(`the SDK clone ${pin.sdkRepo} has no ${sourceRef} to pin`, {
        hint: "The generate stage left nothing there; check its output above.",
      });
    }
    spec = pin.release ? { version: await sdkVersion(pin.sdkRepo, commit) } : { commit };
  }
  const result = await writePin(pin, spec, { dryRun });
  const plan = dryRun ? [`write ${pin.pyprojectPath}: ${result.entry}`] : undefined;
  return { out: result, did: `${result.entry}${result.changed ? "" : " (unchanged)"}`, plan };
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const { settings } = options;
  const dryRun = options.dryRun ?? false;
  const autoMerge = settings.get("auto_merge") ?? true;
  const result: PipelineResult = {
    ok: true,
    dryRun,
    repoRoot: options.repoRoot,
    autoMerge,
    release: settings.get("release") ?? false,
    spec: { path: settings.get("openapi_output")!, written: false },
    generate: { generator: settings.get("generator") ?? "stainless", targets: {} },
    stages: [],
    plan: dryRun ? [] : undefined,
    seconds: 0,
  };
  const runner = new StageRunner(
    ["check", "spec", "generate", autoMerge ? "merge" : "pin"],
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
    const { publish, ahead } = checked;
    const spec = await runner.run("spec", () => specStage(checked, dryRun, early));
    result.spec = spec.spec;
    result.lint = lintRecord(spec.lint);
    if (!dryRun) result.spec_diff = spec.diff ?? null;
    const generated = await runner.run(
      "generate",
      () => generateStage(checked.generation, options, spec.diff, ahead),
    );
    if (generated) result.generate = generated;
    if (publish.kind === "merge") {
      const merge = await runner.run(
        "merge",
        () => mergeStage(publish.merge, dryRun, ahead?.remote),
      );
      result.merge = "plan" in merge ? planRecord(merge.plan) : pushRecord(merge.merged);
      const pin = "plan" in merge ? merge.plan.pin.result : merge.merged.pin;
      result.pyproject = { ...pin, written: !dryRun && pin.changed };
    } else {
      const sourceRef = settings.get("source_ref") ?? "main";
      const pin = await runner.run(
        "pin",
        () => pinStage(publish.pin, generated, sourceRef, dryRun),
      );
      result.pyproject = { ...pin, written: !dryRun && pin.changed };
    }
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
