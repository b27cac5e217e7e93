/**
 * Reading a hosted build: which conclusions are failures, when a target is done, one progress
 * line per build state, and diagnostics grouped by severity.
 */
import type { Build, BuildDiagnostic, BuildTarget, CheckStep } from "./client.ts";
import type { GeneratorWarning } from "../warnings.ts";

export const CHECK_STEPS = ["lint", "build", "test"] as const;
export type CheckStepName = typeof CHECK_STEPS[number];

/** Commit conclusions that produced a usable commit (diagnostics may still report errors). */
const GOOD_COMMIT = new Set(["success", "warning", "note", "error", "noop"]);
/** Check-step conclusions that count as a failed step. */
const FAILED_STEP = new Set(["failure", "timed_out", "action_required"]);

export type CommitStep = BuildTarget["commit"];
type CompletedCommit = Extract<CommitStep, { status: "completed" }>;

/** The state of one target of a build; undefined when the build has no such target. */
export function buildTarget(build: Build, name: string): BuildTarget | undefined {
  return (build.targets as Record<string, BuildTarget | undefined>)[name];
}

export function completedCommit(target: BuildTarget | undefined): CompletedCommit | undefined {
  return target?.commit.status === "completed" ? target.commit : undefined;
}

export function isGoodCommit(commit: CompletedCommit): boolean {
  return GOOD_COMMIT.has(commit.conclusion);
}

export function stepConclusion(step: CheckStep | undefined): string | undefined {
  return step?.status === "completed" ? step.conclusion : undefined;
}

export function isFailedStep(step: CheckStep | undefined): boolean {
  const conclusion = stepConclusion(step);
  return conclusion !== undefined && FAILED_STEP.has(conclusion);
}

/**
 * A target is done when the service says so, when its commit failed (no checks will run), or
 * when its commit is done and every step we fail on has finished (others are not waited for).
 */
export function isTargetDone(
  target: BuildTarget | undefined,
  failOn: readonly CheckStepName[],
): boolean {
  if (!target) return false;
  if (target.status === "completed") return true;
  const commit = completedCommit(target);
  if (!commit) return false;
  if (!isGoodCommit(commit)) return true;
  return failOn.every((name) => target[name] === undefined || target[name]?.status === "completed");
}

function stepText(step: CheckStep | CommitStep | undefined): string {
  if (!step) return "-";
  if (step.status === "completed") return (step as { conclusion: string }).conclusion;
  return step.status;
}

/** "python: commit success, lint in_progress, build queued, test not_started". */
export function progressLine(build: Build, targets: readonly string[]): string {
  const parts = targets.map((name) => {
    const target = buildTarget(build, name);
    if (!target) return `${name}: waiting`;
    const steps = CHECK_STEPS.map((step) => `${step} ${stepText(target[step])}`);
    return `${name}: commit ${stepText(target.commit)}, ${steps.join(", ")}`;
  });
  return `build ${build.id}: ${parts.join(" | ")}`;
}

const SEVERITIES = ["fatal", "error", "warning", "note"] as const;

/** Diagnostics grouped by severity, most severe first; ignored ones left out. */
export function formatDiagnostics(
  diagnostics: readonly BuildDiagnostic[],
  limitPerLevel = 20,
): string {
  const lines: string[] = [];
  for (const level of SEVERITIES) {
    const group = diagnostics.filter((d) => d.level === level && !d.ignored);
    if (group.length === 0) continue;
    lines.push(`${level} (${group.length}):`);
    for (const d of group.slice(0, limitPerLevel)) {
      const where = d.config_ref
        ? ` [config ${d.config_ref}]`
        : d.oas_ref
        ? ` [spec ${d.oas_ref}]`
        : "";
      lines.push(`  ${d.code}: ${d.message.split("\n")[0]}${where}`);
    }
    if (group.length > limitPerLevel) lines.push(`  ... ${group.length - limitPerLevel} more`);
  }
  return lines.join("\n");
}

/** "2 errors, 5 warnings" (ignored diagnostics left out); empty when there are none. */
export function diagnosticCounts(diagnostics: readonly BuildDiagnostic[]): string {
  return SEVERITIES.map((level) =>
    [level, diagnostics.filter((d) => d.level === level && !d.ignored).length] as const
  )
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${level}${n === 1 ? "" : level === "fatal" ? "" : "s"}`)
    .join(", ");
}

/**
 * Error and warning diagnostics (not ignored) of a build that succeeded anyway: the build's
 * warnings (source `stainless`), one line each with where it points.
 */
export function diagnosticWarnings(diagnostics: readonly BuildDiagnostic[]): GeneratorWarning[] {
  return diagnostics.filter((d) => !d.ignored && (d.level === "error" || d.level === "warning"))
    .map((d) => {
      const where = d.config_ref
        ? ` [config ${d.config_ref}]`
        : d.oas_ref
        ? ` [spec ${d.oas_ref}]`
        : "";
      return {
        source: "stainless",
        message: `${d.level} ${d.code}: ${d.message.split("\n")[0]}${where}`,
      };
    });
}

/** What to do after a failed commit conclusion. */
export function nextStepForConclusion(conclusion: string, commit: CompletedCommit): string {
  switch (conclusion) {
    case "fatal":
      return "Fix the fatal diagnostics (in openapi.stainless.yml or the server's OpenAPI spec), then run again.";
    case "merge_conflict":
    case "upstream_merge_conflict": {
      const pr = commit.merge_conflict_pr;
      return pr
        ? `Resolve the merge conflict in ${pr.repo.owner}/${pr.repo.name}#${pr.number}, then run again.`
        : "Resolve the merge conflict of the generated branch on Stainless, then run again.";
    }
    case "payment_required":
      return "The Stainless organization's plan does not cover this build; check billing, or use a local generator (docs/generators.md).";
    case "timed_out":
      return "The generator timed out on Stainless' side; run again later.";
    case "cancelled":
      return "The build was cancelled on Stainless; run again.";
    default:
      return "Check the build on app.stainless.com and the diagnostics above, then run again.";
  }
}
