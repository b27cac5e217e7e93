/**
 * The `stainless` backend: a build on the hosted Stainless API, polled until every target is
 * done; each target's generated commit is fetched into its clone and becomes local `main`.
 *
 * Unlike the `stl` CLI, a failed fetch fails the run, and so do failed lint/build/test steps
 * (those named by `fail_on`).
 */
import type Stainless from "@stainless-api/sdk";
import { basename, extname } from "../../core/paths.ts";
import { CodegenError, messageOf } from "../../core/errors.ts";
import { parseFailOn } from "../fail_on.ts";
import { ApiRemovalsError, planReview } from "../review.ts";
import type {
  GenerateInput,
  GenerateOutput,
  Generator,
  SdkTarget,
  TargetClone,
  TargetResult,
} from "../types.ts";
import { planMainMove, SDK_TARGETS, targetResult } from "../types.ts";
import type { Settings } from "../../config/settings.ts";
import { log } from "../../core/log.ts";
import { exists, readTextFile } from "../../core/fs.ts";
import { registerSecret } from "../../core/redact.ts";
import { short, tokenForRemote } from "../../git/git.ts";
import { fetchCommit, moveLocalMain, REFLOG_PREFIX } from "../../git/main_branch.ts";
import {
  apiCall,
  type Build,
  type BuildDiagnostic,
  checkStainlessEnv,
  createClient,
  listDiagnostics,
} from "./client.ts";
import {
  buildTarget,
  CHECK_STEPS,
  type CheckStepName,
  completedCommit,
  diagnosticCounts,
  formatDiagnostics,
  isFailedStep,
  isGoodCommit,
  isTargetDone,
  nextStepForConclusion,
  progressLine,
  stepConclusion,
} from "./progress.ts";

interface Failure {
  target: string;
  what: string;
  next: string;
}

interface BuildOptions {
  project: string;
  branch: string;
  pollIntervalMs: number;
  timeoutMs: number;
  failOn: CheckStepName[];
  /** Retries of an API request (the SDK's for statuses, apiCall's for malformed answers). */
  maxRetries: number;
}

/** A build as the API describes it: checked before use (a proxy may answer instead). */
const BUILD = { fields: { id: "string", targets: "object" } } as const;

/** The build revision: spec and config contents under the file names `stl` uses. */
export async function buildRevision(
  specPath: string,
  configPath: string,
): Promise<Record<string, { content: string }>> {
  const spec = await readTextFile(
    specPath,
    "OpenAPI spec",
    "Run `codegen get_openapi_spec` first, or pass --openapi-output.",
  );
  const config = await readTextFile(
    configPath,
    "Stainless config",
    "Pass --stainless-config with the openapi.stainless.yml path.",
  );
  const [specName, configName] = revisionNames(specPath, configPath);
  return { [specName]: { content: spec }, [configName]: { content: config } };
}

/** The build settings: project, branch, polling, and the check steps that fail the run. */
function buildOptions(settings: Settings): BuildOptions {
  return {
    project: settings.get("stainless_project") ?? "weave",
    branch: settings.get("stainless_branch") ?? "main",
    pollIntervalMs: (settings.get("poll_interval") ?? 2) * 1000,
    timeoutMs: (settings.get("build_timeout") ?? 900) * 1000,
    failOn: parseFailOn(settings.get("fail_on") ?? []).steps,
    maxRetries: settings.get("api_max_retries") ?? 5,
  };
}

/** The build revision's files as `stl` names them: openapi.json, stainless.yml. */
function revisionNames(specPath: string, configPath: string): [string, string] {
  return [`openapi${extname(specPath) || ".json"}`, `stainless${extname(configPath) || ".yml"}`];
}

export class StainlessGenerator implements Generator {
  readonly name = "stainless";
  readonly targets: readonly SdkTarget[] = SDK_TARGETS;

  async preflight(input: GenerateInput): Promise<void> {
    checkStainlessEnv(Deno.env.toObject(), input.dryRun);
    buildOptions(input.settings); // fail_on is valid
    // Every build sends the config: a missing one fails now, not after the spec stage.
    if (!(await exists(input.stainlessConfigPath))) {
      throw new CodegenError(`Stainless config not found: ${input.stainlessConfigPath}`, {
        hint: "Pass --stainless-config with the openapi.stainless.yml path.",
      });
    }
  }

