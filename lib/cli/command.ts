/**
 * How a command is declared: its metadata as data (name, options, arguments, help, examples),
 * loaded by every run, and its implementation behind `load`, imported only when it runs. The
 * parser, `--help`, `help <command>` and the shell completions all read the same declarations.
 */

/** The options every command accepts (before or after the command name). */
export interface GlobalOptions {
  repoRoot?: string;
  config?: string;
  verbose?: boolean;
  debug?: boolean;
}

interface OptionBase {
  flag: `--${string}`;
  short?: `-${string}`;
  /** Other long spellings accepted (older names); errors name the spelling the user typed. */
  aliases?: readonly `--${string}`[];
  help: string;
  /** The configuration key the option sets: the flag is that key's value from the command line. */
  key?: string;
  /**
   * Sets one field of a structured key's entries instead: `--vendor-dir python=DIR` is
   * `--target python.vendor_dir=DIR` (a value without `NAME=` names the entry `*`).
   */
  field?: { key: string; field: string };
}

/** An option that takes a value (`value` names it in help: `--port <port>`). */
export interface ValueOption extends OptionBase {
  value: string;
  /** The values it accepts: offered by the completions, checked with "did you mean". */
  choices?: readonly string[];
  /** What the shell completes for the value (default: nothing). */
  complete?: "file" | "directory";
  /** May be given several times: the command receives every value, in order. */
  repeatable?: boolean;
}

/** A switch; `negatable` also accepts `--no-<name>` (giving false). */
export interface SwitchOption extends OptionBase {
  negatable?: boolean;
}

export type OptionDef = ValueOption | SwitchOption;
export type OptionDefs = Record<string, OptionDef>;

/**
 * A string for a value option (a list when repeatable), a boolean for a switch; any value option
 * (the generic `ValueOption` itself) may be either.
 */
type ParsedValue<D> = D extends { repeatable: true } ? string[]
  : D extends ValueOption ? (ValueOption extends D ? string | string[] : string)
  : boolean;

/** What the parser gives a command: a string per value option, a boolean per switch. */
export type ParsedOptions<O extends OptionDefs> = {
  [K in keyof O]: ParsedValue<O[K]> | undefined;
};

export interface ArgDef {
  name: string;
  help: string;
  required?: boolean;
  /** The configuration key the argument sets (like an option's `key`). */
  key?: string;
  /** The values it accepts (checked by the parser, offered by the completions). */
  choices?: readonly string[];
  /** What the shell completes for it when it has no `choices` (default: nothing). */
  complete?: "command" | "file" | "directory";
}

/** What a command's implementation receives. */
export interface RunInput<O extends OptionDefs = OptionDefs> {
  program: ProgramDef;
  command: AnyCommand;
  options: ParsedOptions<O>;
  /** How each given option was spelled ("--python-path", "-o", "--no-release"), by option name. */
  spellings: Record<string, string>;
  args: (string | undefined)[];
  globals: GlobalOptions;
}

/** What a command returns; `main.ts` prints it (`--json`: one object, else the lines). */
export interface CommandOutput {
  /** Fields of the `--json` object, after `schema_version`, `command` and `ok`. */
  json: Record<string, unknown>;
  /** The result for people, one line each, on stdout. */
  lines: string[];
}

/** A command's implementation module (loaded on `run`). */
export interface CommandImpl<O extends OptionDefs> {
  run: (input: RunInput<O>) => Promise<CommandOutput>;
  /** Extra fields of the `--json` object when the command fails (e.g. what was done). */
  failureJson?: (error: unknown) => Record<string, unknown>;
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
  /** Imports the implementation (commands/run/<name>.ts) when the command runs, not before. */
  load: () => Promise<CommandImpl<NoInfer<O>>>;
}

/** Declares a command; keeps the option names and kinds for the implementation's types. */
export function defineCommand<const O extends OptionDefs>(def: CommandDef<O>): CommandDef<O> {
  return def;
}

/** A command of any option shape (each implementation sees its exact option types). */
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

export const HELP: SwitchOption = { flag: "--help", short: "-h", help: "show this help" };
export const VERSION: SwitchOption = { flag: "--version", short: "-V", help: "print the version" };

export function isValueOption(option: OptionDef): option is ValueOption {
  return "value" in option;
}

/** Every spelling of an option: flag, aliases, `--no-` form, short. */
export function spellingsOf(option: OptionDef): string[] {
  return [
    option.flag,
    ...(option.aliases ?? []),
    ...(!isValueOption(option) && option.negatable ? [`--no-${option.flag.slice(2)}`] : []),
    ...(option.short ? [option.short] : []),
  ];
}

export function findCommand(program: ProgramDef, name: string): AnyCommand | undefined {
  return program.commands.find((c) => c.name === name || c.aliases.includes(name));
}
