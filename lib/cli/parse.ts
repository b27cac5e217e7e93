/**
 * The command line parsed against the declarations (command.ts) into a typed invocation.
 *
 * In house rather than commander: this loads in about a millisecond, where an argument parser
 * from npm pulls in Node built-ins that Deno boots on every run (bench/ measures start-up).
 */
import { usageError } from "../core/errors.ts";
import { closest, unknownChoice } from "../core/suggest.ts";
import {
  type AnyCommand,
  findCommand,
  HELP,
  isValueOption,
  type OptionDef,
  type OptionDefs,
  type ProgramDef,
  type RunInput,
  spellingsOf,
  VERSION,
} from "./command.ts";

/** `json`: `--json` was given too, so the help or version is printed as one JSON object. */
export type Invocation =
  | { kind: "help"; command?: AnyCommand; json: boolean }
  | { kind: "version"; json: boolean }
  | ({ kind: "run" } & RunInput);

const JSON_FLAG = "--json";

/** `--json` anywhere in `tokens` before a `--`: --help and --version honor it wherever it is. */
function wantsJson(tokens: readonly string[]): boolean {
  const end = tokens.indexOf("--");
  return (end < 0 ? tokens : tokens.slice(0, end)).includes(JSON_FLAG);
}

interface Lookup {
  name: string;
  option: OptionDef;
  negated: boolean;
  global: boolean;
}

function lookupOption(token: string, local: OptionDefs, globals: OptionDefs): Lookup | undefined {
  for (const [defs, global] of [[local, false], [globals, true]] as const) {
    for (const [name, option] of Object.entries(defs)) {
      if (spellingsOf(option).includes(token)) {
        const negated = !isValueOption(option) && token === `--no-${option.flag.slice(2)}`;
        return { name, option, negated, global };
      }
    }
  }
  return undefined;
}

/** Error for a value outside `choices`, with the closest one. `where` names the flag or key. */
export function choiceError(
  what: string,
  value: string,
  choices: readonly string[],
  where: string,
) {
  return unknownChoice(what, value, choices, where);
}

/** Parses argv (without the program name) into what to do. Throws usage errors (exit 2). */
export function parseArgs(program: ProgramDef, argv: readonly string[]): Invocation {
  let command: AnyCommand | undefined;
  const options: Record<string, string | string[] | boolean> = {};
  const globals: Record<string, string | string[] | boolean> = {};
  const spellings: Record<string, string> = {};
  const args: string[] = [];
  const usageHint = () =>
    `Run \`${program.name}${command ? ` ${command.name}` : ""} --help\` for usage.`;
  const tokens = [...argv];
  let onlyArgs = false;
  let jsonBeforeCommand = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (onlyArgs || !token.startsWith("-") || token === "-") {
      if (command) args.push(token);
      else command = commandNamed(program, token, usageHint);
      continue;
    }
    if (token === "--") {
      onlyArgs = true;
      continue;
    }
    if (token === HELP.flag || token === HELP.short) {
      return { kind: "help", command, json: wantsJson(tokens) };
    }
    if (!command && (token === VERSION.flag || token === VERSION.short)) {
      return { kind: "version", json: wantsJson(tokens) };
    }
    // `codegen --json --version`: before a command, --json waits for what follows.
    if (!command && token === JSON_FLAG) {
      jsonBeforeCommand = true;
      continue;
    }
    // Bundled short switches: -vd is -v -d.
    if (/^-[a-zA-Z]{2,}$/.test(token)) {
      tokens.splice(i + 1, 0, ...token.slice(1).split("").map((c) => `-${c}`));
      continue;
    }
    const eq = token.startsWith("--") ? token.indexOf("=") : -1;
    const spelling = eq > 0 ? token.slice(0, eq) : token;
    const local: OptionDefs = command?.options ?? {};
    const found = lookupOption(spelling, local, program.globals);
    if (!found) {
      const known = [local, program.globals].flatMap((d) => Object.values(d)).flatMap(spellingsOf);
      const guess = closest(spelling, known.filter((s) => s.startsWith("--")));
      throw usageError(
        `unknown option '${spelling}'${guess ? ` (did you mean '${guess}'?)` : ""}`,
        usageHint(),
      );
    }
    const target = found.global ? globals : options;
    if (!found.global) spellings[found.name] = spelling;
    if (isValueOption(found.option)) {
      const value = eq > 0 ? token.slice(eq + 1) : tokens[++i];
      if (value === undefined) {
        throw usageError(`option '${spelling} <${found.option.value}>' needs a value`, usageHint());
      }
      const { choices } = found.option;
      if (choices && !choices.includes(value)) {
        throw choiceError(found.option.key ?? found.option.value, value, choices, spelling);
      }
      const previous = target[found.name];
      target[found.name] = !found.option.repeatable
        ? value
        : [...(Array.isArray(previous) ? previous : []), value];
    } else {
      if (eq > 0) throw usageError(`option '${spelling}' takes no value`, usageHint());
      target[found.name] = !found.negated;
    }
  }
  if (!command) return { kind: "help", json: jsonBeforeCommand };
  if (jsonBeforeCommand) {
    // `codegen --json <command>` is `<command> --json` (every subcommand takes it).
    const name = Object.entries(command.options as OptionDefs).find(([, o]) => o.flag === JSON_FLAG)
      ?.[0];
    if (!name) throw usageError(`unknown option '${JSON_FLAG}'`, usageHint());
    options[name] = true;
  }
  checkArgs(command, args, usageHint);
  checkConflicts(command, options, spellings, args, usageHint);
  // A missing key of `options` reads as undefined, as ParsedOptions says.
  return { kind: "run", program, command, options, spellings, args, globals };
}

function commandNamed(program: ProgramDef, name: string, usageHint: () => string): AnyCommand {
  const command = findCommand(program, name);
  if (command) return command;
  const guess = closest(name, program.commands.flatMap((c) => [c.name, ...c.aliases]));
  throw usageError(
    `unknown command '${name}'${guess ? ` (did you mean '${guess}'?)` : ""}`,
    usageHint(),
  );
}

function checkArgs(command: AnyCommand, args: string[], usageHint: () => string): void {
  const declared = command.args ?? [];
  if (args.length > declared.length) {
    throw usageError(
      `too many arguments for '${command.name}': ${args.slice(declared.length).join(" ")}`,
      usageHint(),
    );
  }
  const missing = declared.slice(args.length).find((a) => a.required);
  if (missing) throw usageError(`missing required argument '${missing.name}'`, usageHint());
  declared.forEach((arg, i) => {
    if (arg.choices && args[i] !== undefined && !arg.choices.includes(args[i])) {
      throw choiceError(arg.name, args[i], arg.choices, `argument '${arg.name}'`);
    }
  });
}

function checkConflicts(
  command: AnyCommand,
  options: Record<string, unknown>,
  spellings: Record<string, string>,
  args: string[],
  usageHint: () => string,
): void {
  for (const [a, b] of command.conflicts ?? []) {
    if (a in options && b in options) {
      throw usageError(
        `option '${spellings[a]}' cannot be used with '${spellings[b]}'`,
        usageHint(),
      );
    }
  }
  // An argument and an option that set the same configuration key: one of them only.
  (command.args ?? []).forEach((arg, i) => {
    if (!arg.key || args[i] === undefined) return;
    const name = Object.keys(command.options).find((n) => command.options[n].key === arg.key);
    if (name && name in options) {
      throw usageError(
        `the ${arg.name} argument and '${spellings[name]}' both set \`${arg.key}\`; give one`,
        usageHint(),
      );
    }
  });
}
