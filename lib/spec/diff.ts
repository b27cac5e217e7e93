/**
 * What changed between two OpenAPI documents, per operation, each change classified.
 *
 * The comparison is `api-smart-diff` (npm): it handles OpenAPI 3.0/3.1, resolves `$ref`s (cycles
 * included), maps renamed path templates (`/obj/{id}` → `/obj/{digest}`) and classifies every
 * change as breaking, non-breaking, deprecated, annotation (docs only) or unclassified. This module
 * only groups its changes by operation. The library is loaded with `await import()` when two
 * different documents are compared (≈4 ms), so commands that never diff do not pay for it.
 */
import { HTTP_METHODS, type OpenApiDocument } from "./openapi.ts";

/** The library's classification, kept as is. */
export type ChangeType = "breaking" | "non-breaking" | "deprecated" | "annotation" | "unclassified";
export type ChangeAction = "add" | "remove" | "replace" | "rename";

export interface SpecChange {
  type: ChangeType;
  action: ChangeAction;
  /** JSON pointer (RFC 6901) in the before document (`add`: the after document), `$ref`s resolved. */
  pointer: string;
  /** Human description, e.g. "[Added] required query parameter `v`". */
  description: string;
}

export interface ChangedOperation {
  /** "METHOD /path" with the after document's path, e.g. "DELETE /obj/{digest}". */
  operation: string;
  method: string;
  path: string;
  /** The before document's path when the template was renamed (`/obj/{id}`). */
  previousPath?: string;
  breaking: boolean;
  changes: SpecChange[];
}

export interface SpecDiff {
  /** Labels of the compared documents, e.g. "HEAD:tools/codegen/openapi.json". */
  before: string;
  after: string;
  /** Operations ("METHOD /path") only in the after document, in its order. */
  added: string[];
  /** Operations only in the before document, in its order. Removing one is breaking. */
  removed: string[];
  /** Operations in both with changes, in the after document's order. */
  changed: ChangedOperation[];
  /** Changes outside operations: info, servers, global security, security schemes, tags. */
  other: SpecChange[];
  counts: {
    added: number;
    removed: number;
    changed: number;
    /** Changed operations with at least one breaking change. */
    changedBreaking: number;
    /** Breaking changes in all (removed operations included). */
    breakingChanges: number;
  };
  /** Anything breaking: `--fail-on-breaking` fails on this. */
  breaking: boolean;
}

export interface DiffLabels {
  before?: string;
  after?: string;
}

/** The compared documents, and the path templates the library matched under a new name. */
interface Documents {
  before: OpenApiDocument;
  after: OpenApiDocument;
  renamedPaths: Map<string, string>;
}

/** The part of api-smart-diff's `Diff` this module reads. */
interface LibraryDiff {
  type: ChangeType;
  action: ChangeAction;
  path: (string | number)[];
  description?: string;
}

/**
 * Component sections reached from operations through `$ref`: the library reports their changes
 * again under every operation that uses them, so they are not listed a second time.
 */
const REFERENCED_COMPONENTS = new Set([
  "schemas",
  "responses",
  "parameters",
  "examples",
  "requestBodies",
  "headers",
  "links",
  "callbacks",
  "pathItems",
]);

/**
 * Compares two OpenAPI documents (neither is modified). Equal documents (the usual case in `all`)
 * are found in about a millisecond without the library, which takes ~250 ms on the Weave spec.
 */
export async function diffSpecs(
  before: OpenApiDocument,
  after: OpenApiDocument,
  labels: DiffLabels = {},
): Promise<SpecDiff> {
  if (JSON.stringify(before) === JSON.stringify(after)) {
    return groupByOperation([], before, after, labels);
  }
  const { apiDiff } = await import("api-smart-diff");
  // The library edits its inputs (adds `{}` for missing paths, drops `required: false`): copies.
  const diffs = apiDiff(withoutDefaults(before), withoutDefaults(after)) as LibraryDiff[];
  return groupByOperation(diffs, before, after, labels);
}

/**
 * A copy without `additionalProperties: true`, which is JSON Schema's default: Pydantic 2 writes
 * it out where it used to leave it implicit, and the library would report every such place as a
 * breaking change although the schema accepts exactly the same documents.
 */
export function withoutDefaults<T>(doc: T): T {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === "additionalProperties" && item === true) continue;
      out[key] = strip(item);
    }
    return out;
  };
  return strip(doc) as T;
}

