/**
 * Endpoint groups: generate an SDK for part of the API. A group is a name with `include` (and
 * optional `exclude`) patterns:
 *   `post /call/*`      an endpoint glob: optional verb, `*` = one path segment (or part of one),
 *                       `**` = any number of segments;
 *   `tag:Calls`         operations with that tag;
 *   `operationId:op_read`.
 * The spec handed to the generator keeps the selected operations and the components they reach
 * ($refs followed transitively, security schemes they use); for generators that read the Stainless
 * config, the copy of the config loses the methods (and models) of what was removed.
 */
import { usageError } from "../core/errors.ts";
import { closest } from "../core/suggest.ts";
import { HTTP_METHODS, type OpenApiDocument } from "../spec/openapi.ts";
import { type Json, pointerSegments } from "./json_nodes.ts";
import { listOperations, type SpecOperation } from "./operations.ts";
import { configCopy } from "./config_copy.ts";
import { entriesMissingFrom } from "./prune.ts";
import { isRecord, type StainlessConfig } from "./stainless_config.ts";

export interface EndpointGroup {
  include: string[];
  exclude: string[];
}

export type EndpointGroups = Record<string, EndpointGroup>;

/** The groups chosen for a run, sorted by name (a stable input of stamps and cache keys). */
export interface GroupSelection {
  groups: Array<{ name: string } & EndpointGroup>;
}

const GROUPS_HINT =
  "Write each group as `name: {include: [patterns], exclude: [patterns]}` under " +
  "`endpoint_groups:`.";
const PATTERN_HINT = "Patterns are `[verb] /path/glob` (`*` one segment, `**` any), " +
  "`tag:<Tag>` or `operationId:<id>`.";

/** Validates the `endpoint_groups` config value; `source` names it in errors. */
export function parseEndpointGroups(value: unknown, source: string): EndpointGroups {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    throw usageError(
      `${source}: endpoint_groups must map group names to {include, exclude}`,
      GROUPS_HINT,
    );
  }
  const groups: EndpointGroups = {};
  for (const [name, group] of Object.entries(value)) {
    const where = `${source}: endpoint_groups.${name}`;
    if (!isRecord(group)) {
      throw usageError(`${where} must be a mapping with \`include:\``, GROUPS_HINT);
    }
    const list = (key: string): string[] => {
      const items = group[key] ?? [];
      if (!Array.isArray(items) || !items.every((p) => typeof p === "string" && p.trim())) {
        throw usageError(`${where}.${key} must be a list of patterns`, PATTERN_HINT);
      }
      items.forEach((p) => compilePattern(p, `${where}.${key}`));
      return items.map((p) => p.trim());
    };
    const unknown = Object.keys(group).filter((k) => k !== "include" && k !== "exclude");
    if (unknown.length > 0) {
      const suggestion = closest(unknown[0], ["include", "exclude"]);
      throw usageError(
        `${where}: unknown key \`${unknown[0]}\`${
          suggestion ? ` (did you mean \`${suggestion}\`?)` : ""
        }`,
        GROUPS_HINT,
      );
    }
    groups[name] = { include: list("include"), exclude: list("exclude") };
    if (groups[name].include.length === 0) {
      throw usageError(`${where}.include is empty`, PATTERN_HINT);
    }
  }
  return groups;
}

/** `CODEGEN_GROUPS` and repeated flags: names separated by commas or spaces. */
export function parseGroupNames(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/**
 * The selection for a run: `all` (`--all-groups`) or the named groups (`--group`, else
 * `CODEGEN_GROUPS`, else the config's `groups:`); undefined when nothing selects groups, which
 * means the whole spec. Unknown names are a usage error with the closest defined name.
 */
export function selectGroups(
  defined: EndpointGroups,
  request: { names?: readonly string[]; all?: boolean },
): GroupSelection | undefined {
  const known = Object.keys(defined);
  if (!request.all && (request.names ?? []).length === 0) return undefined;
  if (known.length === 0) {
    throw usageError(
      "endpoint groups were selected, but the config defines none",
      "Define them under `endpoint_groups:` in the codegen config, or drop --group/--all-groups/" +
        "CODEGEN_GROUPS.",
    );
  }
  const names = request.all ? known : [...new Set(request.names)];
  for (const name of names) {
    if (Object.hasOwn(defined, name)) continue;
    const suggestion = closest(name, known);
    throw usageError(
      `unknown endpoint group \`${name}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ""}`,
      `Defined groups: ${known.join(", ")}.`,
    );
  }
  return {
    groups: names.toSorted().map((name) => ({ name, ...defined[name] })),
  };
}

