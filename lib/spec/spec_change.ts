/**
 * What a spec stage changed in the API: the spec it replaces (read before writing: the committed
 * version, else the file on disk; spec_input.ts `previousSpec`) compared with the one it wrote,
 * reported as one summary line plus the changed operations (stderr), and as data (`spec_diff` in
 * `--json`). `--fail-on-breaking` turns breaking changes into an error once the spec is written.
 */
import { CodegenError, messageOf } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { runIsOver } from "../core/cleanup.ts";
import { diffSpecs, type SpecDiff } from "./diff.ts";
import { breakingChangesMessage, formatDiffSummary, formatSpecDiff } from "./diff_format.ts";
import type { OpenApiDocument } from "./openapi.ts";
import { type LoadedSpec, previousSpec } from "./spec_input.ts";

/**
 * The spec that writing `specFile` replaces, or undefined on a first run. One that cannot be read
 * (not JSON, not OpenAPI) is reported and treated as none: it must not stop a new spec.
 */
export async function specBeforeWrite(
  repoRoot: string,
  specFile: string,
  cwd?: string,
): Promise<LoadedSpec | undefined> {
  try {
    return await previousSpec(repoRoot, specFile, cwd);
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    // Read ahead and abandoned by a run that failed (or was interrupted) first: its git was stopped.
    if (runIsOver()) return undefined;
    log.warn(`the previous spec cannot be compared with the new one: ${messageOf(error)}`);
    return undefined;
  }
}

/** Compares the new spec with the previous one; undefined when there was none. */
export async function specChange(
  previous: LoadedSpec | undefined,
  written: OpenApiDocument,
  writtenLabel: string,
): Promise<SpecDiff | undefined> {
  if (!previous) return undefined;
  return await diffSpecs(previous.document, written, {
    before: previous.label,
    after: writtenLabel,
  });
}

/** The lines shown on stderr: a summary against the previous spec, then changed operations. */
export function specChangeLines(diff: SpecDiff | undefined): string[] {
  if (!diff) return ["spec: no previous spec to compare with (first run)"];
  const summary = formatDiffSummary(diff);
  if (summary === "no changes") return [`spec: no API changes since ${diff.before}`];
  const [, ...operations] = formatSpecDiff(diff).split("\n");
  return [`spec: ${summary} since ${diff.before}`, ...operations];
}

/**
 * Breaking changes with `--fail-on-breaking`: the error says the new spec is written, where the
 * changes are (listed on stderr, and again by `codegen diff` while the old spec is committed) and
 * how to accept them.
 */
export class BreakingSpecError extends CodegenError {
  constructor(readonly diff: SpecDiff, writtenPath: string) {
    // The previous spec was read from git (HEAD:path) or from the file just replaced: only the
    // first can be compared again.
    const again = diff.before.startsWith("HEAD:")
      ? ` (\`codegen diff ${diff.before} ${diff.after}\` shows them again)`
      : "";
    super(breakingChangesMessage(diff), {
      hint: `The new spec was written to ${writtenPath}; nothing else was done. Review the ` +
        `breaking changes listed above${again}, then run again without --fail-on-breaking to ` +
        "accept them.",
    });
  }
}

/** Throws BreakingSpecError when `failOnBreaking` and the diff has breaking changes. */
export function assertNotBreaking(
  diff: SpecDiff | undefined,
  failOnBreaking: boolean,
  writtenPath: string,
): void {
  if (failOnBreaking && diff?.breaking) throw new BreakingSpecError(diff, writtenPath);
}
