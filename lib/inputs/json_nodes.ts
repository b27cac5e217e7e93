/**
 * Finding and editing nodes of a JSON document (the spec): JSONPath through `jsonpath-plus` (the
 * library Stainless' transforms use, loaded on demand), JSON pointers (`#/components/schemas/X`),
 * Stainless' `{matches_schema}` selector, and the small edits the transformations are made of.
 */
import { messageOf } from "../core/errors.ts";
import { isRecord } from "./stainless_config.ts";

// deno-lint-ignore no-explicit-any
export type Json = any;

/** One matched node: its parent container and key (null parent for the root). */
export interface Match {
  parent: Record<string, Json> | Json[] | null;
  key: string;
  value: Json;
  /** Where it is, for messages: `$['components']['schemas']['Query']`. */
  path: string;
}

type Fail = (why: string) => never;

interface JsonPathResult {
  path: string;
  value: Json;
  parent: Record<string, Json> | Json[] | null;
  parentProperty: string | number | null;
}

/**
 * Why `path` is not a well-formed JSONPath, or undefined: brackets and parentheses that do not
 * pair up, an unterminated quote, an empty `[]`, a trailing `.`. JSONPath Plus itself accepts such
 * paths without a word (`$.[[[` matches nothing, `$.paths[` matches `$.paths`), so a typo in a
 * transformation target would pass for a target that matches nothing. A strict JSONPath parser
 * (RFC 9535) cannot check them instead: Stainless targets use JSONPath Plus' looser syntax
 * (`$.paths./calls/stream_query.post`), which it rejects. Hence this structural check by hand.
 */
export function jsonPathSyntaxProblem(path: string): string | undefined {
  const open: { char: string; at: number }[] = [];
  const closing: Record<string, string> = { "]": "[", ")": "(" };
  let quote: { char: string; at: number } | undefined;
  for (let i = 0; i < path.length; i++) {
    const char = path[i];
    if (quote) {
      if (char === "\\") i++; // an escaped character inside quotes
      else if (char === quote.char) quote = undefined;
      continue;
    }
    if (char === "`") i++; // JSONPath Plus' escape of the next character
    else if (char === "'" || char === '"') quote = { char, at: i + 1 };
    else if (char === "[" || char === "(") open.push({ char, at: i + 1 });
    else if (char in closing) {
      const last = open.pop();
      if (last?.char !== closing[char]) return `unexpected "${char}" at character ${i + 1}`;
      if (char === "]" && path[i - 1] === "[") return `empty "[]" at character ${i}`;
    }
  }
  if (quote) return `unterminated ${quote.char} quote from character ${quote.at}`;
  const unclosed = open.pop();
  if (unclosed) return `"${unclosed.char}" at character ${unclosed.at} is never closed`;
  if (path.endsWith(".") && !path.endsWith("`.")) return "it ends with a dot";
  return undefined;
}

async function jsonPath(doc: Json, path: string, fail: Fail): Promise<JsonPathResult[]> {
  const problem = jsonPathSyntaxProblem(path);
  if (problem) return fail(`invalid JSONPath ${path}: ${problem}`);
  const { JSONPath } = await import("jsonpath-plus");
  try {
    return JSONPath({
      path,
      json: doc,
      resultType: "all",
      eval: "safe",
      wrap: true,
    }) as JsonPathResult[];
  } catch (error) {
    return fail(`invalid JSONPath ${path}: ${messageOf(error)}`);
  }
}

/** The nodes a transformation target selects: a JSONPath, or `{matches_schema, ignore}`. */
export async function resolveTarget(doc: Json, target: unknown, fail: Fail): Promise<Match[]> {
  if (typeof target === "string") {
    return (await jsonPath(doc, target, fail)).map((r) => ({
      parent: r.parent,
      key: String(r.parentProperty ?? ""),
      value: r.value,
      path: r.path,
    }));
  }
  const selector = target as { matches_schema: string; ignore?: unknown };
  const schemas = await jsonPath(doc, selector.matches_schema, fail);
  if (schemas.length !== 1) {
    fail(`matches_schema ${selector.matches_schema} must select one schema (${schemas.length})`);
  }
  const ignored = new Set<Json>();
  for (const path of [selector.ignore ?? []].flat()) {
    if (typeof path !== "string") fail("`ignore` must be a JSONPath or a list of them");
    for (const r of await jsonPath(doc, path as string, fail)) ignored.add(r.value);
  }
  const matches: Match[] = [];
  walk(doc, null, "", "$", (match) => {
    if (ignored.has(match.value) || !isDeepEqual(match.value, schemas[0].value)) return true;
    matches.push(match);
    return false; // a match's own children are not searched
  });
  return matches;
}

