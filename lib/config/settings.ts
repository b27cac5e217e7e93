/**
 * Configuration: `tools/codegen/generate_config.yaml` (git-ignored in the trace repository),
 * environment variables `CODEGEN_<KEY>`, and command-line flags.
 *
 * Precedence: flags > environment > config file > defaults. Relative paths from the config
 * file and the environment resolve against the repo root; relative paths given as flags resolve
 * against the directory the user ran the command in.
 */
import { isAbsolute, resolve } from "../core/paths.ts";
import type { Scalar } from "yaml";
import { CodegenError, messageOf, usageError } from "../core/errors.ts";
import { closest } from "../core/suggest.ts";
import {
  CONFIG_KEYS,
  type ConfigKey,
  envVarName,
  type KeySpec,
  LEGACY_KEYS,
  type SettingValue,
} from "./keys.ts";
import { splitCommandLine } from "../core/shell_words.ts";
import { choiceError } from "../cli/parse.ts";

export type Source = "flag" | "env" | "config" | "default";

interface Entry {
  value: unknown;
  source: Source;
  /** Where it came from, for messages: "--port", "CODEGEN_PORT", "generate_config.yaml:4". */
  origin: string;
}

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
  // The hint says what to do (give it such a value where it was set), then what the key is for.
  const bad = (expected: string) =>
    usageError(
      `${where}: \`${key}\` must be ${expected}, got ${JSON.stringify(raw)}`,
      `Fix it at ${where}: \`${key}\` takes ${expected} (${spec.flag}; ${
        lowerFirst(spec.description)
      }).`,
    );
  switch (spec.type) {
    case "string":
    case "path": {
      if (typeof raw !== "string" || raw.trim() === "") throw bad("a non-empty string");
      if (spec.choices && !spec.choices.includes(raw)) {
        throw choiceError(key, raw, spec.choices, where);
      }
      return raw;
    }
    case "boolean": {
      if (typeof raw === "boolean") return raw;
      if (fromText && typeof raw === "string") {
        if (/^(true|1|yes|on)$/i.test(raw)) return true;
        if (/^(false|0|no|off)$/i.test(raw)) return false;
      }
      throw bad("true or false");
    }
    case "integer":
    case "number": {
      const n = typeof raw === "number"
        ? raw
        : fromText && typeof raw === "string" && raw.trim() !== ""
        ? Number(raw)
        : NaN;
      const integer = spec.type === "integer";
      if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
        throw bad(integer ? "an integer" : "a number");
      }
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        throw bad(`between ${spec.min ?? "-∞"} and ${spec.max ?? "∞"}`);
      }
      return n;
    }
    case "argv": {
      if (typeof raw === "string" && raw.trim() !== "") {
        return splitCommandLine(raw, `${where} (${key})`);
      }
      if (Array.isArray(raw) && raw.length > 0 && raw.every((a) => typeof a === "string")) {
        return raw;
      }
      throw bad("a command line string or a non-empty list of strings");
    }
    case "commands": {
      // One command line (flag given once, environment, YAML scalar), or a list whose items are
      // each a command: a command line, or an argv list (a repeated flag gives command lines).
      const items = Array.isArray(raw) ? raw : [raw];
      return items.map((item, i) => {
        const at = Array.isArray(raw) ? `${where} (${key}, item ${i + 1})` : `${where} (${key})`;
        if (typeof item === "string" && item.trim() !== "") return splitCommandLine(item, at);
        if (Array.isArray(item) && item.length > 0 && item.every((a) => typeof a === "string")) {
          return item;
        }
        throw bad(
          "a command line, or a list of commands (each a command line or a list of strings)",
        );
      });
    }
    case "strings": {
      // "a,b" is a list wherever it comes from (flag, environment or a YAML scalar).
      if (typeof raw === "string") return raw.split(",").map((s) => s.trim()).filter(Boolean);
      if (Array.isArray(raw) && raw.every((a) => typeof a === "string")) {
        // A repeated flag (`--label a --label b,c`): each value may itself be a list.
        return fromText
          ? raw.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean)
          : raw;
      }
      throw bad("a list of strings");
    }
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
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
  for (const pair of doc.contents.items) {
    const keyNode = pair.key as Scalar;
    const name = String(keyNode?.value ?? keyNode);
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
    if (isPlaceholder(value)) {
      // Left from the template: "not set" (asked for, or an error, only where it is needed).
      result.placeholders[key] = { value: value as string, line };
      continue;
    }
    result.values[key] = { value: coerce(key, value, where, false), line };
  }
  return result;
}

export interface SettingsInput {
  repoRoot: string;
  /** Directory the user ran the command in (flag paths resolve against it). */
  cwd: string;
  configFile: ConfigFileValues;
  /** Values from flags (undefined = not given). */
  flags?: Partial<Record<ConfigKey, unknown>>;
  /** How each flag value was given, for messages ("--python-path", "the python_output argument"). */
  flagOrigins?: Partial<Record<ConfigKey, string>>;
  env?: Record<string, string | undefined>;
  /** A person at a terminal (for computed defaults such as kill_port's); default false. */
  interactive?: boolean;
}

