/** `get_openapi_spec`: the spec from a started server, a running one (--url) or the app (--app). */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import {
  describeSpecPlan,
  getSpec,
  type GetSpecOptions,
  specSource,
} from "../../lib/spec/get_spec.ts";
import { log } from "../../lib/core/log.ts";
import { displayPath } from "../../lib/core/paths.ts";
import {
  assertNotBreaking,
  BreakingSpecError,
  specBeforeWrite,
  specChange,
  specChangeLines,
} from "../../lib/spec/spec_change.ts";
import type { LoadedSpec } from "../../lib/spec/spec_input.ts";
import type { Input } from "../options.ts";
import { lockTrace } from "./trace_lock.ts";

export async function run(
  input: Input<"url" | "app" | "dryRun" | "failOnBreaking" | "noWait">,
): Promise<CommandOutput> {
  const { options } = input;
  const context = await createContext(input);
  const { settings } = context;
  const outputFile = settings.get("openapi_output");
  const spec: GetSpecOptions = {
    source: specSource(settings, options),
    repoRoot: context.repoRoot,
    outputFile,
    outputSetting: settings.pathSetting("openapi_output"),
  };
  const shown = displayPath(outputFile, context.cwd);
  if (options.dryRun) {
    const plan = describeSpecPlan(spec);
    for (const line of plan) log.info(`[dry-run] would ${line}`);
    return {
      json: { dryRun: true, path: outputFile, written: false, plan },
      lines: [`${shown}: dry run; not written`],
    };
  }
  // The trace lock first: the previous spec must not be another run's half-way state.
  const release = await lockTrace(context, options);
  let result: Awaited<ReturnType<typeof getSpec>>;
  let diff: Awaited<ReturnType<typeof specChange>>;
  try {
    // The server is spawned first (its start-up is most of the run); the spec it replaces is
    // read while it starts, and awaited before the new one is written.
    let reading: Promise<LoadedSpec | undefined> | undefined;
    const readPrevious = () => {
      if (!reading) {
        reading = specBeforeWrite(context.repoRoot, outputFile, context.cwd);
        // Not silenced: awaited below, or getSpec failed first and that error wins.
        reading.catch(() => undefined);
      }
      return reading;
    };
    result = await getSpec({ ...spec, whileWaiting: readPrevious, beforeWrite: readPrevious });
    diff = await specChange(await readPrevious(), result.document, shown);
  } finally {
    await release();
  }
  for (const line of specChangeLines(diff)) log.info(line);
  assertNotBreaking(diff, options.failOnBreaking ?? false, shown);
  const s = result.summary;
  return {
    json: {
      dryRun: false,
      path: outputFile,
      written: true,
      ...s,
      stopped: result.stopped,
      spec_diff: diff ?? null,
    },
    lines: [
      `${shown}: OpenAPI ${s.openapiVersion}, ${s.paths} paths, ${s.operations} operations` +
      (s.title ? ` (${s.title}${s.version ? ` ${s.version}` : ""})` : ""),
    ],
  };
}

/** --json on failure: with --fail-on-breaking, the spec was written and the diff is known. */
export function failureJson(error: unknown): Record<string, unknown> {
  return error instanceof BreakingSpecError ? { written: true, spec_diff: error.diff } : {};
}
