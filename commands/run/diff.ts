/** `diff OLD NEW`: load both specs, compare, print; `--fail-on-breaking` exits 1 on breaking ones. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { userCwd } from "../../lib/config/context.ts";
import { resolveRepoRoot } from "../../lib/config/context.ts";
import { CodegenError } from "../../lib/core/errors.ts";
import { log } from "../../lib/core/log.ts";
import { diffSpecs, type SpecDiff } from "../../lib/spec/diff.ts";
import { breakingChangesMessage, formatSpecDiff } from "../../lib/spec/diff_format.ts";
import { loadSpecInput } from "../../lib/spec/spec_input.ts";
import type { Input } from "../options.ts";

/** --fail-on-breaking found something: the diff was printed; --json gets it with the error. */
class BreakingDiff extends CodegenError {
  constructor(readonly diff: SpecDiff, json: boolean) {
    const where = json
      ? "in this object: `removed`, the `changed` entries with `breaking: true`, and the `other` " +
        "changes of `type` `breaking`"
      : "above (--json gives each change with its JSON pointer)";
    super(breakingChangesMessage(diff), {
      hint: `The breaking changes are listed ${where}. The exit code 1 is --fail-on-breaking's: ` +
        "without it, `codegen diff` only reports them.",
    });
  }
}

export async function run(input: Input<"failOnBreaking" | "json">): Promise<CommandOutput> {
  const cwd = userCwd();
  const repoRoot = await resolveRepoRoot(input.globals.repoRoot, cwd);
  const [oldArg, newArg] = input.args as string[];
  const [before, after] = bothOrBothErrors(
    await Promise.allSettled(
      [oldArg, newArg].map((arg) => loadSpecInput(arg, { repoRoot, cwd })),
    ),
  );
  const diff = await diffSpecs(before.document, after.document, {
    before: before.label,
    after: after.label,
  });
  const lines = formatSpecDiff(diff).split("\n");
  if (input.options.failOnBreaking && diff.breaking) {
    if (!input.options.json) { for (const line of lines) log.result(line); }
    throw new BreakingDiff(diff, input.options.json ?? false);
  }
  return { json: { ...diff }, lines };
}

/**
 * Both specs, or one error that names what is wrong with each of them (two missing files are
 * both named, not only the one that failed first).
 */
function bothOrBothErrors<T>(results: PromiseSettledResult<T>[]): T[] {
  const errors = results.flatMap((r) => r.status === "rejected" ? [r.reason] : []);
  if (errors.length === 0) return results.map((r) => (r as PromiseFulfilledResult<T>).value);
  const [first, second] = errors;
  if (!second || !(first instanceof CodegenError) || !(second instanceof CodegenError)) {
    throw first;
  }
  const hints = [...new Set([first.hint, second.hint].filter(Boolean))];
  throw new CodegenError(`neither spec can be read: ${first.message}; ${second.message}`, {
    kind: first.kind === "usage" || second.kind === "usage" ? "usage" : first.kind,
    hint: hints.join(" ") || undefined,
  });
}

/** --json on failure: the diff. */
export function failureJson(error: unknown): Record<string, unknown> {
  return error instanceof BreakingDiff ? { ...error.diff } : {};
}
