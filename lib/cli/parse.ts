/**
 * The command line: commands declared as data, parsed into a typed invocation, help generated
 * from the declarations.
 *
 * In house rather than commander: this loads in about a millisecond, where commander's Node
 * built-ins (fs, child_process, events) cost ~25 ms of Deno start-up on every run, which is
 * most of the tool's overhead over the server it starts.
 */
import { usageError } from "../core/errors.ts";
import { closest } from "../core/suggest.ts";

/** The options every command accepts (before or after the command name). */
export interface GlobalOptions {
  repoRoot?: string;
  config?: string;
  verbose?: boolean;
  debug?: boolean;
}

/** An option that takes a value (`value` names it in help: `--port <port>`). */
export interface ValueOption {
  flag: `--${string}`;
  short?: `-${string}`;
  value: string;
  help: string;
}

/** A switch; `negatable` also accepts `--no-<name>` (giving false). */
export interface SwitchOption {
  flag: `--${string}`;
  short?: `-${string}`;
  help: string;
  negatable?: boolean;
}

export type OptionDef = ValueOption | SwitchOption;
export type OptionDefs = Record<string, OptionDef>;

/** What the parser gives a command: a string per value option, a boolean per switch. */
export type ParsedOptions<O extends OptionDefs> = {
  [K in keyof O]?: O[K] extends ValueOption ? string : boolean;
};

export interface ArgDef {
  name: string;
  help: string;
  required?: boolean;
}

export interface CommandDef<O extends OptionDefs = OptionDefs> {
  name: string;
  aliases: string[];
  summary: string;
  /** Extra paragraphs of help, after the options. */
  notes?: string;
  args?: readonly ArgDef[];
  options: O;
  /** Pairs of options that cannot be given together. */
  conflicts?: [keyof O & string, keyof O & string][];
  examples: string[];
  run(input: {
    options: ParsedOptions<O>;
    args: (string | undefined)[];
    globals: GlobalOptions;
  }): Promise<void>;
}

/** Declares a command; keeps the option names and kinds for the `run` function's types. */
export function defineCommand<const O extends OptionDefs>(def: CommandDef<O>): CommandDef<O> {
  return def;
}

/** A command of any option shape (each command's own `run` sees its exact option types). */
// deno-lint-ignore no-explicit-any
export type AnyCommand = CommandDef<any>;

export interface ProgramDef {
  name: string;
  version: string;
  summary: string;
  globals: OptionDefs;
  commands: AnyCommand[];
  notes: string;
}

export type Invocation =
  | { kind: "help"; text: string }
  | { kind: "version"; text: string }
  | {
    kind: "run";
    command: AnyCommand;
    options: Record<string, string | boolean>;
    args: string[];
    globals: GlobalOptions;
  };

const HELP: SwitchOption = { flag: "--help", short: "-h", help: "show this help" };
const VERSION: SwitchOption = { flag: "--version", short: "-V", help: "print the version" };

function isValueOption(option: OptionDef): option is ValueOption {
  return "value" in option;
}

function findCommand(program: ProgramDef, name: string) {
  return program.commands.find((c) => c.name === name || c.aliases.includes(name));
}

interface Lookup {
  key: string;
  option: OptionDef;
  negated: boolean;
  global: boolean;
}

function lookupOption(token: string, local: OptionDefs, globals: OptionDefs): Lookup | undefined {
  for (const [defs, global] of [[local, false], [globals, true]] as const) {
    for (const [key, option] of Object.entries(defs)) {
      if (token === option.flag || token === option.short) {
        return { key, option, negated: false, global };
      }
      if (!isValueOption(option) && option.negatable && token === `--no-${option.flag.slice(2)}`) {
        return { key, option, negated: true, global };
      }
    }
  }
  return undefined;
}

function allFlags(defs: OptionDefs[]): string[] {
  return defs.flatMap((d) => Object.values(d)).flatMap((o) =>
    !isValueOption(o) && o.negatable ? [o.flag, `--no-${o.flag.slice(2)}`] : [o.flag]
  );
}

