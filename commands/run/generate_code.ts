/** `generate_code`: every configured SDK clone gets the generated code on its local `main`. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { generateCode } from "../../lib/generate/generate_code.ts";
import type { Input } from "../options.ts";
import { ApiRemovalsError, describeSdkApi } from "../../lib/generate/review.ts";
import { formatWarning, WarningsError } from "../../lib/generate/warnings.ts";

export async function run(
  input: Input<"init" | "dryRun" | "regenerate" | "allGroups">,
): Promise<CommandOutput> {
  const { options } = input;
  const context = await createContext(input);
  const dryRun = options.dryRun ?? false;
  const result = await generateCode({
    settings: context.settings,
    repoRoot: context.repoRoot,
    dryRun,
    init: options.init ?? false,
    regenerate: options.regenerate ?? false,
    allGroups: options.allGroups ?? false,
  });
  const lines = Object.entries(result.targets).map(([target, r]) => {
    const state = dryRun
      ? "dry run"
      : r?.skipped
      ? "up to date"
      : r?.changed
      ? "updated"
      : "unchanged";
    return `${target}\t${r?.clone}\tmain ${r?.commit ?? "-"}\t${state}`;
  });
  // A skipped report is a note on stderr (and `sdk_api.skipped` in --json), not a result line.
  if (result.sdk_api && "base" in result.sdk_api) {
    lines.push(`sdk api\t${describeSdkApi(result.sdk_api)}`);
  }
  const warnings = result.warnings ?? [];
  if (warnings.length) {
    lines.push(`warnings\t${warnings.length}`, ...warnings.map((w) => `\t${formatWarning(w)}`));
  }
  return { json: { dryRun, ...result }, lines };
}

/**
 * --json on failure: the SDK API report that --fail-on api-removals stopped the run on, or the
 * warnings that --fail-on warnings stopped it on.
 */
export function failureJson(error: unknown): Record<string, unknown> {
  if (error instanceof ApiRemovalsError) return { sdk_api: error.record };
  return error instanceof WarningsError ? { warnings: error.warnings } : {};
}
