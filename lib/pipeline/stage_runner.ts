/**
 * Runs the stages of `all` one after another: a header and elapsed time for each, the plan lines
 * of a dry run, and on failure a `PipelineError` naming the stage, what is done and what is not.
 */
import { CodegenError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { short } from "../git/git.ts";
import { PinAfterPushError } from "../sync/types.ts";
import { PipelineError } from "./pipeline_error.ts";
import {
  type PipelineResult,
  pushRecord,
  STAGE_TITLES,
  type StageName,
  type StageRecord,
} from "./report.ts";

/** What a stage leaves undone when it (or an earlier one) fails, from what did happen. */
const NOT_DONE: Record<StageName, (result: PipelineResult) => string> = {
  check: ({ configWritten }) =>
    `${
      configWritten
        ? `nothing written but the config file ${configWritten} (saved before the stages)`
        : "nothing was written"
    }; a trace server started meanwhile is stopped`,
  spec: () => "the spec file was not written",
  generate: () => "local main of each SDK clone as it was, unless the details above say it moved",
  vendor: () => "the vendored copies as they were, unless the output above says one was replaced",
  merge: ({ merge }) => {
    const commit = short(merge?.commit);
    if (merge?.pushed) return `pushed ${commit} to ${merge.branch}; pyproject.toml not changed`;
    if (merge?.noop) {
      return `${merge.branch} already held the generated code (${commit}), nothing pushed; pyproject.toml not changed`;
    }
    return "nothing pushed; pyproject.toml not changed";
  },
  pin: () => "the pins (pyproject.toml, package.json) not changed",
  pr: () => "no pull request opened or updated",
};

/** What a stage returns to the runner: its typed output, one line for reports, its plan. */
export interface Staged<T> {
  out: T;
  /** What the stage did (or would do), in one line. */
  did: string;
  /** Dry run: what it would do, one phrase per step, each reading after "would". */
  plan?: string[];
  /** Set when there was nothing to do: the reason (the stage's status becomes "skipped"). */
  skipped?: string;
}

export class StageRunner {
  readonly records: StageRecord[];
  readonly #started = performance.now();

  constructor(names: StageName[], private readonly result: PipelineResult) {
    this.records = names.map((name) => ({ name, title: STAGE_TITLES[name], status: "pending" }));
    result.stages = this.records;
  }

  /** Runs one stage with a header and its elapsed time; returns the stage's output. */
  async run<T>(name: StageName, stage: () => Promise<Staged<T>>): Promise<T> {
    const index = this.records.findIndex((r) => r.name === name);
    const record = this.records[index];
    const started = performance.now();
    log.setStage(name);
    log.info(log.paint("bold", `── ${index + 1}/${this.records.length} ${record.title}`));
    let staged: Staged<T>;
    try {
      staged = await stage();
    } catch (error) {
      record.status = "failed";
      record.seconds = seconds(started);
      throw this.#failed(name, error);
    }
    for (const line of staged.plan ?? []) {
      this.result.plan?.push(`${name}: ${line}`);
      log.info(`[dry-run] would ${line}`);
    }
    record.did = staged.did;
    record.status = staged.skipped
      ? "skipped"
      : this.result.dryRun && name !== "check"
      ? "planned"
      : "done";
    if (staged.skipped) record.reason = staged.skipped;
    record.seconds = seconds(started);
    log.endStatus();
    const did = staged.skipped ?? record.did;
    log.info(`${name} ${record.status} in ${record.seconds.toFixed(1)} s: ${did}`);
    log.setStage("");
    return staged.out;
  }

  #failed(name: StageName, error: unknown): unknown {
    this.result.ok = false;
    log.endStatus();
    log.setStage("");
    if (!(error instanceof CodegenError)) {
      log.error(`${name} stage failed unexpectedly; ${this.progress()}`);
      return error;
    }
    // The push stands although the pin failed: the report must say what origin holds now.
    if (error instanceof PinAfterPushError) this.result.merge = pushRecord(error.pushed);
    this.result.seconds = seconds(this.#started);
    return new PipelineError(name, error, this.result, this.progress());
  }

  progress(): string {
    const done = this.records.filter((r) =>
      r.status === "done" || r.status === "planned" || r.status === "skipped"
    );
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
