/**
 * `all`: the whole pipeline in one run.
 *
 *   check     configuration, generator, SDK clones, pyproject.toml, trace branch (nothing slow yet)
 *   spec      start the trace server, save its OpenAPI spec
 *   generate  run the generator; the generated code becomes local `main` of each SDK clone, once
 *             reviewed (SDK API report; --fail-on api-removals fails here, before main moves and
 *             so before anything is merged, pushed or pinned)
 *   merge     push it to the mirror branch weave/<trace branch>, pin pyproject.toml to that commit
 *   (or pin)  with --no-auto-merge: pin pyproject.toml to the local generated commit, push nothing
 *   pr        with --open-pr (after merge): open or update the mirror branch's pull request
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
import { runMerge } from "../sync/mirror.ts";
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
import { PipelineError, type Staged, StageRunner } from "./stage_runner.ts";
import { ApiRemovalsError } from "../generate/review.ts";
import { assertOpenPrAllowed, type PreparedPr, preparePr, prStage } from "./pr_stage.ts";
import type { KillPolicy } from "../os/ports.ts";
import { checkReleasable, onSomeRemote, unpublishedPinWarning } from "./checks.ts";

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
  dryRun?: boolean;
  /** `--base` of the pull request (`open_pr`). */
  prBase?: string;
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
  /** `open_pr`: the pull request, checked before anything is pushed. */
  pr?: PreparedPr;
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
      killPort: settings.get("kill_port") as KillPolicy,
    },
    repoRoot,
    outputFile: settings.get("openapi_output")!,
    outputOrigin: settings.origin("openapi_output"),
  };
}

/** Stage 1: generator, preflight, clones (checked, main movable, locked), pin, trace branch. */
async function checkStage(options: PipelineOptions, dryRun: boolean): Promise<Staged<Checked>> {
  const { settings, repoRoot } = options;
  assertOpenPrAllowed(settings);
  const generation = await prepareGeneration({ settings, repoRoot, dryRun, requireSpec: false });
  try {
    checkReleasable(
      generation.generator,
      settings.get("release") ?? false,
      settings.get("preserve") ?? [],
    );
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
    const pr = settings.get("open_pr")
      ? await preparePr({
        settings,
        repoRoot,
        clone: python,
        packageName: options.packageName,
        base: options.prBase,
        dryRun,
        env: options.env,
      })
      : undefined;
    const targets = generation.input.targets.map((t) => `${t.target} -> ${t.clone}`).join(", ");
    const branch = publish.kind === "merge" ? `; trace branch ${publish.merge.traceBranch}` : "";
    return {
      out: {
        spec: specOptions(settings, repoRoot),
        generation,
        publish,
        pr,
        release: generation.release,
      },
      did: `generator ${generation.generator.name}; ${targets}${branch}`,
    };
  } catch (error) {
    await generation.release();
    throw error;
  }
}

/** Stage 2: the spec from the trace server, written to its file. */
async function specStage(
  spec: GetSpecOptions,
  dryRun: boolean,
): Promise<Staged<PipelineResult["spec"]>> {
  const path = spec.outputFile;
  if (dryRun) {
    return {
      out: { path, written: false },
      did: `would write ${path}`,
      plan: describeSpecPlan(spec).map(lowerFirst),
    };
  }
  const got = await getSpec(spec);
  for (const s of got.stopped) log.warn(`stopped pid ${s.pid} (${s.command}) to free the port`);
  return {
    out: { path, written: true, ...got.summary },
    did: `wrote ${path}: ${got.summary.operations} operations, sha256 ${short(got.summary.sha256)}`,
  };
}

/** Stage 3: the prepared generator run (dry run: its plan; the generator is not run at all). */
async function generateStage(
  generation: PreparedGeneration,
): Promise<Staged<GenerateOutput | undefined>> {
  const name = generation.generator.name;
  if (generation.input.dryRun) {
    return { out: undefined, did: `would run ${name}`, plan: await planGeneration(generation) };
  }
  const out = await runGeneration(generation);
  const did = Object.entries(out.targets).map(([t, r]) =>
    `${t} main ${short(r?.commit) ?? "-"}${r?.changed ? " (updated)" : ""}`
  ).join(", ");
  return { out, did: did || "nothing generated" };
}

/** Stage 4 (auto-merge): push the mirror branch, then pin (dry run: the merge plan). */
async function mergeStage(
  merge: PreparedMerge,
  dryRun: boolean,
): Promise<Staged<{ plan: MergePlan } | { merged: MergeResult }>> {
  if (dryRun) {
    // Generation has not run: whether a real run pushes depends on the tree it generates.
    const plan = await planMerge(merge, { generatedLater: true });
    return { out: { plan }, did: plannedPush(plan), plan: formatMergePlan(plan) };
  }
  const merged = await runMerge(merge);
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
): Promise<Staged<PinResult & { commitOnRemote?: boolean }>> {
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
  const sdkCommit = "commit" in spec ? spec.commit : generated?.targets.python?.commit;
  const result: PinResult & { commitOnRemote?: boolean } = await writePin(pin, spec, {
    dryRun,
    sdkCommit,
  });
  if (!dryRun && "commit" in spec && !(await onSomeRemote(pin.sdkRepo, spec.commit))) {
    // The pin names a commit nobody else can fetch: the summary and --json say so.
    result.commitOnRemote = false;
    const warning = unpublishedPinWarning(pin.sdkRepo, spec.commit);
    log.warn(warning);
    result.warnings = [...result.warnings ?? [], warning];
  }
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
    generate: { generator: settings.get("generator"), targets: {} },
    stages: [],
    plan: dryRun ? [] : undefined,
    seconds: 0,
  };
  const openPr = autoMerge && settings.get("open_pr");
  const runner = new StageRunner(
    ["check", "spec", "generate", autoMerge ? "merge" : "pin", ...(openPr ? ["pr" as const] : [])],
    result,
  );
  const checked = await runner.run("check", () => checkStage(options, dryRun));
  try {
    result.spec = await runner.run("spec", () => specStage(checked.spec, dryRun));
    const generated = await runner.run("generate", () => generateStage(checked.generation))
      .catch((error) => {
        // --fail-on api-removals: the report that stopped the run goes into --json too.
        if (error instanceof PipelineError && error.original instanceof ApiRemovalsError) {
          result.generate.sdk_api = error.original.record;
        }
        throw error;
      });
    if (generated) result.generate = generated;
    const { publish } = checked;
    if (publish.kind === "merge") {
      const merge = await runner.run("merge", () => mergeStage(publish.merge, dryRun));
      result.merge = "plan" in merge ? planRecord(merge.plan) : pushRecord(merge.merged);
      const pin = "plan" in merge ? merge.plan.pin.result : merge.merged.pin;
      result.pyproject = { ...pin, written: !dryRun && pin.changed };
      const pr = checked.pr;
      if (pr) {
        result.pullRequests = await runner.run(
          "pr",
          () => prStage(pr, publish.merge.traceBranch),
        );
      }
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
