/**
 * `all`: the whole pipeline in one run.
 *
 *   check     configuration, generator, SDK clones, pyproject.toml, trace branch (nothing slow yet)
 *   spec      start the trace server, save its OpenAPI spec
 *   generate  run the generator; the generated code becomes local `main` of each SDK clone
 *   merge     push it to the mirror branch weave/<trace branch>, pin pyproject.toml to that commit
 *   (or pin)  with --no-auto-merge: pin pyproject.toml to the local generated commit, push nothing
 *
 * With `release`, the pin is `PACKAGE==<version>`, the version being `[project].version` of the
 * generated tree (after merge: of the pushed commit). The mirror branch is still pushed.
 *
 * Each stage's facts go into one `PipelineResult` (printed as a summary or as JSON). A failing
 * stage becomes a `PipelineError` that names it and lists what is done and what is not.
 * With `dryRun`, every stage describes what it would do (the `plan`) and nothing changes.
 */
import { CodegenError } from "../core/errors.ts";
import type { Settings } from "../config/settings.ts";
import { log } from "../core/log.ts";
import { describeSpecPlan, getSpec, type GetSpecOptions } from "../spec/get_spec.ts";
import { generateCode } from "../generate/generate_code.ts";
import { getGenerator, targetClones } from "../generate/registry.ts";
import {
  type GenerateInput,
  type Generator,
  type TargetClone,
  TEMP_DIR_PLACEHOLDER,
} from "../generate/types.ts";
import { assertMainMovable, ensureClone, lockClones } from "../git/main_branch.ts";
import { mergeGeneratedCode, resolveTraceBranch } from "../sync/mirror.ts";
import { pinSdk } from "../pin/pin.ts";
import { readTextFile } from "../core/fs.ts";
import { resolveCommit } from "../git/git.ts";
import { formatCommand } from "../os/process.ts";
import { parseToml } from "../pin/pyproject_edit.ts";
import {
  describeMergePlan,
  type PipelineResult,
  STAGE_TITLES,
  type StageName,
  type StageRecord,
  withUnknownCommit,
} from "./report.ts";

export type { PipelineResult, StageName } from "./report.ts";

export interface PipelineOptions {
  settings: Settings;
  repoRoot: string;
  /** Already resolved by the caller (requireValue): the Python SDK clone and its package. */
  pythonOutput: string;
  packageName: string;
  /** Trace branch for the mirror branch name (default: checked-out branch, then CI variables). */
  traceBranch?: string;
  /** Replace commits someone else pushed to the mirror branch (merge_generated_code --force). */
  force?: boolean;
  dryRun?: boolean;
  env?: Record<string, string | undefined>;
}

/** A failed stage: the message names it; `result` holds what the earlier stages did. */
export class PipelineError extends CodegenError {
  constructor(
    readonly stage: StageName,
    readonly original: CodegenError,
    readonly result: PipelineResult,
    progress: string,
  ) {
    super(`${stage} stage failed: ${original.message}`, {
      kind: original.kind,
      hint: original.hint,
      details: [original.details, progress].filter(Boolean).join("\n"),
      cause: original,
    });
  }
}

/** What a stage leaves undone when it (or an earlier one) fails, from what did happen. */
const NOT_DONE: Record<StageName, (result: PipelineResult) => string> = {
  check: () => "nothing was started",
  spec: () => "the spec file was not written",
  generate: () => "local main of each SDK clone as it was, unless the details above say it moved",
  merge: ({ merge }) => {
    const commit = merge?.commit?.slice(0, 12);
    if (merge?.pushed) return `pushed ${commit} to ${merge.branch}; pyproject.toml not changed`;
    if (merge?.noop) {
      return `${merge.branch} already held the generated code (${commit}), nothing pushed; pyproject.toml not changed`;
    }
    return "nothing pushed; pyproject.toml not changed";
  },
  pin: () => "pyproject.toml not changed",
};

class StageRunner {
  readonly records: StageRecord[];
  readonly #started = performance.now();

  constructor(names: StageName[], private readonly result: PipelineResult) {
    this.records = names.map((name) => ({ name, title: STAGE_TITLES[name], status: "pending" }));
    result.stages = this.records;
  }

