/**
 * The config file (`tools/codegen/generate_config.yaml`): read with line numbers, each value
 * converted and checked against CONFIG_KEYS; unknown keys, wrong types and bad YAML are usage
 * errors naming file:line; the old key names still read (with a warning); template placeholders
 * count as not set.
 */
import type { Scalar } from "yaml";
import { CodegenError, messageOf, usageError } from "../core/errors.ts";
import { closest } from "../core/suggest.ts";
import { CONFIG_KEYS, type ConfigKey, type KeySpec, LEGACY_KEYS } from "./keys.ts";
import { coerceValue } from "./coerce.ts";
import { parseStructured } from "./structured.ts";

export interface ConfigFileValues {
  path: string;
  exists: boolean;
  values: Partial<Record<ConfigKey, { value: unknown; line: number }>>;
  /** Keys still holding the template's placeholder: treated as not set. */
  placeholders: Partial<Record<ConfigKey, { value: string; line: number }>>;
  warnings: string[];
}

/** Converts and checks one value; `where` names its origin in errors. */
export function coerce(key: ConfigKey, raw: unknown, where: string, fromText: boolean): unknown {
  const spec: KeySpec = CONFIG_KEYS[key];
  if (spec.type === "structured") {
    throw new Error(`${key} is a structured key: its sources are merged, not coerced`);
  }
  return coerceValue({ ...spec, type: spec.type }, key, raw, where, fromText);
}

/** The template's example paths (`/path/to/your/local/python/repo`). */
export function isPlaceholder(value: unknown): boolean {
  return typeof value === "string" && value.includes("/path/to/your/");
}

/** Reads and validates a config file. A missing file is an empty config. */
export async function loadConfigFile(path: string): Promise<ConfigFileValues> {
  const result: ConfigFileValues = {
    path,
    exists: false,
    values: {},
    placeholders: {},
    warnings: [],
  };
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return result;
    throw new CodegenError(`cannot read config file ${path}: ${messageOf(error)}`, {
      kind: "usage",
      hint: "Pass --config with a readable file.",
    });
  }
  result.exists = true;
  // Only when there is a file to parse: most CI runs have none.
  const { isMap, LineCounter, parseDocument } = await import("../core/yaml.ts");
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const pos = error.linePos?.[0];
    const where = pos ? `${path}:${pos.line}:${pos.col}` : path;
    throw usageError(
      `${where}: invalid YAML: ${error.message.split("\n")[0]}`,
      "Fix the YAML syntax (indentation, quoting, `key: value` pairs).",
      error.message,
    );
  }
  if (doc.contents === null) return result; // empty file or only comments
  if (!isMap(doc.contents)) {
    throw usageError(`${path}: expected a mapping of \`key: value\` lines at the top level`);
  }
  const known = Object.keys(CONFIG_KEYS) as ConfigKey[];
  assertNotStainlessConfig(path, doc.contents.items.map((pair) => keyName(pair.key)), known);
  for (const pair of doc.contents.items) {
    const keyNode = pair.key as Scalar;
    const name = keyName(keyNode);
    const line = keyNode?.range ? lineCounter.linePos(keyNode.range[0]).line : 0;
    const where = `${path}:${line}`;
    let key = name as ConfigKey;
    if (name in LEGACY_KEYS) {
      key = LEGACY_KEYS[name];
      result.warnings.push(`${where}: \`${name}\` is the old name of \`${key}\`; rename it`);
    } else if (!known.includes(key)) {
      const suggestion = closest(name, known);
      throw usageError(
        `${where}: unknown key \`${name}\`${
          suggestion ? ` (did you mean \`${suggestion}\`?)` : ""
        }`,
        `Valid keys: ${known.join(", ")}.`,
      );
    }
    const node = pair.value as { toJSON(): unknown } | null;
    const value = node === null ? null : node.toJSON();
    if (value === null) continue; // `key:` with no value means "not set"
    const structured = (CONFIG_KEYS[key] as KeySpec).structured;
    if (structured) {
      // Each entry's and field's own line: that of its key (`lineOf([name, field])`).
      const lineOf = (at: string[]) => {
        let node: unknown = pair.value;
        let found = line;
        for (const segment of at) {
          const next = isMap(node)
            ? node.items.find((item) => String((item.key as Scalar)?.value) === segment)
            : undefined;
          const keyRange = (next?.key as Scalar | undefined)?.range;
          if (!next || !keyRange) break;
          found = lineCounter.linePos(keyRange[0]).line;
          node = next.value;
        }
        return found;
      };
      const layer = parseStructured(structured, key, value, (at) => `${path}:${lineOf(at)}`);
      result.values[key] = { value: layer, line };
      continue;
    }
    if (isPlaceholder(value)) {
      // Left from the template: "not set" (asked for, or an error, only where it is needed).
      result.placeholders[key] = { value: value as string, line };
      continue;
    }
    result.values[key] = { value: coerce(key, value, where, false), line };
  }
  return result;
}

function keyName(node: unknown): string {
  return String((node as Scalar | null)?.value ?? node);
}

/**
 * Top-level keys of a Stainless config (openapi.stainless.yml) that codegen's config does not
 * have (`targets` is in both). A file with `organization` or `resources`, or two of the others,
 * is a Stainless config passed where codegen's is expected (`--config`, which every command
 * takes, versus `lint --stainless-config`): said as such, rather than as an unknown key.
 */
const STAINLESS_ONLY_KEYS = [
  "organization",
  "resources",
  "client_settings",
  "environments",
  "settings",
  "openapi",
  "security",
  "security_schemes",
  "pagination",
  "readme",
  "unspecified_endpoints",
  "edition",
  "query_settings",
  "streaming",
];
const STAINLESS_MARKERS = ["organization", "resources"];

function assertNotStainlessConfig(path: string, names: string[], known: string[]): void {
  const stainless = names.filter((n) => !known.includes(n) && STAINLESS_ONLY_KEYS.includes(n));
  if (stainless.length < 2 && !stainless.some((n) => STAINLESS_MARKERS.includes(n))) return;
  throw usageError(
    `${path} looks like a Stainless config (openapi.stainless.yml), not codegen's config file ` +
      `(its keys ${stainless.map((n) => `\`${n}\``).join(", ")} are Stainless config keys)`,
    "--config names codegen's own config (tools/codegen/generate_config.yaml); pass a Stainless " +
      "config with --stainless-config (or `stainless_config:` in codegen's config).",
  );
}