function groupByOperation(
  diffs: LibraryDiff[],
  before: OpenApiDocument,
  after: OpenApiDocument,
  labels: DiffLabels,
): SpecDiff {
  const renamedPaths = new Map<string, string>();
  for (const diff of diffs) {
    if (diff.action === "rename" && diff.path.length === 1 && diff.path[0] === "paths") {
      const { before: from, after: to } = diff as LibraryDiff & { before: string; after: string };
      renamedPaths.set(from, to);
    }
  }
  const docs: Documents = { before, after, renamedPaths };
  const added: string[] = [];
  const removed: string[] = [];
  const changed = new Map<string, ChangedOperation>();
  const other: SpecChange[] = [];
  let breakingChanges = 0;
  for (const diff of diffs) {
    if (isDuplicateOfOperationChange(diff)) continue;
    if (diff.type === "breaking") breakingChanges++;
    const [section, pathKey, method] = diff.path;
    const isOperation = section === "paths" && typeof pathKey === "string" &&
      typeof method === "string" && HTTP_METHODS.includes(method);
    if (!isOperation) {
      other.push(toChange(diff, docs));
      continue;
    }
    // The library names paths by the before document; a renamed template gets its new name.
    const path = renamedPaths.get(pathKey) ?? pathKey;
    const name = `${method.toUpperCase()} ${path}`;
    if (diff.path.length === 3 && diff.action === "add") added.push(name);
    else if (diff.path.length === 3 && diff.action === "remove") {
      removed.push(`${method.toUpperCase()} ${pathKey}`);
    } else {
      const entry = changed.get(name) ?? {
        operation: name,
        method: method.toUpperCase(),
        path,
        ...(path !== pathKey ? { previousPath: pathKey } : {}),
        breaking: false,
        changes: [],
      };
      entry.changes.push(toChange(diff, docs));
      entry.breaking ||= diff.type === "breaking";
      changed.set(name, entry);
    }
  }
  const beforeOrder = operationOrder(before);
  const afterOrder = operationOrder(after);
  const changedList = [...changed.values()];
  return {
    before: labels.before ?? "before",
    after: labels.after ?? "after",
    added: inOrder(added, afterOrder, (name) => name),
    removed: inOrder(removed, beforeOrder, (name) => name),
    changed: inOrder(changedList, afterOrder, (entry) => entry.operation),
    other,
    counts: {
      added: added.length,
      removed: removed.length,
      changed: changedList.length,
      changedBreaking: changedList.filter((entry) => entry.breaking).length,
      breakingChanges,
    },
    breaking: breakingChanges > 0,
  };
}

/** A change to a `$ref`-reached component (reported under its operations) or a path rename. */
function isDuplicateOfOperationChange(diff: LibraryDiff): boolean {
  const [section, kind] = diff.path;
  if (section === "components" && typeof kind === "string" && REFERENCED_COMPONENTS.has(kind)) {
    return true;
  }
  return diff.action === "rename" && diff.path.length === 1 && section === "paths";
}

/** Position of each "METHOD /path" in a document. */
function operationOrder(doc: OpenApiDocument): Map<string, number> {
  const order = new Map<string, number>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item ?? {})) {
      if (HTTP_METHODS.includes(method)) order.set(`${method.toUpperCase()} ${path}`, order.size);
    }
  }
  return order;
}

function inOrder<T>(items: T[], order: Map<string, number>, name: (item: T) => string): T[] {
  const position = (item: T) => order.get(name(item)) ?? Number.MAX_SAFE_INTEGER;
  return [...items].sort((a, b) => position(a) - position(b));
}

function toChange(diff: LibraryDiff, docs: Documents): SpecChange {
  return {
    type: diff.type,
    action: diff.action,
    pointer: jsonPointer(diff.path),
    description: describe(diff, docs),
  };
}

export function jsonPointer(path: (string | number)[]): string {
  return path.map((part) => `/${String(part).replaceAll("~", "~0").replaceAll("/", "~1")}`)
    .join("");
}

const ACTION_LABEL: Record<ChangeAction, string> = {
  add: "Added",
  remove: "Removed",
  replace: "Replaced",
  rename: "Renamed",
};

/**
 * The library's description, with two of its flaws worked around: some changes have none, or one
 * with an empty subject ("[Removed]  from `[].x`", " in Response 200 …"): those get the action and
 * where it happened; and every parameter that has a `required` field, even `false`, is called
 * "required" (its template checks that the field exists, not its value).
 */
function describe(diff: LibraryDiff, docs: Documents): string {
  const text = diff.description?.trim() ?? "";
  if (!/^\[\w+\] \S/.test(text)) {
    const inOperation = diff.path[0] === "paths" && diff.path.length > 3;
    const where = inOperation ? jsonPointer(diff.path.slice(3)).slice(1) : jsonPointer(diff.path);
    return `[${ACTION_LABEL[diff.action]}] ${where}`;
  }
  const [, pathKey, method, section, index] = diff.path;
  if (section === "parameters" && typeof index === "number" && text.includes("required ")) {
    // Adds are described from the after document, where a renamed path has its new key.
    const [doc, key] = diff.action === "add"
      ? [docs.after, docs.renamedPaths.get(String(pathKey)) ?? String(pathKey)]
      : [docs.before, String(pathKey)];
    const parameter = parameterAt(doc, key, String(method), index);
    if (parameter && parameter.required !== true) {
      return text.replace(/\brequired (\w+ parameter `)/, "$1");
    }
  }
  return text;
}

type JsonObject = Record<string, unknown>;

function asObject(value: unknown): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as JsonObject
    : undefined;
}

/**
 * Parameter `index` of an operation as the library numbers them: the operation's own, then the
 * path item's (it merges those in), `$ref`s followed.
 */
function parameterAt(
  doc: OpenApiDocument,
  pathKey: string,
  method: string,
  index: number,
): JsonObject | undefined {
  const item = asObject(doc.paths[pathKey]);
  const own = asObject(item?.[method])?.parameters;
  const ownList = Array.isArray(own) ? own : [];
  const shared = Array.isArray(item?.parameters) ? item.parameters as unknown[] : [];
  let parameter = asObject(
    index < ownList.length ? ownList[index] : shared[index - ownList.length],
  );
  for (let hops = 0; typeof parameter?.$ref === "string" && hops < 10; hops++) {
    parameter = asObject(resolvePointer(doc, parameter.$ref));
  }
  return parameter;
}

/** The value a local `$ref` ("#/components/parameters/Limit") points at. */
function resolvePointer(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const part of ref.slice(2).split("/")) {
    node = asObject(node)?.[part.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return node;
}
