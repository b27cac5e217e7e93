/**
 * Configuration: `tools/codegen/generate_config.yaml` (git-ignored in the trace repository),
 * environment variables `CODEGEN_<KEY>`, and command-line flags.
 *
 * Precedence: flags > environment > config file > defaults. Relative paths from the config
 * file and the environment resolve against the repo root; relative paths given as flags resolve
 * against the directory the user ran the command in.
 */
import { isAbsolute, resolve } from "../core/paths.ts";
import { messageOf, usageError } from "../core/errors.ts";
import type { PathSetting } from "../core/fs.ts";
import {
  CONFIG_KEYS,
  type ConfigKey,
  envVarName,
  type KeySpec,
  type SettingValue,
} from "./keys.ts";
import type { Source } from "./coerce.ts";
import { coerce, type ConfigFileValues } from "./config_file.ts";
import {
  type Layer,
  mergeLayers,
  parseFlagValues,
  parseStructured,
  type StructuredSpec,
  type StructuredValue,
} from "./structured.ts";

interface Entry {
  value: unknown;
  source: Source;
  /** Where it came from, for messages: "--port", "CODEGEN_PORT", "generate_config.yaml:4". */
  origin: string;
}

/** `~/x` expanded, a relative path resolved against `base`; other values as they are. */
export function resolvePath(value: unknown, base: string): unknown {
  if (typeof value !== "string") return value;
  const expanded = value.startsWith("~/")
    ? `${Deno.env.get("HOME") ?? "~"}${value.slice(1)}`
    : value;
  return isAbsolute(expanded) ? expanded : resolve(base, expanded);
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
  /**
   * For a structured key, each flag value as typed, in the order of its `flags` values
   * ("--vendor-dir weave/vendor/x" for the value `*.vendor_dir=weave/vendor/x`).
   */
  flagValueOrigins?: Partial<Record<ConfigKey, string[]>>;
  env?: Record<string, string | undefined>;
  /** A person at a terminal (for computed defaults such as kill_port's); default false. */
  interactive?: boolean;
}

/** A value as one source gave it (raw: not converted, not checked; the winner is). */
export interface GivenValue {
  value: unknown;
  source: Source;
  origin: string;
}

/** Resolved configuration: each key's value and where it came from. */
export class Settings {
  readonly configPath: string;
  readonly configExists: boolean;
  readonly repoRoot: string;
  #entries = new Map<ConfigKey, Entry>();
  #given = new Map<ConfigKey, GivenValue[]>();
  #placeholders: ConfigFileValues["placeholders"];
  #file: ConfigFileValues;
  /** The config file this run wrote (answers and flags saved on a first run), if any. */
  configWritten?: string;

  constructor(input: SettingsInput) {
    this.#placeholders = input.configFile.placeholders;
    this.#file = input.configFile;
    this.configPath = input.configFile.path;
    this.configExists = input.configFile.exists;
    this.repoRoot = input.repoRoot;
    const env = input.env ?? Deno.env.toObject();
    for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) {
      const spec: KeySpec = CONFIG_KEYS[key];
      const flag = input.flags?.[key];
      const envValue = env[envVarName(key)];
      const fileValue = input.configFile.values[key];
      if (spec.structured) {
        const entry = this.#structured(key, spec.structured, input, env);
        if (entry) this.#entries.set(key, entry);
        continue;
      }
      const given: GivenValue[] = [];
      if (flag !== undefined) {
        given.push({ value: flag, source: "flag", origin: input.flagOrigins?.[key] ?? spec.flag });
      }
      if (envValue !== undefined && envValue !== "") {
        given.push({ value: envValue, source: "env", origin: envVarName(key) });
      }
      if (fileValue) {
        const origin = `${input.configFile.path}:${fileValue.line}`;
        given.push({ value: fileValue.value, source: "config", origin });
      }
      this.#given.set(key, given);
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
    return CONFIG_KEYS[key].type === "path" ? resolvePath(value, base) : value;
  }