/** Parses argv (without the program name) into what to do. Throws usage errors (exit 2). */
export function parseArgs(program: ProgramDef, argv: readonly string[]): Invocation {
  let command: AnyCommand | undefined;
  const options: Record<string, string | boolean> = {};
  const globals: Record<string, string | boolean> = {};
  const args: string[] = [];
  const usageHint = () =>
    `Run \`${program.name}${command ? ` ${command.name}` : ""} --help\` for usage.`;
  let onlyArgs = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (onlyArgs || !token.startsWith("-") || token === "-") {
      if (!command) {
        command = findCommand(program, token);
        if (!command) {
          const names = program.commands.flatMap((c) => [c.name, ...c.aliases]);
          const guess = closest(token, names);
          throw usageError(
            `unknown command '${token}'${guess ? ` (did you mean '${guess}'?)` : ""}`,
            usageHint(),
          );
        }
      } else args.push(token);
      continue;
    }
    if (token === "--") {
      onlyArgs = true;
      continue;
    }
    if (token === HELP.flag || token === HELP.short) {
      return { kind: "help", text: formatHelp(program, command) };
    }
    if (!command && (token === VERSION.flag || token === VERSION.short)) {
      return { kind: "version", text: program.version };
    }
    const eq = token.startsWith("--") ? token.indexOf("=") : -1;
    const name = eq > 0 ? token.slice(0, eq) : token;
    // Bundled short switches: -vd is -v -d.
    if (/^-[a-zA-Z]{2,}$/.test(token)) {
      argv = [
        ...argv.slice(0, i + 1),
        ...token.slice(1).split("").map((c) => `-${c}`),
        ...argv.slice(i + 1),
      ];
      continue;
    }
    const found = lookupOption(name, command?.options ?? {}, program.globals);
    if (!found) {
      const guess = closest(name, allFlags([command?.options ?? {}, program.globals]));
      throw usageError(
        `unknown option '${name}'${guess ? ` (did you mean '${guess}'?)` : ""}`,
        usageHint(),
      );
    }
    const target = found.global ? globals : options;
    if (isValueOption(found.option)) {
      const value = eq > 0 ? token.slice(eq + 1) : argv[++i];
      if (value === undefined) {
        throw usageError(
          `option '${found.option.flag} <${found.option.value}>' needs a value`,
          usageHint(),
        );
      }
      target[found.key] = value;
    } else {
      if (eq > 0) throw usageError(`option '${found.option.flag}' takes no value`, usageHint());
      target[found.key] = !found.negated;
    }
  }
  if (!command) return { kind: "help", text: formatHelp(program) };
  const declared = command.args ?? [];
  if (args.length > declared.length) {
    throw usageError(
      `too many arguments for '${command.name}': ${args.slice(declared.length).join(" ")}`,
      usageHint(),
    );
  }
  const missing = declared.slice(args.length).find((a) => a.required);
  if (missing) throw usageError(`missing required argument '${missing.name}'`, usageHint());
  for (const [a, b] of command.conflicts ?? []) {
    if (a in options && b in options) {
      throw usageError(
        `option '${command.options[a].flag}' cannot be used with '${command.options[b].flag}'`,
        usageHint(),
      );
    }
  }
  return { kind: "run", command, options, args, globals: globals as GlobalOptions };
}

function optionLabel(option: OptionDef): string {
  const flag = !isValueOption(option) && option.negatable
    ? `${option.flag}, --no-${option.flag.slice(2)}`
    : option.flag;
  const label = `${option.short ? `${option.short}, ` : "    "}${flag}`;
  return isValueOption(option) ? `${label} <${option.value}>` : label;
}

const HELP_WIDTH = 100;

/** Splits text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** Two columns: names on the left, wrapped descriptions on the right. */
function table(rows: [string, string][]): string {
  const width = Math.min(30, Math.max(...rows.map(([left]) => left.length)));
  const indent = " ".repeat(width + 4);
  return rows.map(([left, right]) => {
    const [first, ...rest] = wrap(right, Math.max(30, HELP_WIDTH - indent.length));
    const head = left.length > width
      ? `  ${left}\n${indent}${first}`
      : `  ${left.padEnd(width)}  ${first}`;
    return [head, ...rest.map((line) => indent + line)].join("\n");
  }).join("\n");
}

export function formatHelp(program: ProgramDef, command?: AnyCommand): string {
  const globals = table(
    [...Object.values(program.globals), HELP].map((o) => [optionLabel(o), o.help]),
  );
  if (!command) {
    return [
      `Usage: ${program.name} [global options] <command> [options]`,
      "",
      program.summary,
      "",
      "Commands:",
      table(program.commands.map((c) => [[c.name, ...c.aliases].join("|"), c.summary])),
      "",
      "Global options (before or after the command):",
      table(
        [...Object.values(program.globals), HELP, VERSION].map((o) => [optionLabel(o), o.help]),
      ),
      "",
      program.notes,
    ].join("\n");
  }
  const args = command.args ?? [];
  const usageArgs = args.map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(" ");
  return [
    `Usage: ${program.name} ${[command.name, ...command.aliases].join("|")} [options]${
      usageArgs ? ` ${usageArgs}` : ""
    }`,
    "",
    command.summary,
    ...(args.length ? ["", "Arguments:", table(args.map((a) => [a.name, a.help]))] : []),
    "",
    "Options:",
    table(Object.values(command.options as OptionDefs).map((o) => [optionLabel(o), o.help])),
    "",
    "Global options:",
    globals,
    ...(command.notes ? ["", command.notes.trim()] : []),
    "",
    "Examples:",
    ...command.examples.map((e) => `  ${e}`),
  ].join("\n");
}