/** Resolved configuration: each key's value and where it came from. */
export class Settings {
  readonly configPath: string;
  readonly configExists: boolean;
  readonly repoRoot: string;
  #entries = new Map<ConfigKey, Entry>();
  #placeholders: ConfigFileValues["placeholders"];

  constructor(input: SettingsInput) {
    this.#placeholders = input.configFile.placeholders;
    this.configPath = input.configFile.path;
    this.configExists = input.configFile.exists;
    this.repoRoot = input.repoRoot;
    const env = input.env ?? Deno.env.toObject();
    for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) {
      const spec: KeySpec = CONFIG_KEYS[key];
      const flag = input.flags?.[key];
      const envValue = env[envVarName(key)];
      const fileValue = input.configFile.values[key];
      let entry: Entry | undefined;
      if (flag !== undefined) {
        const origin = input.flagOrigins?.[key] ?? spec.flag;
        const value = coerce(key, flag, origin, true);
        entry = { value: this.#resolvePath(key, value, input.cwd), source: "flag", origin };
      } else if (envValue !== undefined && envValue !== "") {
        const value = coerce(key, envValue, envVarName(key), true);
        entry = {
          value: this.#resolvePath(key, value, input.repoRoot),
          source: "env",
          origin: envVarName(key),
        };
      } else if (fileValue) {
        const origin = `${input.configFile.path}:${fileValue.line}`;
        entry = {
          value: this.#resolvePath(key, fileValue.value, input.repoRoot),
          source: "config",
          origin,
        };
      } else if (spec.default !== undefined) {
        const value = coerce(key, spec.default, "default", true);
        entry = {
          value: this.#resolvePath(key, value, input.repoRoot),
          source: "default",
          origin: "default",
        };
      } else if (spec.computedDefault) {
        const { value, why } = spec.computedDefault.compute({
          env,
          interactive: input.interactive ?? false,
        });
        entry = { value: coerce(key, value, "default", true), source: "default", origin: why };
      }
      if (entry) this.#entries.set(key, entry);
    }
  }

  #resolvePath(key: ConfigKey, value: unknown, base: string): unknown {
    if (CONFIG_KEYS[key].type !== "path" || typeof value !== "string") return value;
    const expanded = value.startsWith("~/")
      ? `${Deno.env.get("HOME") ?? "~"}${value.slice(1)}`
      : value;
    return isAbsolute(expanded) ? expanded : resolve(base, expanded);
  }

  /** The value of `key`, typed by the key; undefined only for keys without a default. */
  get<K extends ConfigKey>(key: K): SettingValue<K> {
    return this.#entries.get(key)?.value as SettingValue<K>;
  }

  /**
   * Where a value came from ("--port", "CODEGEN_PORT", "…/generate_config.yaml:3", "default"; for
   * a computed default, why it is what it is: "STAINLESS_API_KEY is set").
   */
  origin(key: ConfigKey): string | undefined {
    return this.#entries.get(key)?.origin;
  }

  source(key: ConfigKey): Source | undefined {
    return this.#entries.get(key)?.source;
  }

  /**
   * Sets a value supplied interactively (treated like a flag); a relative path resolves against
   * `base` (where the user is, for an answer; default the repository root).
   */
  set(key: ConfigKey, value: unknown, origin = "prompt", base = this.repoRoot): void {
    const coerced = coerce(key, value, origin, true);
    this.#entries.set(key, {
      value: this.#resolvePath(key, coerced, base),
      source: "flag",
      origin,
    });
  }

  /**
   * Takes the values of a config file written during this run (created from the template) for
   * every key that only had a default: flags, the environment and answers stay ahead of it.
   */
  adoptConfigFile(file: ConfigFileValues): void {
    this.#placeholders = file.placeholders;
    for (
      const [key, entry] of Object.entries(file.values) as [
        ConfigKey,
        { value: unknown; line: number },
      ][]
    ) {
      const current = this.#entries.get(key);
      if (current && current.source !== "default") continue;
      this.#entries.set(key, {
        value: this.#resolvePath(key, entry.value, this.repoRoot),
        source: "config",
        origin: `${file.path}:${entry.line}`,
      });
    }
  }

  /**
   * Error for a required value that nobody supplied. `given` says how the running command takes
   * it ("the python_output argument"); by default, the key's flag.
   */
  missing(key: ConfigKey, given?: string): Error {
    const spec: KeySpec = CONFIG_KEYS[key];
    const placeholder = this.#placeholders[key];
    const ways = [
      `pass ${given ?? spec.flag}`,
      `set \`${key}:\` in ${this.configPath}`,
      `set ${envVarName(key)}`,
    ].join(", or ");
    const what = placeholder
      ? `\`${key}\` in ${this.configPath}:${placeholder.line} still holds the template placeholder ${placeholder.value}`
      : `missing required value \`${key}\``;
    return usageError(`${what} (${spec.description})`, `${ways[0].toUpperCase()}${ways.slice(1)}.`);
  }
}
