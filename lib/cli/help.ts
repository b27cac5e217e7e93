/** `--help` and `codegen help [command]`: generated from the declarations (command.ts). */
import {
  type AnyCommand,
  HELP,
  isValueOption,
  type OptionDef,
  type OptionDefs,
  type ProgramDef,
  VERSION,
} from "./command.ts";

const HELP_WIDTH = 100;

function optionLabel(option: OptionDef): string {
  const flag = !isValueOption(option) && option.negatable
    ? `${option.flag}, --no-${option.flag.slice(2)}`
    : option.flag;
  const label = `${option.short ? `${option.short}, ` : "    "}${flag}`;
  return isValueOption(option) ? `${label} <${option.value}>` : label;
}

function optionRow(option: OptionDef): [string, string] {
  const aliases = option.aliases?.filter((alias) => !option.help.includes(alias)) ?? [];
  return [
    optionLabel(option),
    option.help + (aliases.length ? ` (also ${aliases.join(", ")})` : ""),
  ];
}

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

function programHelp(program: ProgramDef): string {
  return [
    `Usage: ${program.name} [global options] <command> [options]`,
    "",
    program.summary,
    "",
    "Commands:",
    table(program.commands.map((c) => [[c.name, ...c.aliases].join("|"), c.summary])),
    "",
    "Global options (before or after the command):",
    table([...Object.values(program.globals), HELP, VERSION].map(optionRow)),
    "",
    program.notes,
  ].join("\n");
}

/** The help of the program, or of one command. */
export function formatHelp(program: ProgramDef, command?: AnyCommand): string {
  if (!command) return programHelp(program);
  const args = command.args ?? [];
  const usageArgs = args.map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(" ");
  const options = Object.values(command.options as OptionDefs);
  return [
    `Usage: ${program.name} ${[command.name, ...command.aliases].join("|")} [options]${
      usageArgs ? ` ${usageArgs}` : ""
    }`,
    "",
    command.summary,
    ...(args.length ? ["", "Arguments:", table(args.map((a) => [a.name, a.help]))] : []),
    ...(options.length ? ["", "Options:", table(options.map(optionRow))] : []),
    "",
    "Global options:",
    table([...Object.values(program.globals), HELP].map(optionRow)),
    ...(command.notes ? ["", command.notes.trim()] : []),
    "",
    "Examples:",
    ...command.examples.map((e) => `  ${e}`),
  ].join("\n");
}
