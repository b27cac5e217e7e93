/**
 * The human rendering of a spec diff (diff.ts): a one-line summary, then one line per operation
 * added (+), removed (-) or changed (~), with the changes worth reading under each changed one.
 * The `--json` form is the `SpecDiff` object itself (`JSON.stringify(diff, null, 2)`).
 */
import type { ChangeType, SpecChange, SpecDiff } from "./diff.ts";

export interface FormatOptions {
  /**
   * Which changes are listed under a changed operation: "breaking" (the default: breaking and
   * deprecations), "all", or "none" (operation lines only). Counts are always shown.
   */
  details?: "breaking" | "all" | "none";
}

const TYPE_ORDER: ChangeType[] = [
  "breaking",
  "deprecated",
  "non-breaking",
  "annotation",
  "unclassified",
];

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** "3 operations added, 1 removed, 2 changed (1 breaking)"; "no changes" when identical. */
export function formatDiffSummary(diff: SpecDiff): string {
  const { added, removed, changed, changedBreaking } = diff.counts;
  if (added + removed + changed + diff.other.length === 0) return "no changes";
  let line = `${plural(added, "operation")} added, ${removed} removed, ${changed} changed`;
  if (changed > 0) line += ` (${changedBreaking} breaking)`;
  if (diff.other.length > 0) {
    const otherBreaking = diff.other.filter((change) => change.type === "breaking").length;
    line += `; ${plural(diff.other.length, "other change")}`;
    if (otherBreaking > 0) line += ` (${otherBreaking} breaking)`;
  }
  return line;
}

/** "2 breaking, 5 non-breaking, 1 annotation". */
function countByType(changes: SpecChange[]): string {
  return TYPE_ORDER.map((type) => [type, changes.filter((c) => c.type === type).length] as const)
    .filter(([, count]) => count > 0)
    .map(([type, count]) => `${count} ${type}`)
    .join(", ");
}

function listed(changes: SpecChange[], details: FormatOptions["details"]): SpecChange[] {
  if (details === "all") {
    return [...changes].sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type));
  }
  if (details === "none") return [];
  return changes.filter((change) => change.type === "breaking" || change.type === "deprecated");
}

function changeLine(change: SpecChange): string {
  return `      ${change.type}: ${change.description}`;
}

/** The summary line, then the operations (and, per `details`, their changes), one per line. */
export function formatSpecDiff(diff: SpecDiff, options: FormatOptions = {}): string {
  const details = options.details ?? "breaking";
  const lines = [formatDiffSummary(diff)];
  for (const operation of diff.added) lines.push(`  + ${operation}`);
  for (const operation of diff.removed) lines.push(`  - ${operation} (breaking)`);
  for (const entry of diff.changed) {
    const renamed = entry.previousPath ? ` (was ${entry.previousPath})` : "";
    lines.push(`  ~ ${entry.operation}${renamed}: ${countByType(entry.changes)}`);
    lines.push(...listed(entry.changes, details).map(changeLine));
  }
  if (diff.other.length > 0) {
    lines.push(`  other: ${countByType(diff.other)}`);
    lines.push(...listed(diff.other, details).map(changeLine));
  }
  return lines.join("\n");
}

/**
 * The message of the error `--fail-on-breaking` throws (exit 1) when `diff.breaking`: what breaks,
 * counted, between which two specs. The hint is the caller's: only it knows where the changes were
 * shown (above on stderr, or in its `--json` object) and what accepting them means there.
 */
export function breakingChangesMessage(diff: SpecDiff): string {
  const { removed, changedBreaking } = diff.counts;
  const otherBreaking = diff.other.filter((change) => change.type === "breaking").length;
  const parts = [
    removed > 0 ? `${plural(removed, "operation")} removed` : "",
    changedBreaking > 0 ? `${plural(changedBreaking, "operation")} changed incompatibly` : "",
    otherBreaking > 0 ? `${plural(otherBreaking, "breaking change")} outside operations` : "",
  ].filter(Boolean);
  return `breaking API changes from ${diff.before} to ${diff.after}: ${parts.join(", ")}`;
}
