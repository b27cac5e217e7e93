/**
 * Targeted edits of a pyproject.toml text: only the spans that change are rewritten, so comments,
 * quoting, ordering, inline tables and CRLF line endings elsewhere survive byte for byte.
 *
 * `editPyproject` also checks its own work: the edited text must parse, and parse to exactly the
 * document the change describes (nothing else moved or changed), or it refuses to return it.
 */
import { parse } from "@decimalturn/toml-patch";
import { CodegenError, messageOf } from "../core/errors.ts";
import {
  formatRequirement,
  parseRequirement,
  type Requirement,
  requirementNames,
} from "./pep503.ts";
import {
  allEntries,
  decodeString,
  findEntry,
  lineStart,
  nextLine,
  samePath,
  scanToml,
  type TomlEntry,
  type TomlLayout,
  type TomlTable,
} from "./toml_spans.ts";

export interface DependencyChange {
  extra: string;
  packageName: string;
  /** ` @ git+url@sha` or `==1.2.3`: what follows the name (and extras) in the new entry. */
  spec: string;
  /** true: ensure `[tool.hatch.metadata] allow-direct-references = true`; false: remove it. */
  allowDirectReferences: boolean;
}

export interface EditResult {
  text: string;
  /** The entries written (one per matching entry, or the one appended). */
  entries: string[];
  /** The entries they replaced. */
  replaced: string[];
}

export type Doc = Record<string, unknown>;

const DEPS = ["project", "optional-dependencies"];
const METADATA = ["tool", "hatch", "metadata"];
const ALLOW = [...METADATA, "allow-direct-references"];

/** Parses TOML; a syntax error becomes a CodegenError naming the file. */
export function parseToml(text: string, file: string): Doc {
  try {
    return parse(text) as Doc;
  } catch (error) {
    throw new CodegenError(`${file} is not valid TOML: ${messageOf(error).split("\n")[0]}`, {
      hint: "Fix the file (or restore it from git) and run again; it was not changed.",
      details: messageOf(error),
    });
  }
}

/** Throws unless the parsed document has a `[project]` table (the file is a project's). */
export function requireProjectTable(doc: Doc, file: string): void {
  const project = doc.project;
  if (typeof project !== "object" || project === null || Array.isArray(project)) {
    throw new CodegenError(`${file} has no [project] table`, {
      hint: "Point --pyproject at the trace repository's pyproject.toml.",
    });
  }
}

/**
 * The text with the change applied, checked. `parsed` is `text` already parsed (saves parsing
 * it again when the caller has).
 */
export function editPyproject(
  text: string,
  change: DependencyChange,
  file: string,
  parsed?: Doc,
): EditResult {
  const before = parsed ?? parseToml(text, file);
  requireProjectTable(before, file);
  const deps = setDependency(text, change);
  const out = setAllowDirectReferences(deps.text, change.allowDirectReferences);
  const expected = expectedDocument(before, change, deps.entries);
  let after: Doc;
  try {
    after = parse(out) as Doc;
  } catch (error) {
    throw internalError(file, `the edited text does not parse: ${messageOf(error)}`);
  }
  if (canonical(after) !== canonical(expected)) {
    throw internalError(file, "the edited text differs from the intended change");
  }
  return { text: out, entries: deps.entries, replaced: deps.replaced };
}

function internalError(file: string, why: string): CodegenError {
  return new CodegenError(`refusing to write ${file}: ${why}`, {
    hint: "The file was left unchanged. Edit it by hand, and please report this layout as a bug.",
  });
}

/** Applies the change to the parsed document: what the edited text must parse to. */
function expectedDocument(before: Doc, change: DependencyChange, entries: string[]): Doc {
  const doc = structuredClone(before);
  const table = child(child(doc, "project"), "optional-dependencies");
  const list = (table[change.extra] ??= []) as string[];
  const matching = list.flatMap((item, i) =>
    typeof item === "string" && requirementNames(item, change.packageName) ? [i] : []
  );
  if (matching.length === 0) list.push(entries[0]);
  matching.forEach((index, n) => (list[index] = entries[n]));
  if (change.allowDirectReferences) {
    child(child(child(doc, "tool"), "hatch"), "metadata")["allow-direct-references"] = true;
  } else {
    removePath(doc, ALLOW);
  }
  return doc;
}

function child(parent: Doc, key: string): Doc {
  return (parent[key] ??= {}) as Doc;
}