  /**
   * A structured key's value: the flag's, the environment's (JSON) and the file's entries merged
   * (structured.ts), path fields resolved as for other keys. Undefined when no source sets it.
   */
  #structured(
    key: ConfigKey,
    spec: StructuredSpec,
    input: SettingsInput,
    env: Record<string, string | undefined>,
  ): Entry | undefined {
    const layers: { layer: Layer; source: Source; origin: string }[] = [];
    const flag = input.flags?.[key];
    if (flag !== undefined) {
      const spelling = input.flagOrigins?.[key] ?? CONFIG_KEYS[key].flag;
      const values = (Array.isArray(flag) ? flag : [flag]).map(String);
      layers.push({
        layer: parseFlagValues(spec, key, values, spelling, input.flagValueOrigins?.[key]),
        source: "flag",
        origin: spelling,
      });
    }
    const variable = envVarName(key);
    const text = env[variable];
    if (text !== undefined && text.trim() !== "") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw usageError(
          `${variable}: not JSON (${messageOf(error)})`,
          `Give ${key} as a JSON object, e.g. ${variable}='{"typescript": {"output": "../sdk-ts"}}'.`,
        );
      }
      const layer = parseStructured(
        spec,
        key,
        parsed,
        (at) => at.length ? `${variable} (${[key, ...at].join(".")})` : variable,
      );
      layers.push({ layer, source: "env", origin: variable });
    }
    const file = input.configFile.values[key];
    if (file) {
      const origin = `${input.configFile.path}:${file.line}`;
      layers.push({ layer: file.value as Layer, source: "config", origin });
    }
    return layers.length ? this.#mergedEntry(spec, layers, input.cwd) : undefined;
  }

  /** The layers merged (highest first), path fields resolved (flags' against `cwd`). */
  #mergedEntry(
    spec: StructuredSpec,
    layers: { layer: Layer; source: Source; origin: string }[],
    cwd: string,
  ): Entry {
    const value: StructuredValue = mergeLayers(spec, layers);
    for (const fields of Object.values(value)) {
      for (const [name, field] of Object.entries(fields)) {
        if (spec.fields[name]?.type !== "path") continue;
        const base = field.source === "flag" && !spec.fields[name].repoPath ? cwd : this.repoRoot;
        field.value = resolvePath(field.value, base);
      }
    }
    return { value, source: layers[0].source, origin: layers[0].origin };
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
   * How the user set `key`, for hints that say what to change: the flag as typed
   * ("--output-file"), the argument, the variable, "`key` in <file>:<line>"; for a value nobody
   * set (a default), the key's flag.
   */
  setBy(key: ConfigKey): string {
    const entry = this.#entries.get(key);
    switch (entry?.source) {
      case "flag":
      case "env":
        return entry.origin;
      case "config":
        return `\`${key}\` in ${entry.origin}`;
      default:
        return CONFIG_KEYS[key].flag;
    }
  }

  /**
   * What each source gave for `key` (flag, environment, config file; highest first), including
   * the values the highest one overrode: for rules about which level chose what. Not for
   * structured keys (their fields say it: FieldValue.shadowed).
   */
  given(key: ConfigKey): readonly GivenValue[] {
    return this.#given.get(key) ?? [];
  }

  /**
   * What the config file says for `key` and where (`<file>:<line>`), also when a flag or the
   * environment overrides it in this run: to say everything that has to change.
   */
  fileValue(key: ConfigKey): { value: unknown; origin: string } | undefined {
    const entry = this.#file.values[key];
    return entry && { value: entry.value, origin: `${this.#file.path}:${entry.line}` };
  }

  /**
   * A path setting as errors about writing there name it: where its value was given (nothing for
   * a default: nobody chose it) and how to choose another (its flag, its config key).
   */
  pathSetting(key: ConfigKey): PathSetting {
    const entry = this.#entries.get(key);
    const flag = CONFIG_KEYS[key].flag;
    return {
      origin: entry?.source === "default" ? undefined : entry?.origin,
      change: `${flag ? `${flag}, or ` : ""}${key} in the config file`,
    };
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
    this.#file = file;
    for (
      const [key, entry] of Object.entries(file.values) as [
        ConfigKey,
        { value: unknown; line: number },
      ][]
    ) {
      const given = (this.#given.get(key) ?? []).filter((g) => g.source !== "config");
      const origin = `${file.path}:${entry.line}`;
      this.#given.set(key, [...given, { value: entry.value, source: "config", origin }]);
      const current = this.#entries.get(key);
      if (current && current.source !== "default") continue;
      const structured = (CONFIG_KEYS[key] as KeySpec).structured;
      if (structured) {
        const origin = `${file.path}:${entry.line}`;
        const layers = [{ layer: entry.value as Layer, source: "config" as const, origin }];
        this.#entries.set(key, this.#mergedEntry(structured, layers, this.repoRoot));
        continue;
      }
      this.#entries.set(key, {
        value: this.#resolvePath(key, entry.value, this.repoRoot),
        source: "config",
        origin: `${file.path}:${entry.line}`,
      });
    }
  }

  /**
   * When the config file's value of `key` is the template's placeholder (so it counts as not set):
   * "`key` in <file>:<line> is still the template placeholder (<value>)", for the error that says
   * the key is missing. Undefined otherwise.
   */
  placeholderNote(key: ConfigKey): string | undefined {
    const placeholder = this.#placeholders[key];
    return placeholder &&
      `\`${key}\` in ${this.configPath}:${placeholder.line} is still the template placeholder ` +
        `(${placeholder.value})`;
  }

  /**
   * Error for a required value that nobody supplied. `given` says how the running command takes
   * it ("the python_output argument"); by default, the key's flag.
   */
  missing(key: ConfigKey, given?: string): Error {
    const spec: KeySpec = CONFIG_KEYS[key];
    const ways = [
      `pass ${given ?? spec.flag}`,
      `set \`${key}:\` in ${this.configPath}`,
      `set ${envVarName(key)}`,
    ].join(", or ");
    const what = this.placeholderNote(key) ?? `missing required value \`${key}\``;
    return usageError(`${what} (${spec.description})`, `${ways[0].toUpperCase()}${ways.slice(1)}.`);
  }
}
