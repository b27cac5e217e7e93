/**
 * The lint steps of `all`, kept out of the stage functions (run.ts) that call them:
 *
 *   check stage  lint the Stainless config against the saved spec (both files must exist) and show
 *                the findings, each under its severity's prefix; never fails the run (the
 *                generator decides what drift means: the hosted one tolerates it, local ones drop
 *                drifted entries; transformations no spec could take stop a local generator in
 *                its preflight, lib/generate/local_inputs.ts, and the hosted one on its side)
 *   spec stage   when the new spec is not the one linted (another sha256), lint again and show the
 *                findings that are new; the `lint` object of the result is the last lint
 * (The spec diff is lib/spec/spec_change.ts; the skip, lib/generate/provenance.ts.)
 */
import { CodegenError, messageOf } from "../core/errors.ts";
import { exists } from "../core/fs.ts";
import { log } from "../core/log.ts";
import { displayPath } from "../core/paths.ts";
import type { LintFinding, LintJson, LintResult } from "../inputs/lint.ts";
import { lintJson } from "../inputs/lint.ts";
import { type LintedFiles, lintFiles } from "../inputs/lint_files.ts";

/** Findings shown at normal verbosity; the rest are counted (all of them with --verbose). */
const SHOWN_FINDINGS = 20;

export interface LintPaths {
  specPath: string;
  configPath: string;
  /** Findings name the config relative to it. */
  repoRoot: string;
}

function findingLine(f: LintFinding, repoRoot: string): string {
  return `lint: ${displayPath(f.file, repoRoot)}:${f.line}: ${f.message} [${f.code}]`;
}

/**
 * Each finding under the prefix of its severity (`error: lint: ...`, `warning: lint: ...`). An
 * error finding does not fail the run by itself: what the drift means is the generator's call.
 */
function showFinding(f: LintFinding, repoRoot: string): void {
  if (f.severity === "error") log.error(findingLine(f, repoRoot));
  else log.warn(findingLine(f, repoRoot));
}

function counts(result: LintResult): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  return `${n(result.errors, "error")}, ${n(result.warnings, "warning")}`;
}

function show(findings: LintFinding[], repoRoot: string): void {
  const limit = log.isVerbose ? findings.length : SHOWN_FINDINGS;
  for (const finding of findings.slice(0, limit)) showFinding(finding, repoRoot);
  if (findings.length > limit) {
    log.info(`lint: ${findings.length - limit} more (--verbose, or \`codegen lint\`, lists them)`);
  }
}

/** The check stage's lint: undefined (and why, at --verbose) when a file is missing or unreadable. */
export async function lintBeforeRun(paths: LintPaths): Promise<LintedFiles | undefined> {
  for (const [what, path] of [["spec", paths.specPath], ["config", paths.configPath]]) {
    if (!(await exists(path))) {
      log.verbose(`lint skipped: no ${what} at ${path}`);
      return undefined;
    }
  }
  let linted: LintedFiles;
  try {
    linted = await lintFiles(paths.specPath, paths.configPath);
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    log.warn(`lint: cannot lint the Stainless config: ${messageOf(error)}`);
    return undefined;
  }
  const { result } = linted;
  if (result.findings.length === 0) {
    log.verbose(`lint: the Stainless config matches the spec (${counts(result)})`);
  } else {
    show(result.findings, paths.repoRoot);
    log.info(`lint: ${counts(result)} in the Stainless config (\`codegen lint\` for details)`);
  }
  return linted;
}

const findingKey = (f: LintFinding) => `${f.code}\0${f.line}\0${f.message}`;

/**
 * After the spec stage: lints again when the new spec (sha256 `specSha256`) is not the one
 * linted before, and shows the findings that are new; returns the lint that holds now.
 */
export async function lintAfterSpec(
  before: LintedFiles | undefined,
  paths: LintPaths,
  specSha256: string | undefined,
): Promise<LintedFiles | undefined> {
  if (before && before.specSha256 === specSha256) return before;
  if (!(await exists(paths.configPath))) return undefined;
  let after: LintedFiles;
  try {
    after = await lintFiles(paths.specPath, paths.configPath);
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    log.warn(`lint: cannot lint the Stainless config: ${messageOf(error)}`);
    return undefined;
  }
  const seen = new Set(before?.result.findings.map(findingKey) ?? []);
  const fresh = after.result.findings.filter((f) => !seen.has(findingKey(f)));
  const now = new Set(after.result.findings.map(findingKey));
  const resolved = [...seen].filter((key) => !now.has(key)).length;
  show(fresh, paths.repoRoot);
  log.info(
    `lint against the new spec: ${
      counts(after.result)
    } (${fresh.length} new, ${resolved} resolved)`,
  );
  return after;
}

/** The `lint` object of `all --json`: the lint that holds at the end (no transformed spec). */
export function lintRecord(linted: LintedFiles | undefined): LintJson | undefined {
  return linted ? lintJson(linted.result) : undefined;
}
