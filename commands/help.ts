/** `help [command]`: the help of the program, or of one command (same as `<command> --help`). */
import { defineCommand } from "../lib/cli/command.ts";
import { OPTIONS } from "./options.ts";

export const helpCommand = defineCommand({
  name: "help",
  aliases: [],
  summary: "Show the help of a command (or of the program)",
  args: [{ name: "command", help: "the command to describe", complete: "command" }],
  options: { json: OPTIONS.json },
  examples: ["codegen help all", "codegen help"],
  load: () => import("./run/help.ts"),
});