/** Deletes `path` and any table it leaves empty. */
function removePath(doc: Doc, path: string[]): void {
  const [head, ...rest] = path;
  if (!(head in doc)) return;
  if (rest.length === 0) {
    delete doc[head];
    return;
  }
  const next = doc[head];
  if (typeof next !== "object" || next === null) return;
  const hadKeys = Object.keys(next).length > 0;
  removePath(next as Doc, rest);
  if (hadKeys && Object.keys(next).length === 0) delete doc[head];
}

/** JSON with sorted keys: equal for equal documents whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
        : v,
  );
}

// ---------------------------------------------------------------------------------------------
// Text edits

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** A TOML string literal for `value`, in the quote style of `like` when that is possible. */
function quote(value: string, like?: string): string {
  if (like?.startsWith("'") && !like.startsWith("'''") && !/['\r\n]/.test(value)) {
    return `'${value}'`;
  }
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : quote(key);
}

/** Inserts `line` as a new line at `pos` (a line start, or the end of the text). */
function insertLine(text: string, pos: number, line: string, eol: string): string {
  if (pos >= text.length && text.length > 0 && !text.endsWith("\n")) {
    return text + eol + line + eol;
  }
  return splice(text, pos, pos, line + eol);
}

function tableAt(layout: TomlLayout, path: string[]): TomlTable | undefined {
  return layout.tables.find((table) => !table.isArray && samePath(table.path, path));
}

/** Where a new line goes in `table`: after its last entry, else after its header. */
function endOfEntries(text: string, table: TomlTable): number {
  const last = table.entries.at(-1);
  return nextLine(text, last ? last.value.end : table.header.end);
}

/** Adds `key = value` to an inline table (`{ a = 1 }` becomes `{ a = 1, key = value }`). */
function addToInlineTable(text: string, table: TomlEntry, key: string, value: string): string {
  const last = table.value.entries.at(-1);
  if (!last) return splice(text, table.value.start, table.value.end, `{ ${key} = ${value} }`);
  return splice(text, last.value.end, last.value.end, `, ${key} = ${value}`);
}

/** Sets `key = value` under table `path`, wherever and however that table is written. */
function addKey(text: string, path: string[], key: string, value: string, placeAfter?: string[]) {
  const layout = scanToml(text);
  const eol = layout.eol;
  const table = tableAt(layout, path);
  if (table) return insertLine(text, endOfEntries(text, table), `${tomlKey(key)} = ${value}`, eol);
  const inline = findEntry(layout, path);
  if (inline?.value.kind === "inline-table") {
    return addToInlineTable(text, inline, tomlKey(key), value);
  }
  // Dotted keys in a parent table (`[project]` / `optional-dependencies.docs = [...]`).
  const sibling = layout.tables.flatMap((t) => t.entries).findLast((entry) =>
    entry.keys.length >= 2 && samePath(entry.path.slice(0, path.length), path) &&
    entry.path.length === path.length + 1
  );
  if (sibling) {
    const keys = [...sibling.keys.slice(0, -1), key].map(tomlKey).join(".");
    return insertLine(text, nextLine(text, sibling.value.end), `${keys} = ${value}`, eol);
  }
  const header = `[${path.map(tomlKey).join(".")}]`;
  const anchor = placeAfter &&
    layout.tables.findLast((t) => samePath(t.path.slice(0, placeAfter.length), placeAfter));
  if (anchor && anchor.path.length > 0) {
    const pos = endOfEntries(text, anchor);
    return splice(text, pos, pos, `${eol}${header}${eol}${tomlKey(key)} = ${value}${eol}`);
  }
  const separator = text.length === 0 ? "" : text.endsWith("\n") ? eol : eol + eol;
  return `${text}${separator}${header}${eol}${tomlKey(key)} = ${value}${eol}`;
}

function setDependency(text: string, change: DependencyChange) {
  const path = [...DEPS, change.extra];
  const layout = scanToml(text);
  const newEntry = (previous?: Requirement) =>
    formatRequirement(change.packageName, change.spec, previous);
  const entry = findEntry(layout, path);
  if (!entry) {
    const value = `[${quote(newEntry())}]`;
    return {
      text: addKey(text, DEPS, change.extra, value, ["project"]),
      entries: [newEntry()],
      replaced: [],
    };
  }
  if (entry.value.kind !== "array") {
    throw new CodegenError(`[project.optional-dependencies].${change.extra} is not a list`, {
      hint: "It must be a list of requirement strings; fix the file and run again.",
    });
  }
  const items = entry.value.items;
  const found = items.filter((item) =>
    item.kind === "string" &&
    requirementNames(decodeString(text.slice(item.start, item.end)), change.packageName)
  );
  if (found.length > 0) {
    const entries: string[] = [];
    const replaced: string[] = [];
    let out = text;
    for (const item of [...found].reverse()) { // from the end: earlier offsets stay valid
      const literal = text.slice(item.start, item.end);
      const old = decodeString(literal);
      const updated = newEntry(parseRequirement(old));
      out = splice(out, item.start, item.end, quote(updated, literal));
      entries.unshift(updated);
      replaced.unshift(old);
    }
    return { text: out, entries, replaced };
  }
  return {
    text: appendItem(text, entry, quote(newEntry()), layout.eol),
    entries: [newEntry()],
    replaced: [],
  };
}

/** Appends an item to an array, following its layout (one line, or one item per line). */
function appendItem(text: string, entry: TomlEntry, literal: string, eol: string): string {
  const array = entry.value;
  const last = array.items.at(-1);
  if (!last) return splice(text, array.start + 1, array.start + 1, literal);
  const afterLast = text.slice(last.end, array.end - 1);
  const trailingComma = /^[ \t]*,/.test(afterLast);
  const multiLine = /\n/.test(afterLast) && /\n/.test(text.slice(array.start, last.start));
  if (!multiLine) {
    const at = trailingComma ? last.end + afterLast.indexOf(",") + 1 : last.end;
    return splice(text, at, at, trailingComma ? ` ${literal},` : `, ${literal}`);
  }
  // One item per line: a new line after the last item's line, indented like it.
  const indent = /^[ \t]*/.exec(text.slice(lineStart(text, last.start)))![0];
  let out = text;
  const lineBreak = text.indexOf("\n", last.end);
  const at = text[lineBreak - 1] === "\r" ? lineBreak - 1 : lineBreak;
  out = splice(out, at, at, `${eol}${indent}${literal}${trailingComma ? "," : ""}`);
  if (!trailingComma) out = splice(out, last.end, last.end, ",");
  return out;
}

function setAllowDirectReferences(text: string, allow: boolean): string {
  const layout = scanToml(text);
  const entry = findEntry(layout, ALLOW);
  if (allow) {
    if (!entry) return addKey(text, METADATA, ALLOW.at(-1)!, "true", ["tool", "hatch"]);
    return text.slice(entry.value.start, entry.value.end) === "true"
      ? text
      : splice(text, entry.value.start, entry.value.end, "true");
  }
  return entry ? removeEntry(text, entry.path) : text;
}

/** Removes the entry at `path`, then any table or inline table that this leaves empty. */
function removeEntry(text: string, path: string[]): string {
  const layout = scanToml(text);
  const entry = findEntry(layout, path)!;
  const table = layout.tables.find((t) => t.entries.includes(entry));
  if (table) {
    const out = splice(text, lineStart(text, entry.start), nextLine(text, entry.value.end), "");
    return removeEmptyTables(out, entry.path.slice(0, -1));
  }
  const parent = allEntries(layout).find((e) => e.value.entries.includes(entry))!;
  const siblings = parent.value.entries;
  if (siblings.length === 1) return removeEntry(text, parent.path);
  const index = siblings.indexOf(entry);
  return index < siblings.length - 1
    ? splice(text, entry.start, siblings[index + 1].start, "")
    : splice(text, siblings[index - 1].value.end, entry.value.end, "");
}

/** Removes the header tables on `path` and its parents that are now empty and have no subtables. */
function removeEmptyTables(text: string, path: string[]): string {
  let out = text;
  for (let length = path.length; length > 0; length--) {
    const prefix = path.slice(0, length);
    const layout = scanToml(out);
    const table = tableAt(layout, prefix);
    const nested = layout.tables.some((t) =>
      t !== table && samePath(t.path.slice(0, length), prefix)
    );
    const dotted = layout.tables.some((t) =>
      t.entries.some((e) => e.path.length > length && samePath(e.path.slice(0, length), prefix))
    );
    if (!table || table.entries.length > 0 || nested || dotted) continue;
    out = removeTable(out, table);
  }
  return out;
}

/** Deletes a header and its (key-less) body; comment lines just above the next header stay. */
function removeTable(text: string, table: TomlTable): string {
  let start = lineStart(text, table.header.start);
  let end = table.end;
  if (end < text.length) {
    const lines = text.slice(start, end).split(/(?<=\n)/);
    while (lines.length > 1 && lines.at(-1)!.trimStart().startsWith("#")) {
      end -= lines.pop()!.length;
    }
  } else {
    // Last table: also drop the blank lines that separated it from the previous one.
    while (start > 0 && /^\s*$/.test(text.slice(lineStart(text, start - 1), start))) {
      start = lineStart(text, start - 1);
    }
    if (start === 0) end = text.length;
  }
  return splice(text, start, end, "");
}