/** One line naming the groups and their patterns: the same selection gives the same text. */
export function describeSelection(selection: GroupSelection): string {
  return selection.groups.map((g) =>
    `${g.name}(${g.include.join(", ")}${
      g.exclude.length ? `; exclude ${g.exclude.join(", ")}` : ""
    })`
  ).join(" + ");
}

type Matcher = (op: SpecOperation) => boolean;

function compilePattern(pattern: string, where: string): Matcher {
  const text = pattern.trim();
  const [, kind, name] = /^(tag|operationId):\s*(.*)$/.exec(text) ?? [];
  if (kind !== undefined) {
    if (!name) throw usageError(`${where}: \`${pattern}\` names no ${kind}`, PATTERN_HINT);
    return kind === "tag" ? (op) => op.tags.includes(name) : (op) => op.operationId === name;
  }
  const match = /^(?:([A-Za-z]+)\s+)?(\/\S*)$/.exec(text);
  const verb = match?.[1]?.toLowerCase();
  if (!match || (verb !== undefined && !HTTP_METHODS.includes(verb))) {
    throw usageError(`${where}: \`${pattern}\` is not a pattern`, PATTERN_HINT);
  }
  const path = globToRegExp(match[2]);
  return (op) => (verb === undefined || op.verb === verb) && path.test(op.path);
}

function globToRegExp(glob: string): RegExp {
  const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  const body = glob.split("/").slice(1).map((segment) =>
    segment === "**" ? "(?:/[^/]+)*" : `/${segment.split("*").map(escape).join("[^/]*")}`
  ).join("");
  return new RegExp(`^${body}$`);
}

/**
 * Whether the selection keeps an endpoint the spec does not have (a config method's, for drift):
 * matched against the groups' endpoint globs only, since a `tag:` or `operationId:` pattern
 * describes an operation, and there is none to describe.
 */
export function selectsMissingEndpoint(selection: GroupSelection, endpoint: string): boolean {
  const [verb, path] = endpoint.split(" ");
  const op: SpecOperation = { verb, path, endpoint, tags: [] };
  return selection.groups.some((group) => {
    const where = `endpoint_groups.${group.name}`;
    const include = group.include.map((p) => compilePattern(p, `${where}.include`));
    const exclude = group.exclude.map((p) => compilePattern(p, `${where}.exclude`));
    return include.some((m) => m(op)) && !exclude.some((m) => m(op));
  });
}

export interface FilterResult {
  spec: OpenApiDocument;
  kept: SpecOperation[];
  removed: SpecOperation[];
  /** Components dropped because no kept operation reaches them: `schemas/Name`. */
  removedComponents: string[];
}

/**
 * A copy of `spec` with only the selected operations and the components they reach. A group that
 * selects nothing is a usage error (a typo in a pattern would otherwise go unnoticed).
 */
