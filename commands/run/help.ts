/** `help [command]`: the same text as `--help`. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { findCommand } from "../../lib/cli/command.ts";
import { formatHelp } from "../../lib/cli/help.ts";
import { choiceError } from "../../lib/cli/parse.ts";
import type { Input } from "../options.ts";

export function run(input: Input): Promise<CommandOutput> {
  const [name] = input.args;
  const { program } = input;
  const command = name === undefined ? undefined : findCommand(program, name);
  if (name !== undefined && !command) {
    const names = program.commands.flatMap((c) => [c.name, ...c.aliases]);
    throw choiceError("command", name, names, "help");
  }
  const text = formatHelp(program, command);
  return Promise.resolve({ json: { text }, lines: [text] });
}
