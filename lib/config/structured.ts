/**
 * Structured configuration keys: a map of named entries, each a record of fields
 * (`targets: {python: {output: ..., generator: ...}}`, `endpoint_groups: {core: {include:
 * [...]}}`). Every field is checked where it is given and remembers where that was (the config
 * file's line, the variable, the flag), so that later checks can name it.
 *
 * Sources: the config file (a YAML mapping), the environment (`CODEGEN_TARGETS`: the same mapping
 * as JSON) and flags (`--target python.output=../sdk`, repeatable; the spec of each key says how
 * one flag value reads). They merge per field (`targets`: a flag's `python.output` replaces the
 * file's, the file's other fields stay) or per entry (`endpoint_groups`: a group given on the
 * command line replaces the file's group of that name), the flag first, then the environment,
 * then the file.
 */
import { usageError } from "../core/errors.ts";
import { closest } from "../core/suggest.ts";
import { coerceValue, type ScalarSpec, type Source } from "./coerce.ts";

export interface FieldSpec extends ScalarSpec {
  /**
   * A path in the trace repository: relative paths resolve against its top wherever they are
   * given (other paths given as flags resolve against the user's directory).
   */
  repoPath?: boolean;
}

export interface StructuredSpec {
  /** What an entry is, in messages: "target", "endpoint group". */
  entry: string;
  /** The names an entry may have; undefined: any NAME of letters, digits, `_`, `-`, `.`. */
  names?: readonly string[];
  /** Names a flag may use besides (`*`: the one configured target, for `--vendor-dir DIR`). */
  flagNames?: readonly string[];
  fields: Record<string, FieldSpec>;
  /** Sources merge per field, or an entry from a higher source replaces the lower one's. */
  merge: "field" | "entry";
  /** The syntax of one flag value, for messages: "NAME.FIELD=VALUE". */
  flagSyntax: string;
  /** One flag value: the entry's name and the raw text of each field it sets. */
  parseFlag(text: string): { name: string; fields: Record<string, string> } | undefined;
  /** What to do about a malformed entry, in errors. */
  hint: string;
}

/** A field's value and where it came from. */
export interface FieldValue<T = unknown> {
  value: T;
  /** "generate_config.yaml:12", "CODEGEN_TARGETS", "--target python.output=../sdk". */
  origin: string;
  source: Source;
  /** The values lower sources gave the field (merged per field), highest first. */
  shadowed?: { value: unknown; origin: string; source: Source }[];
}

/** A structured key's value: entries by name, each its fields. */
export type StructuredValue = Record<string, Record<string, FieldValue>>;

/** One source's entries: each field checked, with its origin. */
export type Layer = Record<string, Record<string, { value: unknown; origin: string }>>;

const NAME = /^[A-Za-z0-9_.-]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unknownError(where: string, what: string, name: string, known: readonly string[]) {
  const guess = closest(name, [...known]);
  return usageError(
    `${where}: unknown ${what} \`${name}\`${guess ? ` (did you mean \`${guess}\`?)` : ""}`,
    `Known: ${known.join(", ")}.`,
  );
}

function checkName(spec: StructuredSpec, key: string, name: string, where: string, flag = false) {
  const names = spec.names && [...spec.names, ...(flag ? spec.flagNames ?? [] : [])];
  if (names ? !names.includes(name) : !NAME.test(name)) {
    if (names) throw unknownError(where, `${key} entry`, name, spec.names!);
    throw usageError(
      `${where}: \`${name}\` is not a valid ${spec.entry} name`,
      "Use letters, digits, `_`, `-` and `.` only.",
    );
  }
}

function field(spec: StructuredSpec, key: string, entry: string, name: string, where: string) {
  const fieldSpec = spec.fields[name];
  if (!fieldSpec) {
    throw unknownError(where, `field of ${key}.${entry}`, name, Object.keys(spec.fields));
  }
  return fieldSpec;
}

/**
 * A config file's or variable's value of the key: a mapping of entries, each a mapping of fields
 * (an empty entry, `typescript:` or `typescript: {}`, is an entry with no field set).
 * `originOf` names where a path of the value is (`["python", "output"]` → "file:14").
 */
export function parseStructured(
  spec: StructuredSpec,
  key: string,
  raw: unknown,
  originOf: (path: string[]) => string,
): Layer {
  if (!isRecord(raw)) {
    throw usageError(
      `${originOf([])}: \`${key}\` must map each ${spec.entry} name to its fields`,
      spec.hint,
    );
  }
  const layer: Layer = {};
  for (const [name, entry] of Object.entries(raw)) {
    checkName(spec, key, name, originOf([name]));
    if (entry !== null && !isRecord(entry)) {
      throw usageError(
        `${originOf([name])}: \`${key}.${name}\` must be a mapping of fields (${
          Object.keys(spec.fields).join(", ")
        })`,
        spec.hint,
      );
    }
    const fields: Layer[string] = {};
    for (const [fieldName, value] of Object.entries(entry ?? {})) {
      const where = originOf([name, fieldName]);
      const fieldSpec = field(spec, key, name, fieldName, where);
      if (value === null) continue; // `field:` with no value: not set
      const path = `${key}.${name}.${fieldName}`;
      fields[fieldName] = {
        value: coerceValue(fieldSpec, path, value, where, false),
        origin: where,
      };
    }
    layer[name] = fields;
  }
  return layer;
}

/**
 * The key's flag values (`--target python.output=../sdk`, given any number of times), as one
 * layer: a field given again replaces the earlier value; list fields (`preserve`,
 * `post_generate`) add to it. `typed`: each value as the user typed it, for messages (default:
 * the spelling and the value).
 */
export function parseFlagValues(
  spec: StructuredSpec,
  key: string,
  values: readonly string[],
  spelling: string,
  typed?: readonly string[],
): Layer {
  const layer: Layer = {};
  for (const [i, text] of values.entries()) {
    const where = typed?.[i] ?? `${spelling} ${text}`;
    const parsed = spec.parseFlag(text);
    if (!parsed) {
      throw usageError(`${where}: expected ${spec.flagSyntax}`, spec.hint);
    }
    checkName(spec, key, parsed.name, where, true);
    const entry = layer[parsed.name] ??= {};
    for (const [fieldName, text] of Object.entries(parsed.fields)) {
      const fieldSpec = field(spec, key, parsed.name, fieldName, where);
      const value = coerceValue(fieldSpec, `${key}.${parsed.name}.${fieldName}`, text, where, true);
      const before = entry[fieldName];
      const list = fieldSpec.type === "strings" || fieldSpec.type === "commands";
      entry[fieldName] = before && list
        ? { value: [...before.value as unknown[], ...value as unknown[]], origin: where }
        : { value, origin: where };
    }
  }
  return layer;
}

/** The layers merged, highest first (flag, environment, config file). */
export function mergeLayers(
  spec: StructuredSpec,
  layers: { layer: Layer; source: Source }[],
): StructuredValue {
  const merged: StructuredValue = {};
  for (const { layer, source } of layers) {
    for (const [name, fields] of Object.entries(layer)) {
      if (spec.merge === "entry" && merged[name]) continue; // a higher source has this entry
      const entry = merged[name] ??= {};
      for (const [fieldName, { value, origin }] of Object.entries(fields)) {
        const higher = entry[fieldName];
        if (higher) (higher.shadowed ??= []).push({ value, origin, source });
        else entry[fieldName] = { value, origin, source };
      }
    }
  }
  return merged;
}
