/**
 * The generator's copy of the Stainless config (`{config}`, and the config a hosted build with
 * endpoint groups is sent), edited in the parsed YAML document so that the comments, order,
 * anchors and quoting of everything that stays are kept:
 *
 *   - the methods and models given (drift, endpoint groups; prune.ts) are removed, and so are the
 *     resources they leave empty;
 *   - with `withoutTransformations`, `openapi.transformations` (or `openapi.transforms`) is
 *     removed: the spec copy has them applied already, and a generator that applies them itself,
 *     as Stainless does (stlc, a `command`), would apply them twice, which fails on the real Weave
 *     config (`extractToRefs: #/components/schemas/Operation already exists with another schema`);
 *   - references to endpoints the generator's spec lacks are removed: the entries of
 *     `readme.example_requests` and the items of `unspecified_endpoints` (a generator resolving
 *     them would fail on the missing endpoint). `pagination` and the other sections name no
 *     endpoint;
 *   - an alias whose anchor was in a removed part becomes a copy of what it stood for.
 */
import type { Document, Node } from "yaml";
import { removeEntries } from "./prune.ts";
import type { ConfigEntry } from "./prune.ts";
import { parseEndpoint, type StainlessConfig } from "./stainless_config.ts";

export interface ConfigCopyOptions {
  /** Methods and models to remove. */
  remove: readonly ConfigEntry[];
  /** The endpoints of the spec the generator gets (`post /call/start`). */
  endpoints: ReadonlySet<string>;
  /** The spec copy has the transformations applied: leave them out of the config copy. */
  withoutTransformations: boolean;
}

/** A reference to an endpoint that was removed from the copy. */
export interface DroppedReference {
  /** `readme.example_requests.default`, `unspecified_endpoints[2]`. */
  key: string;
  endpoint: string;
  /** Its line in the config file. */
  line: number;
}

export interface ConfigCopy {
  /** The copy's text; the config's own text when nothing was removed. */
  text: string;
  references: DroppedReference[];
  /** `openapi.transformations` (or `transforms`) was removed. */
  transformationsRemoved: boolean;
}

type Yaml = typeof import("../core/yaml.ts");

export async function configCopy(
  config: StainlessConfig,
  options: ConfigCopyOptions,
): Promise<ConfigCopy> {
  // Loaded on demand, as when the config was read (lib/core/yaml.ts says why through it).
  const yaml = await import("../core/yaml.ts");
  const document = config.document.clone();
  const aliases = aliasTargets(yaml, document);
  removeEntries(document, options.remove);
  const transformationsRemoved = options.withoutTransformations &&
    removeTransformations(yaml, document);
  const references = removeReferences(yaml, config, document, options.endpoints);
  const edited = options.remove.length > 0 || transformationsRemoved || references.length > 0;
  if (!edited) return { text: config.text, references, transformationsRemoved };
  restoreOrphanAliases(yaml, document, aliases);
  // lineWidth 0: never fold long strings into several lines.
  return { text: document.toString({ lineWidth: 0 }), references, transformationsRemoved };
}

/** The mapping at `key` of the document's top level (aliases followed). */
function topMap(yaml: Yaml, document: Document, key: string) {
  const node = deref(yaml, document, document.get(key, true));
  return yaml.isMap(node) ? node : undefined;
}

function deref(yaml: Yaml, document: Document, node: unknown): unknown {
  return yaml.isAlias(node) ? node.resolve(document) : node;
}

function removeTransformations(yaml: Yaml, document: Document): boolean {
  const openapi = topMap(yaml, document, "openapi");
  if (!openapi) return false;
  const removed = ["transformations", "transforms"].filter((key) => openapi.delete(key));
  if (removed.length && openapi.items.length === 0) document.delete("openapi");
  return removed.length > 0;
}

/** Removes `readme.example_requests` entries and `unspecified_endpoints` items (module comment). */
function removeReferences(
  yaml: Yaml,
  config: StainlessConfig,
  document: Document,
  endpoints: ReadonlySet<string>,
): DroppedReference[] {
  const dropped: DroppedReference[] = [];
  const missing = (text: unknown) => {
    const endpoint = typeof text === "string" ? parseEndpoint(text) : undefined;
    const formatted = endpoint && `${endpoint.verb} ${endpoint.path}`;
    return formatted && !endpoints.has(formatted) ? formatted : undefined;
  };
  const line = (node: unknown) => lineOf(config, node);
  const readme = topMap(yaml, document, "readme");
  const examples = readme && deref(yaml, document, readme.get("example_requests", true));
  if (readme && yaml.isMap(examples)) {
    for (const pair of [...examples.items]) {
      const example = deref(yaml, document, pair.value);
      const endpoint = missing(
        yaml.isMap(example)
          ? scalar(yaml, deref(yaml, document, example.get("endpoint", true)))
          : undefined,
      );
      if (!endpoint) continue;
      const name = String(yaml.isScalar(pair.key) ? pair.key.value : pair.key);
      dropped.push({ key: `readme.example_requests.${name}`, endpoint, line: line(pair.key) });
      examples.delete(pair.key);
    }
    if (examples.items.length === 0) readme.delete("example_requests");
    if (readme.items.length === 0) document.delete("readme");
  }
  const unspecified = deref(yaml, document, document.get("unspecified_endpoints", true));
  if (yaml.isSeq(unspecified)) {
    const items = [...unspecified.items];
    unspecified.items = items.filter((item, index) => {
      const endpoint = missing(scalar(yaml, deref(yaml, document, item)));
      if (endpoint) {
        dropped.push({ key: `unspecified_endpoints[${index}]`, endpoint, line: line(item) });
      }
      return !endpoint;
    });
    if (unspecified.items.length === 0) document.delete("unspecified_endpoints");
  }
  return dropped;
}

function scalar(yaml: Yaml, node: unknown): unknown {
  return yaml.isScalar(node) ? node.value : undefined;
}

/** The 1-based line of a node of the config's document (or its clone: ranges are copied). */
function lineOf(config: StainlessConfig, node: unknown): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? config.text.slice(0, range[0]).split("\n").length : 1;
}

/** Every alias of the document and the node it stands for, before anything is removed. */
function aliasTargets(yaml: Yaml, document: Document): Map<Node, Node> {
  const targets = new Map<Node, Node>();
  const walk = (node: unknown) => {
    if (yaml.isAlias(node)) {
      const target = node.resolve(document);
      if (target) targets.set(node, target as Node);
    } else if (yaml.isMap(node)) {
      for (const pair of node.items) walk(pair.value);
    } else if (yaml.isSeq(node)) {
      node.items.forEach(walk);
    }
  };
  walk(document.contents);
  return targets;
}

/** Replaces each alias whose anchor is gone by a copy of the node it stood for. */
function restoreOrphanAliases(yaml: Yaml, document: Document, targets: Map<Node, Node>): void {
  const replace = (node: unknown): unknown => {
    if (yaml.isAlias(node)) {
      const target = targets.get(node);
      if (!target || node.resolve(document) !== undefined) return node;
      const copy = target.clone() as Node & { anchor?: string };
      copy.anchor = undefined;
      return copy;
    }
    if (yaml.isMap(node)) { for (const pair of node.items) pair.value = replace(pair.value); }
    else if (yaml.isSeq(node)) node.items = node.items.map(replace);
    return node;
  };
  document.contents = replace(document.contents) as typeof document.contents;
}
