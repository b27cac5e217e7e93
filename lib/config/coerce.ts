/**
 * Converting one configuration value to its type and checking it: the values of the keys of
 * CONFIG_KEYS and the fields of structured keys (`targets.python.output`) alike. Text (flags,
 * environment variables) is converted; a YAML value must already have the right type.
 */
import { usageError } from "../core/errors.ts";
import { splitCommandLine } from "../core/shell_words.ts";
import { choiceError } from "../cli/parse.ts";

/** Where a value came from, highest precedence first. */
export type Source = "flag" | "env" | "config" | "default";

export type ScalarType =
  | "string"
  | "path"
  | "integer"
  | "number"
  | "boolean"
  | "argv"
  | "commands"
  | "strings";

/** What a value is checked against. */
export interface ScalarSpec {
  type: ScalarType;
  description: string;
  min?: number;
  max?: number;
  /** The values it accepts. */
  choices?: readonly string[];
  /** The flag that sets it, named in the hint of a bad value. */
  flag?: string;
}

/**
 * Converts and checks one value. `name` is the key (or `targets.python.output`), `where` names
 * the value's origin in errors ("--port", "CODEGEN_PORT", "generate_config.yaml:4");
 * `fromText`: the value is text typed by a person (a flag or a variable), so "7000" is a number.
 */
export function coerceValue(
  spec: ScalarSpec,
  name: string,
  raw: unknown,
  where: string,
  fromText: boolean,
): unknown {
  // The hint says what to do (give it such a value where it was set), then what the key is for.
  const bad = (expected: string) =>
    usageError(
      `${where}: \`${name}\` must be ${expected}, got ${JSON.stringify(raw)}`,
      `Fix it at ${where}: \`${name}\` takes ${expected} (${spec.flag ? `${spec.flag}; ` : ""}${
        lowerFirst(spec.description)
      }).`,
    );
  switch (spec.type) {
    case "string":
    case "path": {
      if (typeof raw !== "string" || raw.trim() === "") throw bad("a non-empty string");
      if (spec.choices && !spec.choices.includes(raw)) {
        throw choiceError(name, raw, spec.choices, where);
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
        return splitCommandLine(raw, `${where} (${name})`);
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
        const at = Array.isArray(raw) ? `${where} (${name}, item ${i + 1})` : `${where} (${name})`;
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
