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

/** RFC 3986 characters of a URI; anything else (a space, a non-ASCII letter) must be %-encoded. */
const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const IDENTIFIER = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const VERSION_CMP = /^(===|==|!=|<=|>=|~=|<|>)\s*([A-Za-z0-9_.*+!-]+)$/;
const MARKER_VARS = new Set([
  "python_version",
  "python_full_version",
  "os_name",
  "sys_platform",
  "platform_release",
  "platform_system",
  "platform_version",
  "platform_machine",
  "platform_python_implementation",
  "implementation_name",
  "implementation_version",
  "extra",
  "dependency_groups",
  // Accepted for compatibility by packaging (PEP 508 names them in its examples).
  "os.name",
  "sys.platform",
  "platform.version",
  "platform.machine",
  "platform.python_implementation",
  "python_implementation",
]);

/**
 * Why `text` is not a valid PEP 508 requirement, or undefined when it is: name, extras, then a
 * URL (`@ scheme:...`, RFC 3986 characters only, whitespace before a marker) or version
 * specifiers (PEP 440 versions), then an optional `; marker`. Written by hand: the pin must be
 * checked before it is written, and no maintained npm package parses PEP 508.
 */
export async function requirementProblem(text: string): Promise<string | undefined> {
  const match = NAME_AND_EXTRAS.exec(text);
  if (!match) return "it does not start with a valid package name";
  const extras = match[2]?.slice(1, -1).split(",").map((e) => e.trim()).filter(Boolean) ?? [];
  const badExtra = extras.find((e) => !IDENTIFIER.test(e));
  if (badExtra) return `the extra ${JSON.stringify(badExtra)} is not a valid name`;
  let rest = text.slice(match[0].length);
  let marker: string | undefined;
  if (/^\s*@/.test(rest)) {
    rest = rest.replace(/^\s*@\s*/, "");
    const end = rest.search(/\s/);
    const url = end < 0 ? rest : rest.slice(0, end);
    const after = end < 0 ? "" : rest.slice(end).trim();
    const problem = urlProblem(url);
    if (problem) return problem;
    if (after && !after.startsWith(";")) {
      return `unexpected ${
        JSON.stringify(after)
      } after the URL ${url} (a space in a URL is written %20)`;
    }
    marker = after ? after.slice(1) : undefined;
  } else {
    const semicolon = rest.indexOf(";");
    const spec = (semicolon < 0 ? rest : rest.slice(0, semicolon)).trim();
    if (semicolon >= 0) marker = rest.slice(semicolon + 1);
    const problem = spec ? await versionSpecProblem(spec.replace(/^\((.*)\)$/, "$1")) : undefined;
    if (problem) return problem;
  }
  return marker === undefined ? undefined : markerProblem(marker);
}

function urlProblem(url: string): string | undefined {
  if (!url) return "the URL after `@` is empty";
  if (!URI_SCHEME.test(url)) return `the URL ${url} has no scheme`;
  if (!URI_CHARS.test(url)) {
    const bad = [...url].find((c) => !URI_CHARS.test(c))!;
    return `the URL ${url} contains ${JSON.stringify(bad)}, which must be percent-encoded`;
  }
  const badEscape = /%(?![0-9A-Fa-f]{2})/.exec(url);
  if (badEscape) return `the URL ${url} has a \`%\` that is not followed by two hex digits`;
  return undefined;
}

async function versionSpecProblem(spec: string): Promise<string | undefined> {
  const { valid } = await import("@renovatebot/pep440");
  for (const clause of spec.split(",").map((c) => c.trim())) {
    const found = VERSION_CMP.exec(clause);
    if (!found) return `${JSON.stringify(clause)} is not a version specifier`;
    const [, op, version] = found;
    if (op === "===") continue; // arbitrary equality: any string
    const wildcard = (op === "==" || op === "!=") && version.endsWith(".*");
    if (!valid(wildcard ? version.slice(0, -2) : version)) {
      return `${JSON.stringify(version)} is not a PEP 440 version`;
    }
  }
  return undefined;
}

/** A PEP 508 marker: `var op var` joined by `and`/`or`, with parentheses. */
function markerProblem(marker: string): string | undefined {
  const tokens = marker.match(/'[^']*'|"[^"]*"|===|==|!=|<=|>=|~=|<|>|\(|\)|[A-Za-z_][\w.]*|\S/g) ??
    [];
  let at = 0;
  const isValue = (t: string | undefined) =>
    t !== undefined && (/^['"]/.test(t) || MARKER_VARS.has(t));
  const expression = (): string | undefined => {
    const conjunction = (): string | undefined => {
      const term = (): string | undefined => {
        if (tokens[at] === "(") {
          at++;
          const inner = expression();
          if (inner) return inner;
          if (tokens[at++] !== ")") return "a `(` is not closed";
          return undefined;
        }
        if (!isValue(tokens[at])) {
          return `${JSON.stringify(tokens[at] ?? "")} is not a marker value`;
        }
        at++;
        let op = tokens[at++];
        if (op === "not" && tokens[at] === "in") op = `not ${tokens[at++]}`;
        if (!/^(===|==|!=|<=|>=|~=|<|>|in|not in)$/.test(op ?? "")) {
          return `${JSON.stringify(op ?? "")} is not a marker operator`;
        }
        if (!isValue(tokens[at])) {
          return `${JSON.stringify(tokens[at] ?? "")} is not a marker value`;
        }
        at++;
        return undefined;
      };
      let problem = term();
      while (!problem && tokens[at] === "and") {
        at++;
        problem = term();
      }
      return problem;
    };
    let problem = conjunction();
    while (!problem && tokens[at] === "or") {
      at++;
      problem = conjunction();
    }
    return problem;
  };
  const problem = tokens.length === 0 ? "the marker after `;` is empty" : expression();
  if (problem) return `invalid marker: ${problem}`;
  return at < tokens.length
    ? `invalid marker: unexpected ${JSON.stringify(tokens[at])}`
    : undefined;
}
