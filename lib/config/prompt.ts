/**
 * Required values that nobody supplied: on a terminal, ask for them (and offer to save them in
 * the config file); anywhere else fail at once, naming the flag and the config key. Never waits
 * for input that cannot come.
 */
import type { Settings } from "./settings.ts";
import type { ConfigKey, KeyValue } from "./keys.ts";
import { exists } from "../core/fs.ts";
import { log } from "../core/log.ts";
import { askGenerator, askValue, offerToSave, type PromptSession } from "./first_run.ts";

export function isInteractive(): boolean {
  return Deno.stdin.isTerminal() && Deno.stderr.isTerminal() && !Deno.env.get("CI");
}

/**
 * Returns the value of `key`, asking for it on a terminal (first_run.ts: checked, with defaults,
 * offered to be saved); throws a usage error otherwise. `given` says how the running command takes
 * the value, for that error ("the python_output argument"); by default the key's flag.
 */
export async function requireValue<K extends ConfigKey>(
  settings: Settings,
  key: K,
  given?: string,
  session: PromptSession = {
    cwd: Deno.cwd(),
    dryRun: false,
    usesGenerator: false,
    flagKeys: [],
    flagText: {},
  },
): Promise<KeyValue<K>> {
  const value = settings.get(key);
  if (value !== undefined) return value as KeyValue<K>;
  if (!isInteractive()) throw settings.missing(key, given);
  await askValue(settings, session, key);
  const asked: ConfigKey[] = [key];
  // The first run of a command that generates also chooses the generator (saved with the rest).
  const firstRun = !(await exists(settings.configPath));
  if (firstRun && session.usesGenerator && settings.source("generator") === "default") {
    await askGenerator(settings);
    asked.push("generator");
  }
  await offerToSave(settings, session, asked);
  return settings.get(key) as KeyValue<K>;
}

/**
 * A first run on a terminal that asked nothing (every required value given as a flag): offers
 * once to create the config file from the template with the values given as flags, so that the
 * next plain run does what this one does. Never in a dry run, never without a terminal, never
 * when the file exists (or was just created from answers), not after a no.
 */
export async function offerToSaveFlags(settings: Settings, session: PromptSession): Promise<void> {
  if (!isInteractive() || session.dryRun || session.flagKeys.length === 0) return;
  if (await exists(settings.configPath)) return;
  await offerToSave(settings, session, []);
}

/**
 * Asks whether the process holding the server's port may be stopped (kill_port: ask). Undefined
 * when there is nobody to ask.
 */
export async function confirmStopListener(
  listener: { pid: number; command: string },
  port: number,
): Promise<boolean | undefined> {
  if (!isInteractive()) return undefined;
  const { confirm } = await import("@inquirer/prompts");
  const { default: process } = await import("node:process");
  log.endStatus();
  return await confirm(
    {
      message:
        `Port ${port} is held by PID ${listener.pid} (${listener.command}), which is not the server codegen starts. Stop it?`,
      default: false,
    },
    { output: process.stderr },
  );
}
