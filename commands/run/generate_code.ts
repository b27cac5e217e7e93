/** `generate_code`: every configured SDK clone gets the generated code on its local `main`. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { generateCode } from "../../lib/generate/generate_code.ts";
import type { Input } from "../options.ts";

export async function run(input: Input<"init" | "dryRun" | "regenerate">): Promise<CommandOutput> {
  const { options } = input;
  const context = await createContext(input);
  const dryRun = options.dryRun ?? false;
  const result = await generateCode({
    settings: context.settings,
    repoRoot: context.repoRoot,
    dryRun,
    init: options.init ?? false,
    regenerate: options.regenerate ?? false,
  });
  return {
    json: { dryRun, ...result },
    lines: Object.entries(result.targets).map(([target, r]) => {
      const state = dryRun
        ? "dry run"
        : r?.skipped
        ? "up to date"
        : r?.changed
        ? "updated"
        : "unchanged";
      return `${target}\t${r?.clone}\tmain ${r?.commit ?? "-"}\t${state}`;
    }),
  };
}
