/**
 * Drift handled like the hosted generator did: a generator that reads the Stainless config gets a
 * copy without the methods whose endpoint the (transformed) spec lacks, and without the models
 * whose schema it lacks; each removal is a warning naming the resource, method and endpoint.
 * `strict` (config `strict_config`, flag `--strict-config`) makes them an error instead.
 *
 * The copy is the same YAML document with those entries deleted (yaml's Document API): comments,
 * order, anchors and quoting of everything else stay (yaml's printer may normalize spacing, e.g.
 * before an end-of-line comment; the real Weave config prints back byte for byte).
 */
import { CodegenError } from "../core/errors.ts";
import type { LintFinding, LintResult } from "./lint.ts";
import type { Document } from "yaml";
import type { StainlessConfig } from "./stainless_config.ts";
import type { OpenApiDocument } from "../spec/openapi.ts";
import { listOperations, schemaNames } from "./operations.ts";

/** A method or model to delete from the config copy. */
export interface ConfigEntry {
  resourcePath: string[];
  kind: "methods" | "models";
  name: string;
}

export interface PruneResult {
  /** The config text for the generator; the original text when nothing was removed. */
  text: string;
  /** What was removed. */
  entries: ConfigEntry[];
  /** One warning per removed method or model, in file order. */
  warnings: LintFinding[];
}

const DRIFT_CODES = new Set(["endpoint-not-in-spec", "model-not-in-spec"]);

/** The config text without `entries` (comments, order and quoting of the rest kept). */
export function removeFromConfig(config: StainlessConfig, entries: readonly ConfigEntry[]): string {
  if (entries.length === 0) return config.text;
  const document = config.document.clone();
  removeEntries(document, entries);
  // lineWidth 0: never fold long strings into several lines.
  return document.toString({ lineWidth: 0 });
}

/** Deletes `entries` from `document` (a clone), and the resources they leave empty. */
export function removeEntries(document: Document, entries: readonly ConfigEntry[]): void {
  for (const entry of entries) {
    nodeAt(document, [...entry.resourcePath, entry.kind])?.delete?.(entry.name);
  }
  // A resource left with nothing would still become an empty class in the SDK: drop it, and then
  // a parent that only held it. Deepest first.
  const resources = new Set(
    entries.flatMap((e) => withParents(e.resourcePath).map((p) => JSON.stringify(p))),
  );
  const paths = [...resources].map((p) => JSON.parse(p) as string[])
    .sort((a, b) => b.length - a.length);
  for (const path of paths) {
    const resource = nodeAt(document, path);
    const parts = ["methods", "models", "subresources"].map((key) => resource?.get?.(key, true));
    // An anchored node may be used elsewhere (`*name`): deleting it would break the alias.
    if (!resource || resource.anchor || parts.some((part) => (part as YamlNode)?.anchor)) continue;
    const isEmpty = (part: unknown) => {
      const node = resolve(document, part as YamlNode | undefined);
      return node === undefined || node.value === null || node.items?.length === 0;
    };
    if (parts.every(isEmpty)) nodeAt(document, path.slice(0, -1))?.delete?.(path[path.length - 1]);
  }
}

/** The parts of yaml's nodes used here (typed loosely: yaml itself is loaded on demand). */
interface YamlNode {
  items?: unknown[];
  value?: unknown;
  anchor?: string;
  get?(key: string, keepScalar: true): unknown;
  delete?(key: string): boolean;
  resolve?(document: Document): unknown;
  source?: string;
}

/** An alias (it has `source`, the anchor's name) resolved to its anchored node. */
function resolve(document: Document, node: YamlNode | null | undefined): YamlNode | undefined {
  if (node && typeof node.source === "string" && node.resolve) {
    return (node.resolve(document) as YamlNode | undefined) ?? undefined;
  }
  return node ?? undefined;
}

/** The node at `path`, following aliases (`methods: *shared`), so edits reach the anchored node. */
function nodeAt(document: Document, path: string[]): YamlNode | undefined {
  let node = resolve(document, document.contents as YamlNode | null);
  for (const key of path) node = resolve(document, node?.get?.(key, true) as YamlNode | undefined);
  return node;
}

/** `resources.a.subresources.b` → itself and `resources.a`. */
function withParents(resourcePath: string[]): string[][] {
  const paths: string[][] = [];
  for (let end = resourcePath.length; end >= 2; end -= 2) paths.push(resourcePath.slice(0, end));
  return paths;
}

/** Methods whose endpoint `spec` lacks and models whose schema it lacks (no transformation). */
export function entriesMissingFrom(config: StainlessConfig, spec: OpenApiDocument): ConfigEntry[] {
  const endpoints = new Set(listOperations(spec).map((op) => op.endpoint));
  const schemas = new Set(schemaNames(spec));
  return [
    ...config.methods
      .filter((m) => m.endpoint !== undefined && !endpoints.has(m.endpoint))
      .map((m) => ({ resourcePath: m.resourcePath, kind: "methods" as const, name: m.name })),
    ...config.models
      .filter((m) => !schemas.has(m.schema))
      .map((m) => ({ resourcePath: m.resourcePath, kind: "models" as const, name: m.name })),
  ];
}

export interface PruneOptions {
  /** Throw (exit 1) listing the drift instead of removing it with warnings. */
  strict?: boolean;
  /**
   * Whether the run keeps an entry (endpoint groups): the drift of the others is removed without
   * a warning, and never fails `strict` (the groups leave them out anyway). Default: all kept.
   */
  selected?: (finding: LintFinding, entry: ConfigEntry) => boolean;
}

/**
 * Removes what the lint found missing from the transformed spec: `endpoint-not-in-spec` methods
 * and `model-not-in-spec` models, each one the run keeps reported as a warning. With `strict`,
 * throws instead (exit 1) listing those.
 */
export function pruneDrift(
  config: StainlessConfig,
  lint: LintResult,
  options: PruneOptions = {},
): PruneResult {
  const all = lint.findings.filter((f) => DRIFT_CODES.has(f.code)).map((finding) => {
    const kind = finding.method !== undefined ? "methods" : "models";
    const name = (finding.method ?? finding.model) as string;
    const owner = [...config.methods, ...config.models].find((e) =>
      e.line === finding.line && e.name === name
    );
    if (!owner) throw new Error(`lint finding without its config entry: ${finding.message}`);
    return { finding, entry: { resourcePath: owner.resourcePath, kind, name } as ConfigEntry };
  });
  const drift = all.filter(({ finding, entry }) => options.selected?.(finding, entry) ?? true);
  if (drift.length > 0 && options.strict) {
    throw new CodegenError(
      `${config.file}: ${drift.length} ${
        drift.length === 1 ? "entry does" : "entries do"
      } not match the spec (strict_config)`,
      {
        hint: "Fix the Stainless config (`codegen lint` lists the same), or turn off " +
          "strict_config / --strict-config to drop them from the generator's copy with a warning.",
        details: drift.map(({ finding }) => `${config.file}:${finding.line}: ${finding.message}`)
          .join("\n"),
      },
    );
  }
  const entries = drift.map(({ entry }) => entry);
  return {
    text: removeFromConfig(config, entries),
    entries,
    warnings: drift.map(({ finding }) => ({
      ...finding,
      severity: "warning",
      message: `${finding.message}; removed from the generator's copy of the config`,
    })),
  };
}
