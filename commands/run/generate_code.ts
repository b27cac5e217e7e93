/** `generate_code`: every configured SDK clone gets the generated code on its local `main`. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { generateCode } from "../../lib/generate/generate_code.ts";
import type { Input } from "../options.ts";
import { ApiRemovalsError, describeSdkApi } from "../../lib/generate/review.ts";

export async function run(input: Input<"init" | "dryRun">): Promise<CommandOutput> {
  const { options } = input;
  const context = await createContext(input);
  const dryRun = options.dryRun ?? false;
  const result = await generateCode({
    settings: context.settings,
    repoRoot: context.repoRoot,
    dryRun,
    init: options.init ?? false,
  });
  const lines = Object.entries(result.targets).map(([target, r]) => {
    const state = dryRun ? "dry run" : r?.changed ? "updated" : "unchanged";
    return `${target}\t${r?.clone}\tmain ${r?.commit ?? "-"}\t${state}`;
  });
  // A skipped report is a note on stderr (and `sdk_api.skipped` in --json), not a result line.
  if (result.sdk_api && "base" in result.sdk_api) {
    lines.push(`sdk api\t${describeSdkApi(result.sdk_api)}`);
  }
  if (result.warnings.length) {
    lines.push(`warnings\t${result.warnings.length}`, ...result.warnings.map((w) => `\t${w}`));
  }
  return { json: { dryRun, ...result }, lines };
}

/** --json on failure: the SDK API report that --fail-on api-removals stopped the run on. */
export function failureJson(error: unknown): Record<string, unknown> {
  return error instanceof ApiRemovalsError ? { sdk_api: error.record } : {};
}
