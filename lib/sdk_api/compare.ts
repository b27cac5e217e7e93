/**
 * Compares two extractions of an SDK's public API (lib/sdk_api/model.ts): what was added, removed
 * and changed, as data (`SdkApiDiff`, the `sdk_api` object of `--json`) and as a short summary.
 * Items are matched by name, so SDKs of different layouts compare too (switching generators shows
 * exactly which names a user's code loses).
 */
import type { SdkApi, SdkMethod, SdkParam } from "./model.ts";

export type ApiItemKind = "client" | "resource" | "method" | "type";

/** A client class, a resource (`calls`), a method (`calls.start`) or an exported type. */
export interface ApiItem {
  kind: ApiItemKind;
  name: string;
}

export type SignatureChangeKind =
  | "removed-param"
  | "new-required-param"
  | "new-optional-param"
  | "now-required"
  | "now-optional"
  | "type-changed"
  | "kind-changed"
  | "order-changed"
  | "return-type-changed"
  | "removed-variant"
  | "new-variant";

export interface SignatureChange {
  change: SignatureChangeKind;
  /** The parameter concerned (not for order, return type and variant changes). */
  param?: string;
  /** For removed-variant/new-variant: which of the sync and async methods. */
  variant?: "sync" | "async";
  /** For type, kind, order and return type changes: the text before and after. */
  before?: string | null;
  after?: string | null;
}

/** A method whose signature changed, or a client whose constructor parameters changed. */
export interface ChangedItem {
  kind: "method" | "client";
  /** `calls.read`, `WeaveTrace` */
  name: string;
  changes: SignatureChange[];
}

/** The `sdk_api` object of `--json`. */
export interface SdkApiDiff {
  added: ApiItem[];
  removed: ApiItem[];
  changed: ChangedItem[];
}

const KIND_ORDER: ApiItemKind[] = ["client", "resource", "method", "type"];

