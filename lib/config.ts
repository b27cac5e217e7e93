/**
 * Configuration: `tools/codegen/generate_config.yaml` (git-ignored in the trace repository),
 * environment variables `CODEGEN_<KEY>`, and command-line flags.
 *
 * Precedence: flags > environment > config file > defaults. Relative paths from the config
 * file and the environment resolve against the repo root; relative paths given as flags resolve
 * against the directory the user ran the command in.
 */
import { isAbsolute, resolve } from "./paths.ts";
import type { Scalar } from "yaml";
import { CodegenError, messageOf, usageError } from "./errors.ts";
import { splitCommandLine } from "./argv.ts";

export type ValueType = "string" | "path" | "integer" | "number" | "boolean" | "argv" | "strings";

export interface KeySpec {
  type: ValueType;
  description: string;
  /** The command-line flag that sets it, named in errors. */
  flag?: string;
  default?: unknown;
  min?: number;
  max?: number;
}

/** Every configuration key. Commands read them through `Settings`; docs come from here too. */
export const CONFIG_KEYS = {
  python_output: {
    type: "path",
    flag: "--python-output",
    description: "Local clone of the Python SDK repository (generated code goes here)",
  },
  package_name: {
    type: "string",
    flag: "--package-name",
    description: "Python package name of the SDK, as pinned in pyproject.toml",
  },
  openapi_output: {
    type: "path",
    flag: "--openapi-output",
    default: "tools/codegen/openapi.json",
    description: "Where the OpenAPI spec is written",
  },
  node_output: { type: "path", flag: "--node-output", description: "Local clone of the Node SDK" },
  typescript_output: {
    type: "path",
    flag: "--typescript-output",
    description: "Local clone of the TypeScript SDK",
  },
  release: {
    type: "boolean",
    flag: "--release",
    default: false,
    description: "Pin the released version (==X.Y.Z) instead of a git commit",
  },
  server_command: {
    type: "argv",
    flag: "--server-command",
    default: "uvicorn weave.trace_server.reference.server:app --port {port}",
    description: "Command that serves the trace server app; {port} is replaced by the port",
  },
  port: {
    type: "integer",
    flag: "--port",
    default: 6345,
    min: 1,
    max: 65535,
    description: "Port the trace server listens on while the spec is fetched",
  },
  startup_timeout: {
    type: "number",
    flag: "--startup-timeout",
    default: 30,
    min: 0.1,
    description: "Seconds to wait for the server to answer /openapi.json",
  },
  server_stop_grace: {
    type: "number",
    flag: "--server-stop-grace",
    default: 0,
    min: 0,
    description:
      "Seconds the server gets to exit after SIGTERM once the spec is read, before SIGKILL " +
      "(0: stop it at once; it was started only to serve the spec)",
  },
  generator: {
    type: "string",
    flag: "--generator",
    default: "stainless",
    description: "SDK generator: stainless, openapi-python-client, stainful, stlc, or command",
  },
  generator_command: {
    type: "argv",
    flag: "--generator-command",
    description: "Argv template of a local generator ({oas} {config} {out} {package} {target})",
  },
  generator_config: {
    type: "path",
    flag: "--generator-config",
    description: "Generator-specific config file (replaces a preset's built-in one)",
  },
  generator_timeout: {
    type: "number",
    flag: "--generator-timeout",
    default: 600,
    min: 1,
    description: "Seconds a local generator may run",
  },
  stainless_config: {
    type: "path",
    flag: "--stainless-config",
    default: "tools/codegen/openapi.stainless.yml",
    description: "Stainless config file (openapi.stainless.yml)",
  },
  stainless_project: {
    type: "string",
    flag: "--project",
    default: "weave",
    description: "Stainless project the hosted build runs in",
  },
  stainless_branch: {
    type: "string",
    flag: "--branch",
    default: "main",
    description: "Stainless project branch the hosted build runs on",
  },
  poll_interval: {
    type: "number",
    flag: "--poll-interval",
    default: 2,
    min: 0.01,
    description: "Seconds between two polls of a hosted build",
  },
  build_timeout: {
    type: "number",
    flag: "--build-timeout",
    default: 900,
    min: 0.1,
    description: "Seconds to wait for a hosted build to complete",
  },
  api_max_retries: {
    type: "integer",
    flag: "--api-max-retries",
    default: 5,
    min: 0,
    max: 20,
    description: "Retries of a Stainless API request on rate limits, 5xx and connection errors",
  },
  fail_on: {
    type: "strings",
    flag: "--fail-on",
    default: "lint,build,test",
    description: "Hosted build steps whose failure fails the run (lint, build, test, or none)",
  },
  preserve: {
    type: "strings",
    flag: "--preserve",
    default: "",
    description: "Paths in an SDK clone a local generator must not replace (custom code)",
  },
  pyproject: {
    type: "path",
    flag: "--pyproject",
    default: "pyproject.toml",
    description: "The trace repository's pyproject.toml, where the SDK is pinned",
  },
  pyproject_extra: {
    type: "string",
    flag: "--extra",
    default: "stainless",
    description: "Optional-dependencies group of pyproject.toml that holds the SDK entry",
  },
  mirror_branch_prefix: {
    type: "string",
    flag: "--mirror-prefix",
    default: "weave/",
    description: "Prefix of the SDK branch that mirrors a trace branch (weave/<trace branch>)",
  },
  source_ref: {
    type: "string",
    flag: "--source-ref",
    default: "main",
    description: "Branch of the SDK clone where the generation step leaves the generated code",
  },
  auto_merge: {
    type: "boolean",
    flag: "--auto-merge",
    default: true,
    description:
      "`all`: push the generated code to the mirror branch and pin it (false: pin the local commit)",
  },
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** Older names still found in users' config files, and what they mean now. */
export const LEGACY_KEYS: Record<string, ConfigKey> = { repo_path: "python_output" };

export const DEFAULT_CONFIG_PATH = "tools/codegen/generate_config.yaml";
export const TRACE_TEMPLATE_PATH = "tools/codegen/generate_config.yaml.template";

export function envVarName(key: ConfigKey): string {
  return `CODEGEN_${key.toUpperCase()}`;
}

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
  warnings: string[];
}

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]++;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Converts and checks one value; `where` names its origin in errors. */
export function coerce(key: ConfigKey, raw: unknown, where: string, fromText: boolean): unknown {
  const spec: KeySpec = CONFIG_KEYS[key];
  const bad = (expected: string) =>
    usageError(
      `${where}: \`${key}\` must be ${expected}, got ${JSON.stringify(raw)}`,
      `${spec.description}.`,
    );
  switch (spec.type) {
    case "string":
    case "path": {
      if (typeof raw !== "string" || raw.trim() === "") throw bad("a non-empty string");
      if (raw.includes("/path/to/your/")) {
        throw usageError(
          `${where}: \`${key}\` still holds the template placeholder ${raw}`,
          `Set it to ${spec.description.toLowerCase()}${
            spec.flag ? `, or pass ${spec.flag}` : ""
          }.`,
        );
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
        : fromText && typeof raw === "string"
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
    case "strings": {
      if (typeof raw === "string") {
        return fromText ? raw.split(",").map((s) => s.trim()).filter(Boolean) : [raw];
      }
      if (Array.isArray(raw) && raw.every((a) => typeof a === "string")) return raw;
      throw bad("a list of strings");
    }
  }
}

/** Reads and validates a config file. A missing file is an empty config. */
export async function loadConfigFile(path: string): Promise<ConfigFileValues> {
  const result: ConfigFileValues = { path, exists: false, values: {}, warnings: [] };
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
  // Loaded on demand: most runs in CI have no config file, and start-up time counts.
  const { isMap, LineCounter, parseDocument } = await import("yaml");
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
  env?: Record<string, string | undefined>;
}

/** Resolved configuration: each key's value and where it came from. */
export class Settings {
  readonly configPath: string;
  readonly configExists: boolean;
  readonly repoRoot: string;
  #entries = new Map<ConfigKey, Entry>();

  constructor(input: SettingsInput) {
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
        const value = coerce(key, flag, spec.flag ?? key, true);
        entry = {
          value: this.#resolvePath(key, value, input.cwd),
          source: "flag",
          origin: spec.flag ?? key,
        };
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

  get<T = unknown>(key: ConfigKey): T | undefined {
    return this.#entries.get(key)?.value as T | undefined;
  }

  /** Where a value came from ("--port", "CODEGEN_PORT", "…/generate_config.yaml:3", "default"). */
  origin(key: ConfigKey): string | undefined {
    return this.#entries.get(key)?.origin;
  }

  source(key: ConfigKey): Source | undefined {
    return this.#entries.get(key)?.source;
  }

  /** Sets a value supplied interactively (treated like a flag). */
  set(key: ConfigKey, value: unknown, origin = "prompt"): void {
    const coerced = coerce(key, value, origin, true);
    this.#entries.set(key, {
      value: this.#resolvePath(key, coerced, this.repoRoot),
      source: "flag",
      origin,
    });
  }

  /** Error for a required value that nobody supplied. */
  missing(key: ConfigKey): Error {
    const spec: KeySpec = CONFIG_KEYS[key];
    const ways = [
      spec.flag ? `pass ${spec.flag}` : undefined,
      `set \`${key}:\` in ${this.configPath}`,
      `set ${envVarName(key)}`,
    ]
      .filter(Boolean).join(", or ");
    return usageError(
      `missing required value \`${key}\` (${spec.description})`,
      `${ways[0].toUpperCase()}${ways.slice(1)}.`,
    );
  }
}
