/** `completions <shell>`: the completion script, from the same declarations as the parser. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { completionScript, type Shell } from "../../lib/cli/completions.ts";
import type { Input } from "../options.ts";

export function run(input: Input): Promise<CommandOutput> {
  // The parser checked the argument against the declared shells.
  const shell = input.args[0] as Shell;
  const script = completionScript(input.program, shell);
  return Promise.resolve({ json: { shell, script }, lines: [script.trimEnd()] });
}
