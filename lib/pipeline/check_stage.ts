/**
 * The check stage of `all`: everything the later stages need, resolved and checked once before
 * anything slow or irreversible starts: the generator (preflight, clones checked, main movable,
 * locked), the Stainless config linted against the saved spec (at the same time), the merge or
 * the pin, the pull request (`open_pr`: token and repository), and the reads the later stages
 * await (ahead.ts). No later stage resolves any of it again; the locks are held to the end.
 */
import { CodegenError } from "../core/errors.ts";
import type { Settings } from "../config/settings.ts";
import type { GetSpecOptions } from "../spec/get_spec.ts";
import { type PreparedGeneration, prepareGeneration } from "../generate/generate_code.ts";
import type { LintedFiles } from "../inputs/lint_files.ts";
import type { CheckedClone } from "../git/clone.ts";
import { type PreparedMerge, prepareMerge } from "../sync/prepare.ts";
import { type PreparedPin, preparePin } from "../pin/pin.ts";
import type { Staged } from "./stage_runner.ts";
import { lintBeforeRun } from "./lint_steps.ts";
import { type Ahead, readAhead } from "./ahead.ts";
import { assertOpenPrAllowed, type PreparedPr, preparePr } from "./pr_stage.ts";
import { checkReleasable } from "./checks.ts";
import type { KillPolicy } from "../os/ports.ts";

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
  /** `--base` of the pull request (`open_pr`). */
  prBase?: string;
  env?: Record<string, string | undefined>;
}

/** The check stage's output: everything the later stages need, resolved once. */
export interface Checked {
  spec: GetSpecOptions;
  generation: PreparedGeneration;
  /** Auto-merge: push to the mirror branch, then pin; else pin the local generated commit. */
  publish: { kind: "merge"; merge: PreparedMerge } | { kind: "pin"; pin: PreparedPin };
  /** `open_pr`: the pull request, checked before anything is pushed. */
  pr?: PreparedPr;
  /** The Stainless config linted against the saved spec (undefined: a file is missing). */
  lint?: LintedFiles;
  /** Reads for the later stages, started during this one (none in a dry run). */
  ahead?: Ahead;
  /** Gives up every lock the check took. */
  release(): Promise<void>;
}

export function specOptions(settings: Settings, repoRoot: string): GetSpecOptions {
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

/** Stage 1: generator, preflight, clones (checked, main movable, locked), lint, pin, pr. */
export async function checkStage(
  options: PipelineOptions,
  dryRun: boolean,
): Promise<Staged<Checked>> {
  const { settings, repoRoot } = options;
  assertOpenPrAllowed(settings);
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
    checkReleasable(generation.generator, settings.get("release"), settings.get("preserve"));
    const generationAhead = dryRun ? undefined : readAhead.generation(generation);
    const python = generation.clones.python;
    if (!python) throw new CodegenError(`no Python SDK clone to pin (${options.pythonOutput})`);
    const publish = await preparePublish(options, python, dryRun);
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
    const ahead = generationAhead
      ? {
        generation: generationAhead,
        remote: publish.kind === "merge" ? readAhead.remote(publish.merge) : undefined,
      }
      : undefined;
    return {
      out: {
        spec: specOptions(settings, repoRoot),
        generation,
        publish,
        pr,
        lint: linted.value,
        ahead,
        release: generation.release,
      },
      did: `generator ${generation.generator.name}; ${targets}${branch}`,
    };
  } catch (error) {
    await generation.release();
    throw error;
  }
}

/** The merge (auto-merge) or the pin, prepared on the clone the generation checked and locked. */
async function preparePublish(
  options: PipelineOptions,
  python: CheckedClone,
  dryRun: boolean,
): Promise<Checked["publish"]> {
  const { settings } = options;
  const pinTarget = {
    pyprojectPath: settings.get("pyproject")!,
    packageName: options.packageName,
    extra: settings.get("pyproject_extra"),
    release: settings.get("release") ?? false,
    sdkRepo: python,
  };
  if (!(settings.get("auto_merge") ?? true)) {
    return { kind: "pin", pin: await preparePin(pinTarget) };
  }
  return {
    kind: "merge",
    merge: await prepareMerge({
      ...pinTarget,
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