  plan(input: GenerateInput): Promise<string[]> {
    const options = buildOptions(input.settings);
    const [spec, config] = revisionNames(input.specPath, input.stainlessConfigPath);
    return Promise.resolve([
      `POST /v0/builds: project ${options.project}, branch ${options.branch}, targets ${
        input.targets.map((t) => t.target).join(", ")
      }, allow_empty, revision ${spec} (${input.specPath}) + ${config} (${input.stainlessConfigPath})`,
      `poll the build every ${options.pollIntervalMs / 1000} s for up to ${
        options.timeoutMs / 1000
      } s`,
      ...input.targets.flatMap((t) => [
        ...planReview(input.settings, t),
        planMainMove(t, `the generated commit fetched from the build's ${t.target} git output`),
      ]),
    ]);
  }

  async generate(input: GenerateInput): Promise<GenerateOutput> {
    const options = buildOptions(input.settings);
    const revision = await buildRevision(input.specPath, input.stainlessConfigPath);
    const client = createClient({
      apiKey: Deno.env.get("STAINLESS_API_KEY") ?? "",
      maxRetries: options.maxRetries,
    });
    const context = { project: options.project, retries: options.maxRetries, expect: BUILD };
    const build = await apiCall("create a build", () =>
      client.builds.create({
        project: options.project,
        branch: options.branch,
        revision,
        allow_empty: true,
        targets: input.targets.map((t) => t.target),
      }), context);
    log.info(
      `Stainless build ${build.id} started (project ${options.project}, branch ${options.branch}; ${
        basename(input.specPath)
      })`,
    );
    const warnings = (input.settings.get("post_generate") ?? []).length
      ? ["post_generate hooks are not run with the hosted generator (Stainless commits the tree)"]
      : [];
    for (const warning of warnings) log.warn(warning);
    const watcher = new BuildWatcher(client, build.id, input.targets, options, input.review);
    return { ...await watcher.run(), warnings };
  }
}

/** Polls one build, fetching each target's commit as soon as it exists. */
class BuildWatcher {
  readonly #results: Partial<Record<SdkTarget, TargetResult>> = {};
  readonly #handled = new Set<string>();
  readonly #failures: Failure[] = [];

  constructor(
    private readonly client: Stainless,
    private readonly buildId: string,
    private readonly targets: TargetClone[],
    private readonly options: BuildOptions,
    private readonly review?: GenerateInput["review"],
  ) {}

