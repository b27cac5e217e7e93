/**
 * CHANGELOG.md sections for releases: the API changes since the last release (breaking changes
 * first) and the commits. A new section goes above the previous ones, below the title; a file that
 * already has a section for the version is left as it is (a rerun adds nothing).
 */
import { breakingChanges, type OperationChange, type SpecChanges } from "../github/changes.ts";
import { bullets, code, plain } from "../github/markdown.ts";

export interface Commit {
  sha: string;
  subject: string;
}

export interface ChangelogEntry {
  version: string;
  /** YYYY-MM-DD. */
  date: string;
  /** Undefined when the spec diff was not computed. */
  specChanges?: SpecChanges;
  /** Commits since the last release, newest first. */
  commits: Commit[];
}

const TITLE = "# Changelog";
/** At most this many commits are listed. */
const MAX_COMMITS = 50;

function line(change: OperationChange, fallback: string): string {
  const why = change.descriptions?.length ? change.descriptions.map(plain).join("; ") : fallback;
  return `${code(change.operation)}: ${why}`;
}

/** The release notes: the section without its heading (also the GitHub release's body). */
export function releaseNotes(entry: ChangelogEntry): string {
  const parts: string[] = [];
  const spec = entry.specChanges;
  const breaking = breakingChanges(spec);
  const list = (title: string, items: string[]) => {
    if (items.length) parts.push(`### ${title}\n\n${bullets(items)}`);
  };
  if (spec) {
    list(
      "⚠️ Breaking changes",
      breaking.map((c) => line(c, spec.removed.includes(c) ? "removed" : "changed")),
    );
    list("Features", spec.added.filter((c) => !c.breaking).map((c) => line(c, "added")));
    list(
      "Changes",
      [...spec.changed, ...spec.removed].filter((c) => !c.breaking)
        .map((c) => line(c, spec.removed.includes(c) ? "removed" : "changed")),
    );
  }
  const commits = entry.commits.map((c) => `${c.sha.slice(0, 7)} ${plain(c.subject)}`);
  list("Commits", commits.slice(0, MAX_COMMITS));
  if (commits.length > MAX_COMMITS) {
    parts.push(`… and ${commits.length - MAX_COMMITS} earlier commits`);
  }
  return parts.length ? parts.join("\n\n") : "No changes to the API.";
}

export function sectionHeading(version: string, date: string): string {
  return `## ${version} (${date})`;
}

/** Does the changelog already have a section for `version` (`## 1.2.3`, `## [1.2.3]`, `## v1.2.3`)? */
function sectionStart(text: string, version: string): number {
  const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.search(new RegExp(`^## \\[?v?${escaped}\\]?(?=[\\s(]|$)`, "m"));
}

/**
 * The changelog with the entry's section added (`text` undefined: no CHANGELOG.md yet), and
 * whether anything was added. Line endings follow the file's.
 */
export function addSection(
  text: string | undefined,
  entry: ChangelogEntry,
): { text: string; added: boolean } {
  const existing = text ?? `${TITLE}\n`;
  if (sectionStart(existing, entry.version) >= 0) return { text: existing, added: false };
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const section = `${sectionHeading(entry.version, entry.date)}\n\n${releaseNotes(entry)}\n`
    .replaceAll("\n", eol);
  const first = existing.search(/^## /m);
  if (first >= 0) {
    return { text: existing.slice(0, first) + section + eol + existing.slice(first), added: true };
  }
  const body = existing.replace(/(\r?\n)*$/, "");
  return { text: `${body}${eol}${eol}${section}`, added: true };
}

/** The notes of `version`'s section of a changelog (without the heading), if it has one. */
export function sectionNotes(text: string, version: string): string | undefined {
  const start = sectionStart(text, version);
  if (start < 0) return undefined;
  const afterHeading = text.indexOf("\n", start) + 1 || text.length;
  const next = text.slice(afterHeading).search(/^## /m);
  const end = next < 0 ? text.length : afterHeading + next;
  return text.slice(afterHeading, end).replace(/\r\n/g, "\n").trim();
}