  /** Runs one stage with a header and its elapsed time; `fn` returns what it did, for reports. */
  async run(name: StageName, fn: () => Promise<string>): Promise<void> {
    const index = this.records.findIndex((r) => r.name === name);
    const record = this.records[index];
    const started = performance.now();
    log.setStage(name);
    log.info(log.paint("bold", `── ${index + 1}/${this.records.length} ${record.title}`));
    try {
      record.did = await fn();
      record.status = this.result.dryRun && name !== "check" ? "planned" : "done";
    } catch (error) {
      record.status = "failed";
      record.seconds = seconds(started);
      this.result.ok = false;
      log.endStatus();
      if (!(error instanceof CodegenError)) {
        log.setStage("");
        log.error(`${name} stage failed unexpectedly; ${this.progress()}`);
        throw error;
      }
      this.result.seconds = seconds(this.#started);
      log.setStage("");
      throw new PipelineError(name, error, this.result, this.progress());
    }
    record.seconds = seconds(started);
    log.endStatus();
    log.info(
      `${name} ${record.status} in ${record.seconds.toFixed(1)} s${
        record.did ? `: ${record.did}` : ""
      }`,
    );
    log.setStage("");
  }

  progress(): string {
    const done = this.records.filter((r) => r.status === "done" || r.status === "planned");
    const notDone = this.records.filter((r) => r.status === "pending" || r.status === "failed");
    return [
      `done: ${
        done.length
          ? done.map((r) => `${r.name}${r.did ? ` (${r.did})` : ""}`).join("; ")
          : "nothing"
      }`,
      `not done: ${notDone.map((r) => `${r.name} (${NOT_DONE[r.name](this.result)})`).join("; ")}`,
    ].join("\n");
  }

  finish(): void {
    this.result.seconds = seconds(this.#started);
  }
}

function seconds(since: number): number {
  return Math.round(performance.now() - since) / 1000;
}

function specOptions(settings: Settings, repoRoot: string): GetSpecOptions {
  return {
    source: {
      kind: "server",
      argv: settings.get("server_command"),
      port: settings.get("port"),
      startupTimeoutMs: settings.get("startup_timeout") * 1000,
      stopGraceMs: settings.get("server_stop_grace") * 1000,
    },
    repoRoot,
    outputFile: settings.get("openapi_output"),
    outputOrigin: settings.origin("openapi_output"),
  };
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const { settings, repoRoot, pythonOutput, packageName } = options;
  const dryRun = options.dryRun ?? false;
  const env = options.env ?? Deno.env.toObject();
  // A dry run changes nothing, not even git's index stat cache (`git status` may rewrite it).
  if (dryRun) Deno.env.set("GIT_OPTIONAL_LOCKS", "0");
  const autoMerge = settings.get("auto_merge");
  const release = settings.get("release");
  const pyprojectPath = settings.get("pyproject");
  const extra = settings.get("pyproject_extra");
  const sourceRef = settings.get("source_ref");
  const specPath = settings.get("openapi_output");
  const result: PipelineResult = {
    ok: true,
    dryRun,
    repoRoot,
    autoMerge,
    release,
    spec: { path: specPath, written: false },
    generate: { generator: settings.get("generator"), targets: {} },
    stages: [],
    plan: dryRun ? [] : undefined,
    seconds: 0,
  };
  const plan = (stage: StageName, lines: string[]) => {
    for (const line of lines) {
      result.plan?.push(`${stage}: ${line}`);
      log.info(`[dry-run] would ${line}`);
    }
  };
  const runner = new StageRunner(
    ["check", "spec", "generate", autoMerge ? "merge" : "pin"],
    result,
  );

  let generator: Generator | undefined;
  let generateInput: GenerateInput | undefined;
  // Each SDK clone's lock, held from the end of the check through the merge (or pin): no other
  // run moves its main in between. A dry run changes nothing and takes none.
  let unlock: (() => Promise<void>) | undefined;
  try {
    await runner.run("check", async () => {
      const targets = targetClones(settings);
      for (const target of targets) {
        target.clone = await ensureClone(target.clone, { ...target, traceRepo: repoRoot, dryRun });
        // A dirty checked-out main is refused now, before the spec (or anything) is written.
        await assertMainMovable(target.clone, target.target);
      }
      generator = await getGenerator(result.generate.generator, settings);
      generateInput = {
        repoRoot,
        specPath,
        stainlessConfigPath: settings.get("stainless_config"),
        targets,
        settings,
        dryRun,
      };
      await generator.preflight(generateInput);
      const text = await readTextFile(
        pyprojectPath,
        "pyproject.toml",
        "Pass --pyproject (config `pyproject`) with the trace repository's pyproject.toml.",
      );
      parseToml(text, pyprojectPath);
      let branch = "";
      if (autoMerge) {
        const traceBranch = await resolveTraceBranch(repoRoot, options.traceBranch, env);
        branch = `; trace branch ${traceBranch}`;
      }
      if (!dryRun) unlock = await lockClones(targets.map((t) => t.clone));
      return `generator ${generator.name}; ${
        targets.map((t) => `${t.target} -> ${t.clone}`).join(", ")
      }${branch}`;
    });

    const spec = specOptions(settings, repoRoot);
    await runner.run("spec", async () => {
      if (dryRun) {
        plan("spec", describeSpecPlan(spec).map(lowerFirst));
        return `would write ${specPath}`;
      }
      const got = await getSpec(spec);
      for (const s of got.stopped) log.warn(`stopped pid ${s.pid} (${s.command}) to free the port`);
      result.spec = { path: specPath, written: true, ...got.summary };
      return `wrote ${specPath}: ${got.summary.operations} operations, sha256 ${
        got.summary.sha256.slice(0, 12)
      }`;
    });

    await runner.run("generate", async () => {
      if (dryRun) {
        // Planned once, here: the generator is not run (not even its dry run), nothing is created.
        plan("generate", await describeGeneration(generator!, generateInput!));
        return `would run ${generator!.name}`;
      }
      const out = await generateCode({ settings, repoRoot, dryRun, generator: generator!.name });
      result.generate = { generator: out.generator, buildId: out.buildId, targets: out.targets };
      return Object.entries(out.targets).map(([t, r]) =>
        `${t} main ${r?.commit?.slice(0, 12) ?? "-"}${r?.changed ? " (updated)" : ""}`
      ).join(", ") || "nothing generated";
    });

    if (autoMerge) {
      await runner.run("merge", async () => {
        const merged = await mergeGeneratedCode({
          traceRepo: repoRoot,
          sdkRepo: pythonOutput,
          packageName,
          pyprojectPath,
          extra,
          release,
          traceBranch: options.traceBranch,
          env,
          mirrorPrefix: settings.get("mirror_branch_prefix"),
          sourceRef,
          specPath,
          force: options.force,
          dryRun,
          // Recorded at once: if the pin fails, the report still says what was pushed.
          onPushed: (pushed) => (result.merge = { ...pushed }),
        });
        result.merge = {
          branch: merged.branch,
          traceBranch: merged.traceBranch,
          // A dry run of `all` has not generated yet: the mirror commit is not known.
          commit: dryRun ? undefined : merged.commit,
          pushed: merged.pushed,
          noop: dryRun ? false : merged.noop,
        };
        if (merged.pin) {
          const pin = dryRun ? withUnknownCommit(merged.pin) : merged.pin;
          result.pyproject = { ...pin, written: !dryRun && pin.changed };
        }
        if (dryRun) {
          plan("merge", describeMergePlan(merged, sourceRef, release));
          return `would push ${merged.branch}`;
        }
        return `${merged.branch} ${merged.commit?.slice(0, 12)} ${
          merged.noop ? "(already there)" : "(pushed)"
        }`;
      });
    } else {
      await runner.run("pin", async () => {
        const commit = result.generate.targets.python?.commit ??
          await resolveCommit(pythonOutput, `refs/heads/${sourceRef}`);
        const pin = await pinSdk({
          pyprojectPath,
          packageName,
          extra,
          release,
          sdkRepo: pythonOutput,
          commit,
          versionRef: commit,
          dryRun,
        });
        result.pyproject = { ...pin, written: !dryRun && pin.changed };
        if (dryRun) {
          plan("pin", [
            `write ${pyprojectPath}: ${pin.entry}${
              release ? "" : ` (the sha will be that of the newly generated ${sourceRef})`
            }`,
          ]);
        }
        return `${pin.entry}${pin.changed ? "" : " (unchanged)"}`;
      });
    }
    runner.finish();
    return result;
  } finally {
    await unlock?.();
  }
}

/** "Run `x`" -> "run `x`", but "GET /x" stays. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** Plan lines of the generate stage: the processes or API calls, and the ref each one moves. */
async function describeGeneration(generator: Generator, input: GenerateInput): Promise<string[]> {
  const lines: string[] = [];
  for (const target of input.targets) {
    const argvFor = (generator as {
      argvFor?: (t: TargetClone, i: GenerateInput, dir: string) => Promise<string[]>;
    }).argvFor;
    if (argvFor) {
      const argv = await argvFor.call(generator, target, input, TEMP_DIR_PLACEHOLDER); // created by a real run only
      lines.push(`run \`${formatCommand(argv[0], argv.slice(1))}\``);
    } else {
      lines.push(
        `POST /v0/builds to the Stainless API (${target.target}), poll it, fetch the generated commit`,
      );
    }
    lines.push(`move refs/heads/main of ${target.clone} to the generated tree (${target.target})`);
  }
  return lines;
}
