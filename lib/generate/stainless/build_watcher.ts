/**
 * Polls one hosted build until every target is done, handing each target's generated commit to
 * a `Lander` as soon as its commit step completed: the clone lander (generator.ts) fetches it
 * into the SDK clone and moves local main; the tree lander fetches it into a temporary
 * repository for vendoring. Failed steps named by `fail_on`, a failed fetch and a timeout fail the
 * run with the build's diagnostics; otherwise the diagnostics become warnings.
 */
import type Stainless from "@stainless-api/sdk";
import { CodegenError, messageOf } from "../../core/errors.ts";
import { log } from "../../core/log.ts";
import { registerSecret } from "../../core/redact.ts";
import { short } from "../../git/git.ts";
import type { SdkTarget } from "../../config/structured_keys.ts";
import type { GenerateInput, GenerationTarget, TargetResult } from "../types.ts";
import type { GeneratorWarnings } from "../warnings.ts";
import type { BuildOptions } from "./build_options.ts";
import { apiCall, type Build, type BuildDiagnostic, listDiagnostics } from "./client.ts";
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

/** A build as the API describes it: checked before use (a proxy may answer instead). */
export const BUILD = { fields: { id: "string", targets: "object" } } as const;

interface Failure {
  target: string;
  what: string;
  next: string;
}

/** A target's git output of the build: where its commit is, and the temporary token to get it. */
export interface GitOutput {
  url: string;
  ref: string;
  /** The build's temporary token ("" when the API gives none). */
  token: string;
  /** The commit the build made. */
  sha: string;
}

/** What happens to each target's commit. */
export interface Lander<T extends GenerationTarget, F> {
  /** Gets the commit; a failure here is a failure of the build's target, reported with the others. */
  fetch(target: T, output: GitOutput): Promise<F>;
  /** Uses what was fetched (may stop the run: a review). */
  land(target: T, fetched: F): Promise<TargetResult>;
  /** The build made no new commit for the target (its current code is reviewed all the same). */
  unchanged(target: T): Promise<TargetResult>;
  /** What a failed build leaves as it was, for its error ("Local main was not changed."). */
  untouched: string;
}

/** Polls one build, handing each target's commit to the lander as soon as it exists. */
export class BuildWatcher<T extends GenerationTarget, F> {
  readonly #results: Partial<Record<SdkTarget, TargetResult>> = {};
  readonly #handled = new Set<string>();
  readonly #failures: Failure[] = [];

  private readonly targets: T[];

  constructor(
    private readonly client: Stainless,
    private readonly buildId: string,
    private readonly input: GenerateInput<T>,
    private readonly options: BuildOptions,
    private readonly lander: Lander<T, F>,
  ) {
    this.targets = input.targets;
  }

  async run(): Promise<Partial<Record<SdkTarget, TargetResult>>> {
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
    return this.#results;
  }

  /**
   * The build's warnings (diagnostics.ts). They are known once the build is done, after the
   * targets' main moved: `fail_on: warnings` says so.
   */
  #warn(diagnostics: BuildDiagnostic[], warnings: GeneratorWarnings): void {
    for (const warning of diagnosticWarnings(diagnostics)) warnings.add(warning);
    const moved = Object.entries(this.#results).filter(([, r]) => r?.changed)
      .map(([t, r]) => `${t}: local main moved to ${short(r!.commit)} in ${r!.clone}.`);
    warnings.assertNone(moved.length ? moved.join(" ") : this.lander.untouched);
  }

  /** Reacts to a target's commit step the first time it is completed. */
  async #onProgress(build: Build, target: T): Promise<void> {
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
      log.info(`${name}: no new commit (conclusion ${commit.conclusion}); nothing changed`);
      this.#results[name] = await this.lander.unchanged(target);
      return;
    }
    let fetched: F;
    try {
      fetched = await this.#pull(target, commit.commit.sha);
    } catch (error) {
      log.endStatus();
      log.error(`${name}: ${messageOf(error)}`);
      if (error instanceof CodegenError && error.details) {
        log.info(error.details.replace(/^/gm, "  "));
      }
      const next = error instanceof CodegenError && error.hint
        ? error.hint
        : `Run again. ${this.lander.untouched}`;
      this.#failures.push({
        target: name,
        what: `fetching the generated code failed: ${messageOf(error)}`,
        next,
      });
      return;
    }
    // Outside the try: a review that stops the run (api-removals, warnings) is no fetch failure.
    this.#results[name] = await this.lander.land(target, fetched);
  }

  /** The target's git output, handed to the lander's fetch. */
  async #pull(target: T, sha: string): Promise<F> {
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
    return await this.lander.fetch(target, {
      url: output.url,
      ref: output.ref,
      token: output.token,
      sha,
    });
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
