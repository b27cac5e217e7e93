/**
 * Python package names and requirement strings, just enough to find and rewrite one entry of a
 * dependency list: PEP 503 name normalization and the parts of a PEP 508 requirement.
 */

/** PEP 503: case-insensitive, runs of `-`, `_` and `.` are equivalent. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, "-");
}

/** A valid distribution name (PEP 508 `identifier`). */
export function isValidPackageName(name: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name);
}

export interface Requirement {
  name: string;
  /** `[a,b]` as written (with brackets), or "". */
  extras: string;
  /** Environment marker after `;`, trimmed, or "". */
  marker: string;
}

const NAME_AND_EXTRAS = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?/;

/** The name, extras and marker of a requirement string; undefined when it has no valid name. */
export function parseRequirement(text: string): Requirement | undefined {
  const match = NAME_AND_EXTRAS.exec(text);
  if (!match) return undefined;
  const rest = text.slice(match[0].length);
  // A URL requirement (`name @ url ; marker`) needs whitespace before `;`: URLs may contain `;`.
  const isUrl = /^\s*@/.test(rest);
  const markerAt = isUrl ? rest.search(/\s;/) + 1 : rest.indexOf(";");
  const marker = markerAt > 0 || (!isUrl && markerAt === 0) ? rest.slice(markerAt + 1).trim() : "";
  return { name: match[1], extras: (match[2] ?? "").replace(/\s+/g, ""), marker };
}

/** Does `requirement` name the package `name` (PEP 503 comparison)? */
export function requirementNames(requirement: string, name: string): boolean {
  const parsed = parseRequirement(requirement);
  return parsed !== undefined && normalizeName(parsed.name) === normalizeName(name);
}

/** `name[extras] <spec> ; marker`, keeping the extras and marker of the entry it replaces. */
export function formatRequirement(name: string, spec: string, previous?: Requirement): string {
  const extras = previous?.extras ?? "";
  const marker = previous?.marker ? ` ; ${previous.marker}` : "";
  return `${name}${extras}${spec}${marker}`;
}
