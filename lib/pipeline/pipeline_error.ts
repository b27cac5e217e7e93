/**
 * The error of a failed stage of `all`. Its own small module: `all` reports a failure with it
 * (commands/run/all.ts failureJson) without loading the pipeline, which it loads only once the
 * trace server is starting.
 */
import { CodegenError } from "../core/errors.ts";
import type { PipelineResult, StageName } from "./report.ts";

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
