/** `update_pyproject`: pin the SDK clone's HEAD commit (or its version) in pyproject.toml. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { displayPath } from "../../lib/core/paths.ts";
import { log } from "../../lib/core/log.ts";
import { pinSdk } from "../../lib/pin/pin.ts";
import { pinInputs } from "./pin_inputs.ts";
import type { Input } from "../options.ts";
import { lockTrace } from "./trace_lock.ts";

export async function run(input: Input<"dryRun" | "noWait">): Promise<CommandOutput> {
  const dryRun = input.options.dryRun ?? false;
  const context = await createContext(input);
  const release = await lockTrace(context, input.options);
  const result = await pinInputs(context).then((pin) => pinSdk({ ...pin, dryRun })).finally(
    release,
  );
  for (const old of result.replaced) log.verbose(`replaced: ${old}`);
  const state = !result.changed
    ? " (already pinned; unchanged)"
    : dryRun
    ? " (dry run; not written)"
    : "";
  const file = displayPath(result.pyprojectPath, context.cwd);
  return {
    json: { dryRun, ...result, written: !dryRun && result.changed },
    lines: [`${file}: ${result.entries.join(", ")}${state}`],
  };
}
