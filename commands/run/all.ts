/** `all`: the pipeline (lib/pipeline/run.ts), then its summary or its result as JSON. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { CodegenError } from "../../lib/core/errors.ts";
import { PipelineError } from "../../lib/pipeline/pipeline_error.ts";
import { type EarlySpec, specOptions, startSpecEarly } from "../../lib/pipeline/early_spec.ts";
import { requireTargets } from "../../lib/config/targets.ts";
import type { Input } from "../options.ts";
import { lockTrace } from "./trace_lock.ts";

export async function run(
  input: Input<
    | "traceBranch"
    | "force"
    | "base"
    | "dryRun"
    | "regenerate"
    | "failOnBreaking"
    | "allGroups"
    | "url"
    | "app"
    | "noWait"
  >,
): Promise<CommandOutput> {
  const { options } = input;
  const context = await createContext(input);
  // Held from before the first prompt (an answer may be saved) through the pin.
  const release = await lockTrace(context, options);
  let early: EarlySpec | undefined;
  try {
    const targets = await requireTargets(context, { packageName: true });
    await context.offerToSaveFlags();
    const specMode = { url: options.url, app: options.app };
    // The trace server first: the pipeline's modules (a third of the start-up) load while it
    // starts, not before (lib/pipeline/early_spec.ts). A dry run starts nothing.
    if (!options.dryRun) {
      early = startSpecEarly(specOptions(context.settings, context.repoRoot, specMode));
    }
    const [{ runPipeline }, { formatSummary }] = await Promise.all([
      import("../../lib/pipeline/run.ts"),
      import("../../lib/pipeline/report.ts"),
    ]);
    const result = await runPipeline({
      settings: context.settings,
      repoRoot: context.repoRoot,
      targets,
      allGroups: options.allGroups ?? false,
      specMode,
      traceBranch: options.traceBranch,
      force: options.force ?? false,
      regenerate: options.regenerate ?? false,
      failOnBreaking: options.failOnBreaking ?? false,
      dryRun: options.dryRun ?? false,
      prBase: options.base,
    }, early);
    return { json: { ...result }, lines: formatSummary(result) };
  } catch (error) {
    early?.cancel(error); // no spec is written (a no-op once the check stage passed)
    throw error;
  } finally {
    await release();
  }
}

/** --json on failure: what the stages did, and which one failed (`check` before the first). */
export function failureJson(error: unknown): Record<string, unknown> {
  if (error instanceof PipelineError) {
    return { ...error.result, error: { stage: error.stage } };
  }
  return error instanceof CodegenError ? { error: { stage: "check" } } : {};
}