function byKindThenName(a: ApiItem, b: ApiItem): number {
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

interface Entry {
  item: ApiItem;
  method?: SdkMethod;
  /** A client's constructor parameters, when read. */
  params?: SdkParam[];
}

/** Every item of an API with its details, keyed by `kind:name`. */
function items(api: SdkApi): Map<string, Entry> {
  const map = new Map<string, Entry>();
  const add = (kind: ApiItemKind, name: string, details: Omit<Entry, "item"> = {}) =>
    map.set(`${kind}:${name}`, { item: { kind, name }, ...details });
  for (const client of api.clients) {
    add("client", client.name, { params: client.params ?? undefined });
  }
  for (const resource of api.resources) {
    add("resource", resource.name);
    for (const method of resource.methods) {
      add("method", `${resource.name}.${method.name}`, { method });
    }
  }
  for (const type of api.types) add("type", type);
  return map;
}

function paramChanges(before: SdkParam[], after: SdkParam[]): SignatureChange[] {
  const changes: SignatureChange[] = [];
  const old = new Map(before.map((p) => [p.name, p]));
  const now = new Map(after.map((p) => [p.name, p]));
  for (const p of before) {
    if (!now.has(p.name)) changes.push({ change: "removed-param", param: p.name });
  }
  for (const p of after) {
    const was = old.get(p.name);
    if (!was) {
      changes.push({
        change: p.required ? "new-required-param" : "new-optional-param",
        param: p.name,
      });
      continue;
    }
    if (was.required !== p.required) {
      changes.push({ change: p.required ? "now-required" : "now-optional", param: p.name });
    }
    if (was.annotation !== p.annotation) {
      changes.push({
        change: "type-changed",
        param: p.name,
        before: was.annotation,
        after: p.annotation,
      });
    }
    if (was.kind !== p.kind) {
      changes.push({ change: "kind-changed", param: p.name, before: was.kind, after: p.kind });
    }
  }
  // Callers that pass arguments by position break when the kept positional ones move.
  const positional = (params: SdkParam[], other: Map<string, SdkParam>) =>
    params.filter((p) => p.kind === "positional" && other.get(p.name)?.kind === "positional")
      .map((p) => p.name).join(", ");
  const orderBefore = positional(before, now);
  const orderAfter = positional(after, old);
  if (orderBefore !== orderAfter) {
    changes.push({ change: "order-changed", before: orderBefore, after: orderAfter });
  }
  return changes;
}

function methodChanges(before: SdkMethod, after: SdkMethod): SignatureChange[] {
  const changes = paramChanges(before.params, after.params);
  if (before.returns !== after.returns) {
    changes.push({ change: "return-type-changed", before: before.returns, after: after.returns });
  }
  for (const variant of ["sync", "async"] as const) {
    if (before[variant] && !after[variant]) changes.push({ change: "removed-variant", variant });
    if (!before[variant] && after[variant]) changes.push({ change: "new-variant", variant });
  }
  return changes;
}

function entryChanges(before: Entry, after: Entry): SignatureChange[] {
  if (before.method && after.method) return methodChanges(before.method, after.method);
  if (before.params && after.params) return paramChanges(before.params, after.params);
  return [];
}

/**
 * What changed from `before` to `after`. A removed resource also lists each of its methods as
 * removed (and an added one each of its methods as added), so method counts are always complete.
 */
export function compareSdkApis(before: SdkApi, after: SdkApi): SdkApiDiff {
  const old = items(before);
  const now = items(after);
  const diff: SdkApiDiff = { added: [], removed: [], changed: [] };
  for (const [key, entry] of now) {
    const was = old.get(key);
    if (!was) diff.added.push(entry.item);
    else {
      const changes = entryChanges(was, entry);
      const { kind, name } = entry.item;
      if (changes.length && (kind === "method" || kind === "client")) {
        diff.changed.push({ kind, name, changes });
      }
    }
  }
  for (const [key, { item }] of old) if (!now.has(key)) diff.removed.push(item);
  diff.added.sort(byKindThenName);
  diff.removed.sort(byKindThenName);
  diff.changed.sort(byKindThenName);
  return diff;
}

/**
 * The `--fail-on api-removals` predicate: a client, resource, method or type was removed, or a
 * kept method or client lost a parameter, or a method its sync/async variant (code that worked
 * would now fail).
 */
export function hasApiRemovals(diff: SdkApiDiff): boolean {
  return diff.removed.length > 0 ||
    diff.changed.some((item) =>
      item.changes.some((c) => c.change === "removed-param" || c.change === "removed-variant")
    );
}

/** One change in words: `removed param id`, `type of id: str → int`. */
export function describeChange(change: SignatureChange): string {
  const text = (value: string | null | undefined) => value ?? "(none)";
  switch (change.change) {
    case "removed-param":
      return `removed param ${change.param}`;
    case "new-required-param":
      return `new required param ${change.param}`;
    case "new-optional-param":
      return `new optional param ${change.param}`;
    case "now-required":
      return `param ${change.param} now required`;
    case "now-optional":
      return `param ${change.param} now optional`;
    case "type-changed":
      return `type of ${change.param}: ${text(change.before)} → ${text(change.after)}`;
    case "kind-changed":
      return `param ${change.param}: ${change.before} → ${change.after}`;
    case "order-changed":
      return `positional order: (${change.before}) → (${change.after})`;
    case "return-type-changed":
      return `return type: ${text(change.before)} → ${text(change.after)}`;
    case "removed-variant":
      return `no ${change.variant} variant any more`;
    case "new-variant":
      return `new ${change.variant} variant`;
  }
}

const PLURAL: Record<ApiItemKind, string> = {
  client: "clients",
  resource: "resources",
  method: "methods",
  type: "types",
};

/** At most this many names are listed per line of the summary; `--json` has them all. */
export const SUMMARY_NAME_LIMIT = 25;

function nameList(names: string[]): string {
  const shown = names.slice(0, SUMMARY_NAME_LIMIT).join(", ");
  const more = names.length - SUMMARY_NAME_LIMIT;
  return more > 0 ? `${shown} … and ${more} more (--json lists all)` : shown;
}

/**
 * A few lines for people: counts per kind, then the removed names (per kind) and the changed
 * methods with what changed (each list capped at SUMMARY_NAME_LIMIT):
 *   SDK API vs origin/main: methods 1 added, 1 removed, 1 changed; types 2 added, 2 removed
 *     removed methods: objects.read
 *     removed types: ObjReadParams, ObjReadResponse
 *     changed calls.read: removed param id; new required param call_id
 */
export function summarizeSdkApiDiff(diff: SdkApiDiff, base = "the previous SDK"): string {
  const counts = KIND_ORDER.map((kind) => {
    const parts = [
      [diff.added.filter((i) => i.kind === kind).length, "added"],
      [diff.removed.filter((i) => i.kind === kind).length, "removed"],
      [diff.changed.filter((i) => i.kind === kind).length, "changed"],
    ].filter(([count]) => count).map(([count, what]) => `${count} ${what}`);
    return parts.length ? `${PLURAL[kind]} ${parts.join(", ")}` : "";
  }).filter(Boolean);
  if (!counts.length) return `SDK API vs ${base}: no change`;
  const lines = [`SDK API vs ${base}: ${counts.join("; ")}`];
  for (const kind of KIND_ORDER) {
    const removed = diff.removed.filter((i) => i.kind === kind).map((i) => i.name);
    if (removed.length) lines.push(`  removed ${PLURAL[kind]}: ${nameList(removed)}`);
  }
  for (const item of diff.changed.slice(0, SUMMARY_NAME_LIMIT)) {
    const what = item.kind === "client" ? `client ${item.name}` : item.name;
    lines.push(`  changed ${what}: ${item.changes.map(describeChange).join("; ")}`);
  }
  const more = diff.changed.length - SUMMARY_NAME_LIMIT;
  if (more > 0) lines.push(`  … and ${more} more changed (--json lists all)`);
  return lines.join("\n");
}