  async run(): Promise<Omit<GenerateOutput, "warnings">> {
    const deadline = Date.now() + this.options.timeoutMs;
    const names = this.targets.map((t) => t.target);
    let build: Build;
    let timedOut = false;
    for (;;) {
      build = await apiCall("poll the build", () => this.client.builds.retrieve(this.buildId), {
        retries: this.options.maxRetries,
        expect: BUILD,
      });
      log.status(progressLine(build, names));
      for (const target of this.targets) await this.#onProgress(build, target);
      if (names.every((name) => isTargetDone(buildTarget(build, name), this.options.failOn))) {
        break;
      }
      if (Date.now() >= deadline) {
        timedOut = true;
        break;
      }
      await new Promise((resolve) =>
        setTimeout(
          resolve,
          Math.min(this.options.pollIntervalMs, Math.max(0, deadline - Date.now())),
        )
      );
    }
    log.endStatus();
    if (timedOut) {
      this.#failures.push({
        target: names.join(", "),
        what: `build did not complete within ${this.options.timeoutMs / 1000} s (${
          progressLine(build, names)
        })`,
        next:
          `Raise --build-timeout (build_timeout), or check build ${this.buildId} on app.stainless.com; it keeps running there.`,
      });
    } else {
      this.#checkSteps(build);
    }
    const diagnostics = await this.#diagnostics();
    if (this.#failures.length > 0) throw this.#error(diagnostics);
    const counts = diagnosticCounts(diagnostics);
    if (counts) {
      log.info(`build diagnostics: ${counts}`);
      log.verbose(formatDiagnostics(diagnostics));
    }
    return { generator: "stainless", buildId: this.buildId, targets: this.#results };
  }

  /** Reacts to a target's commit step the first time it is completed. */
  async #onProgress(build: Build, target: TargetClone): Promise<void> {
    const name = target.target;
    const commit = completedCommit(buildTarget(build, name));
    if (!commit || this.#handled.has(name)) return;
    this.#handled.add(name);
    if (!isGoodCommit(commit)) {
      this.#failures.push({
        target: name,
        what: `commit step concluded \`${commit.conclusion}\``,
        next: nextStepForConclusion(commit.conclusion, commit),
      });
      return;
    }
    if (!commit.commit) {
      log.info(`${name}: no new commit (conclusion ${commit.conclusion}); local main unchanged`);
      this.#results[name] = { clone: target.clone, changed: false };
      return;
    }
    try {
      this.#results[name] = await this.#pull(target, commit.commit.sha);
    } catch (error) {
      // Not a fetch failure: the review stopped the run before main moved (it says why).
      if (error instanceof ApiRemovalsError) throw error;
      log.endStatus();
      log.error(`${name}: ${messageOf(error)}`);
      if (error instanceof CodegenError && error.details) {
        log.info(error.details.replace(/^/gm, "  "));
      }
      const next = error instanceof CodegenError && error.hint
        ? error.hint
        : "Run again; local main was not changed.";
      this.#failures.push({
        target: name,
        what: `fetching the generated code failed: ${messageOf(error)}`,
        next,
      });
    }
  }

  async #pull(target: TargetClone, sha: string): Promise<TargetResult> {
    const output = await apiCall(
      `get the ${target.target} git output`,
      () =>
        this.client.builds.targetOutputs.retrieve({
          build_id: this.buildId,
          target: target.target,
          type: "source",
          output: "git",
        }),
      { retries: this.options.maxRetries, expect: { fields: { output: "string" } } },
    );
    if (output.output !== "git") {
      throw new CodegenError(`the API returned a ${output.output} output instead of git`);
    }
    registerSecret(output.token);
    // The build's temporary token, else GITHUB_TOKEN unless the clone has credentials of its own
    // for that URL; either only ever goes to an https URL (fetchCommit checks).
    const token = output.token ||
      await tokenForRemote(target.clone, output.url, Deno.env.get("GITHUB_TOKEN") || undefined);
    const fetched = await fetchCommit(target.clone, output.url, output.ref, {
      target: target.target,
      token,
    });
    if (fetched !== sha) {
      log.verbose(`${target.target}: fetched ${short(fetched)} for build commit ${short(sha)}`);
    }
    log.endStatus();
    await this.review?.(target, fetched);
    const moved = await moveLocalMain(target.clone, fetched, {
      reason: `${REFLOG_PREFIX}: stainless build ${this.buildId}`,
      target: target.target,
    });
    log.endStatus();
    log.success(
      moved.changed
        ? `${target.target}: main of ${target.clone} is now ${short(moved.current)}`
        : `${target.target}: main of ${target.clone} already at ${short(moved.current)}`,
    );
    return targetResult(target.clone, moved);
  }

  #checkSteps(build: Build): void {
    for (const target of this.targets) {
      const state = buildTarget(build, target.target);
      if (!state) {
        this.#failures.push({
          target: target.target,
          what: "the build has no such target",
          next: `Add targets.${target.target} to openapi.stainless.yml.`,
        });
        continue;
      }
      for (const step of CHECK_STEPS) {
        if (!isFailedStep(state[step])) continue;
        const url = (state[step] as { url?: string | null }).url;
        const what = `${step} step concluded \`${stepConclusion(state[step])}\`${
          url ? ` (${url})` : ""
        }`;
        if (this.options.failOn.includes(step)) {
          this.#failures.push({
            target: target.target,
            what,
            next: `Look at the ${step} log${
              url ? ` at ${url}` : ""
            }; fix the spec or config, or pass --fail-on without ${step}.`,
          });
        } else {
          log.warn(`${target.target}: ${what} (not in --fail-on, so not a failure)`);
        }
      }
    }
  }

  async #diagnostics(): Promise<BuildDiagnostic[]> {
    try {
      return await listDiagnostics(this.client, this.buildId, this.options.maxRetries);
    } catch (error) {
      log.warn(`could not list the build diagnostics: ${messageOf(error)}`);
      return [];
    }
  }

  #error(diagnostics: BuildDiagnostic[]): CodegenError {
    const lines = this.#failures.map((f) => `${f.target}: ${f.what}`);
    const moved = Object.entries(this.#results).filter(([, r]) => r?.changed)
      .map(([t, r]) => `${t}: local main moved to ${short(r!.commit)} in ${r!.clone}`);
    const diag = formatDiagnostics(diagnostics);
    const details = [...lines, ...moved, ...(diag ? ["diagnostics:", diag] : [])].join("\n");
    const unique = [...new Set(this.#failures.map((f) => f.next))];
    return new CodegenError(`Stainless build ${this.buildId} failed`, {
      details,
      hint: unique.join(" "),
    });
  }
}
