/** `completions bash|zsh|fish`: a shell completion script made from the command declarations. */
import { defineCommand } from "../lib/cli/command.ts";
import { OPTIONS } from "./options.ts";

/** The shells lib/cli/completions.ts writes scripts for. */
const SHELLS = ["bash", "zsh", "fish"] as const;

export const completionsCommand = defineCommand({
  name: "completions",
  aliases: [],
  summary: "Print a completion script for bash, zsh or fish (commands, flags, generator names)",
  args: [{ name: "shell", help: "bash, zsh or fish", required: true, choices: SHELLS }],
  options: { json: OPTIONS.json },
  notes: `Install it once:
  bash  echo 'source <(codegen completions bash)' >> ~/.bashrc
  zsh   codegen completions zsh > "\${fpath[1]}/_codegen"   (or: source <(codegen completions zsh))
  fish  codegen completions fish > ~/.config/fish/completions/codegen.fish`,
  examples: [
    "codegen completions bash > /etc/bash_completion.d/codegen",
    "codegen completions fish",
  ],
  load: () => import("./run/completions.ts"),
});
