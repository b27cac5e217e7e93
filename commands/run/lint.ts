/** `lint`: lint the Stainless config against the spec; print the findings; exit 1 on errors. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { specPathHint, stainlessConfigHint } from "../../lib/config/input_hints.ts";
import { CodegenError } from "../../lib/core/errors.ts";
import { log } from "../../lib/core/log.ts";
import { displayPath } from "../../lib/core/paths.ts";
import { formatLint, lintJson, type LintResult } from "../../lib/inputs/lint.ts";
import { lintFiles } from "../../lib/inputs/lint_files.ts";
import type { Input } from "../options.ts";

/**
 * Errors in the config: the findings were printed, or (--json) are in the same object as this
 * error, so the message points there.
 */
class LintErrors extends CodegenError {
  constructor(readonly result: LintResult, shown: string, json: boolean) {
    const where = json ? "see `findings`" : "listed above";
    super(`${shown}: ${result.errors} error${result.errors === 1 ? "" : "s"} (${where})`, {
      hint: `Fix the config entries named ${json ? "in `findings`" : "above"} (or the spec), ` +
        "then run `codegen lint` again. `all` still runs with them; local generators drop or " +
        "refuse drifted entries (see docs/generators.md).",
    });
  }
}

export async function run(input: Input<"json">): Promise<CommandOutput> {
  const context = await createContext(input);
  const { settings } = context;
  const { result } = await lintFiles(
    settings.get("openapi_output"),
    settings.get("stainless_config"),
    { spec: specPathHint(settings), config: stainlessConfigHint(settings) },
  );
  const shown = displayPath(result.configFile, context.cwd);
  const lines = formatLint(
    { ...result, specFile: displayPath(result.specFile, context.cwd) },
    shown,
  ).split("\n");
  if (result.errors > 0) {
    if (!input.options.json) { for (const line of lines) log.result(line); }
    throw new LintErrors(result, shown, input.options.json ?? false);
  }
  return { json: findings(result), lines };
}

/** lintJson without its `ok` (the JSON object's own `ok` says it). */
function findings(result: LintResult): Record<string, unknown> {
  const { ok: _ok, ...rest } = lintJson(result);
  return rest;
}

/** --json on failure: the findings. */
export function failureJson(error: unknown): Record<string, unknown> {
  return error instanceof LintErrors ? findings(error.result) : {};
}