export function filterSpec(spec: OpenApiDocument, selection: GroupSelection): FilterResult {
  const operations = listOperations(spec);
  const selected = new Set<string>();
  for (const group of selection.groups) {
    const where = `endpoint_groups.${group.name}`;
    const include = group.include.map((p) => compilePattern(p, `${where}.include`));
    const exclude = group.exclude.map((p) => compilePattern(p, `${where}.exclude`));
    const mine = operations.filter((op) =>
      include.some((m) => m(op)) && !exclude.some((m) => m(op))
    );
    if (mine.length === 0) {
      const tags = [...new Set(operations.flatMap((op) => op.tags))].join(", ");
      throw usageError(
        `endpoint group \`${group.name}\` matches no operation of the spec`,
        `Check its patterns (${
          [...group.include, ...group.exclude.map((p) => `!${p}`)].join(", ")
        }). The spec's tags: ${tags || "none"}. ${PATTERN_HINT}`,
      );
    }
    for (const op of mine) selected.add(op.endpoint);
  }
  const doc = structuredClone(spec);
  for (const op of operations) {
    if (selected.has(op.endpoint)) continue;
    const item = doc.paths[op.path] as Record<string, Json>;
    delete item[op.verb];
    if (!HTTP_METHODS.some((verb) => verb in item)) delete doc.paths[op.path];
  }
  return {
    spec: doc,
    kept: operations.filter((op) => selected.has(op.endpoint)),
    removed: operations.filter((op) => !selected.has(op.endpoint)),
    removedComponents: pruneComponents(doc),
  };
}

/** Deletes the components nothing outside `components` reaches; returns what it deleted. */
function pruneComponents(doc: OpenApiDocument): string[] {
  const components = doc.components;
  if (!isRecord(components)) return [];
  const reached = new Set<string>();
  const queue: Json[] = [
    Object.fromEntries(Object.entries(doc).filter(([k]) => k !== "components")),
  ];
  while (queue.length > 0) {
    collectRefs(queue.pop(), (ref) => {
      const segments = pointerSegments(ref);
      if (!segments || segments[0] !== "components" || segments.length < 3) return;
      const key = `${segments[1]}/${segments[2]}`;
      if (reached.has(key)) return;
      reached.add(key);
      const section = components[segments[1]];
      if (isRecord(section) && section[segments[2]] !== undefined) {
        queue.push(section[segments[2]]);
      }
    });
  }
  for (const name of usedSecuritySchemes(doc)) reached.add(`securitySchemes/${name}`);
  const removed: string[] = [];
  for (const [sectionName, section] of Object.entries(components)) {
    if (!isRecord(section)) continue;
    for (const name of Object.keys(section)) {
      if (reached.has(`${sectionName}/${name}`)) continue;
      delete section[name];
      removed.push(`${sectionName}/${name}`);
    }
    if (Object.keys(section).length === 0) delete components[sectionName];
  }
  return removed;
}

/** Calls `found` with every `$ref` and discriminator mapping target under `node`. */
function collectRefs(node: Json, found: (ref: string) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, found);
    return;
  }
  if (!isRecord(node)) return;
  if (typeof node.$ref === "string") found(node.$ref);
  const mapping = isRecord(node.discriminator) ? node.discriminator.mapping : undefined;
  if (isRecord(mapping)) Object.values(mapping).forEach((v) => typeof v === "string" && found(v));
  for (const value of Object.values(node)) collectRefs(value, found);
}

/** Names in the document's and the kept operations' `security` requirements. */
function usedSecuritySchemes(doc: OpenApiDocument): Set<string> {
  const names = new Set<string>();
  const add = (security: unknown) => {
    if (!Array.isArray(security)) return;
    for (const requirement of security) {
      if (isRecord(requirement)) Object.keys(requirement).forEach((n) => names.add(n));
    }
  };
  add(doc.security);
  for (const item of Object.values(doc.paths)) {
    if (!isRecord(item)) continue;
    for (const verb of HTTP_METHODS) if (isRecord(item[verb])) add(item[verb].security);
  }
  return names;
}

/**
 * The config a hosted build with groups is sent: without the methods whose operation the filtered
 * spec lost, the models whose schema it lost, and the references to removed endpoints
 * (config_copy.ts). Decided against `transformed`, the filtered spec with the transformations
 * applied (what Stainless will see: `Expr` exists only then); the transformations stay, since
 * the spec sent is not transformed.
 */
export async function filterConfig(
  config: StainlessConfig,
  transformed: OpenApiDocument,
): Promise<string> {
  const copy = await configCopy(config, {
    remove: entriesMissingFrom(config, transformed),
    endpoints: new Set(listOperations(transformed).map((op) => op.endpoint)),
    withoutTransformations: false,
  });
  return copy.text;
}