/** Pre-order walk over objects and arrays; `visit` returns false to skip a node's children. */
function walk(
  value: Json,
  parent: Match["parent"],
  key: string,
  path: string,
  visit: (match: Match) => boolean,
): void {
  if (parent !== null && !visit({ parent, key, value, path })) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, value, String(i), `${path}[${i}]`, visit));
  } else if (isRecord(value)) {
    for (const [k, item] of Object.entries(value)) walk(item, value, k, `${path}['${k}']`, visit);
  }
}

export function isDeepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => isDeepEqual(x, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length &&
    keys.every((k) => Object.hasOwn(b, k) && isDeepEqual(a[k], b[k]));
}

/**
 * Deep merge of `patch` into `target` (in place): mappings merge key by key, anything else
 * replaces, and `null` removes the key, as in a JSON Merge Patch (RFC 7396). Weave's config relies
 * on that last rule: `prefixItems: null` drops FastAPI's tuple items.
 */
export function deepMerge(target: Record<string, Json>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (isRecord(value) && isRecord(target[key])) deepMerge(target[key], value);
    else target[key] = structuredClone(value);
  }
}

/** `#/components/schemas/A~1B` → ["components", "schemas", "A/B"]; undefined if not a pointer. */
export function pointerSegments(ref: string): string[] | undefined {
  if (!ref.startsWith("#/")) return undefined;
  return ref.slice(2).split("/").map((s) =>
    decodeURIComponent(s).replaceAll("~1", "/").replaceAll("~0", "~")
  );
}

/** The parent mapping and key for `segments`, creating missing intermediate mappings. */
export function destination(
  doc: Json,
  segments: string[],
): { parent: Record<string, Json>; key: string } | undefined {
  let node = doc;
  for (const segment of segments.slice(0, -1)) {
    if (node[segment] === undefined) node[segment] = {};
    node = node[segment];
    if (!isRecord(node)) return undefined;
  }
  return { parent: node, key: segments[segments.length - 1] };
}

/**
 * Writes `value` at a plain JSONPath (`$.a.b['c']`, no wildcard or filter) whose parent exists.
 * False when the parent does not exist.
 */
export function writeAt(doc: Json, path: string, value: Json, fail: Fail): boolean {
  const segments = plainSegments(path, fail);
  let node = doc;
  for (const segment of segments.slice(0, -1)) {
    node = isRecord(node) || Array.isArray(node) ? node[segment as never] : undefined;
    if (node === undefined) return false;
  }
  if (!isRecord(node) && !Array.isArray(node)) return false;
  (node as Record<string, Json>)[segments[segments.length - 1]] = value;
  return true;
}

function plainSegments(path: string, fail: Fail): string[] {
  // Parsed the way jsonpath-plus parses it (dots and brackets), without loading it for this.
  const segments: string[] = [];
  const pattern = /\.([^.[\]]+)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\[\s*(\d+)\s*\]/gy;
  if (!path.startsWith("$")) fail(`${path} must start with $`);
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const match = pattern.exec(path);
    if (!match) fail(`${path} must be a plain path to one place (no wildcard, filter or ..)`);
    const segment = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (segment === "*" || segment.startsWith("?") || segment.startsWith("(")) {
      fail(`${path} must be a plain path to one place (no wildcard, filter or ..)`);
    }
    segments.push(segment);
  }
  if (segments.length === 0) fail(`${path} must name a place below the root`);
  return segments;
}

/** Renames a key of a mapping in place, keeping its position. */
export function renameKey(object: Record<string, Json>, from: string, to: string): void {
  const entries = Object.entries(object);
  for (const key of Object.keys(object)) delete object[key];
  for (const [key, value] of entries) object[key === from ? to : key] = value;
}
