/**
 * The `stainless` backend: a build on the hosted Stainless API, polled until every target is
 * done; each target's generated commit is fetched into its clone and becomes local `main`.
 *
 * Unlike the `stl` CLI, a failed fetch fails the run, and so do failed lint/build/test steps
 * (those named by `fail_on`).
 *
 * Per target, as its commit step completes: fetch the commit → commit the origin stamp and the
 * spec copy on top of it (../provenance.ts) → review (SDK API report, --fail-on api-removals and
 * warnings; ../review.ts via input.review) → move local main. The build's diagnostics become
 * warnings once the build is done.
 */
import type Stainless from "@stainless-api/sdk";
import { basename } from "../../core/paths.ts";
import { CodegenError, messageOf } from "../../core/errors.ts";
import { planReview } from "../review.ts";
import { type BuildOptions, buildOptions, buildRevision, revisionNames } from "./build_options.ts";
import type {
  GenerateInput,
  GenerateOutput,
  Generator,
  SdkTarget,
  TargetClone,
  TargetResult,
} from "../types.ts";
import { planMainMove, SDK_TARGETS, targetResult } from "../types.ts";
import { log } from "../../core/log.ts";
import { exists } from "../../core/fs.ts";
import { registerSecret } from "../../core/redact.ts";
import { short, tokenForRemote } from "../../git/git.ts";
import { fetchCommit, moveLocalMain, REFLOG_PREFIX } from "../../git/main_branch.ts";
import { type GeneratorIdentity, SPEC_COPY_PATH, STAMP_PATH } from "../../provenance/stamp.ts";
import { hostedIdentity, stampFetchedCommit } from "../provenance.ts";
import type { GeneratorWarnings } from "../warnings.ts";
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
  completedCommit,
  diagnosticCounts,
  diagnosticWarnings,
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

/** A build as the API describes it: checked before use (a proxy may answer instead). */
const BUILD = { fields: { id: "string", targets: "object" } } as const;

export class StainlessGenerator implements Generator {
  readonly name = "stainless";
  readonly targets: readonly SdkTarget[] = SDK_TARGETS;

  identity(_target: TargetClone, input: GenerateInput): Promise<GeneratorIdentity> {
    return Promise.resolve(hostedIdentity(input.settings));
  }

  keptPaths(): readonly string[] {
    return [];
  }

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
        `fetch the generated commit of the build's ${t.target} git output into ${t.clone} and ` +
        `commit ${STAMP_PATH} and ${SPEC_COPY_PATH} on top of it`,
        ...planReview(input.settings, t),
        planMainMove(t, "that commit"),
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
    if ((input.settings.get("post_generate") ?? []).length) {
      input.warnings?.add({
        source: "codegen",
        message:
          "post_generate hooks are not run with the hosted generator (Stainless commits the tree)",
      });
    }
    return await new BuildWatcher(client, build.id, input, options).run();
  }
}

/** Polls one build, fetching each target's commit as soon as it exists. */
class BuildWatcher {
  readonly #results: Partial<Record<SdkTarget, TargetResult>> = {};
  readonly #handled = new Set<string>();
  readonly #failures: Failure[] = [];

  private readonly targets: TargetClone[];

  constructor(
    private readonly client: Stainless,
    private readonly buildId: string,
    private readonly input: GenerateInput,
    private readonly options: BuildOptions,
  ) {
    this.targets = input.targets;
  }

  async run(): Promise<GenerateOutput> {
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
    if (this.input.warnings) this.#warn(diagnostics, this.input.warnings);
    return { generator: "stainless", buildId: this.buildId, targets: this.#results };
  }

  /**
   * The build's warnings (diagnostics.ts). They are known once the build is done, after the
   * targets' main moved: `fail_on: warnings` says so.
   */
  #warn(diagnostics: BuildDiagnostic[], warnings: GeneratorWarnings): void {
    for (const warning of diagnosticWarnings(diagnostics)) warnings.add(warning);
    const moved = Object.entries(this.#results).filter(([, r]) => r?.changed)
      .map(([t, r]) => `${t}: local main moved to ${short(r!.commit)} in ${r!.clone}.`);
    warnings.assertNone(moved.length ? moved.join(" ") : "Local main was not changed.");
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
    let stamped: string;
    try {
      stamped = await this.#pull(target, commit.commit.sha);
    } catch (error) {
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
      return;
    }
    // Outside the try: a review that stops the run (api-removals, warnings) is no fetch failure.
    this.#results[name] = await this.#land(target, stamped);
  }

  /** The build's commit fetched into the clone, with the origin stamp committed on top. */
  async #pull(target: TargetClone, sha: string): Promise<string> {
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
    const stamped = await stampFetchedCommit(target, this.input, fetched, this.buildId);
    log.endStatus();
    return stamped;
  }

  /** Reviews the stamped commit (a review may stop the run), then moves local main to it. */
  async #land(target: TargetClone, stamped: string): Promise<TargetResult> {
    await this.input.review?.(target, stamped);
    const moved = await moveLocalMain(target.clone, stamped, {
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
