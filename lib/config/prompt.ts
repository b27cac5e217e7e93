/**
 * Required values that nobody supplied: on a terminal, ask for them (and offer to save them in
 * the config file); anywhere else fail at once, naming the flag and the config key. Never waits
 * for input that cannot come.
 */
import type { Settings } from "./settings.ts";
import {
  CONFIG_KEYS,
  type ConfigKey,
  type KeyValue,
  LEGACY_KEYS,
  TRACE_TEMPLATE_PATH,
} from "./keys.ts";
import { exists, writeFileAtomic } from "../core/fs.ts";
import { log } from "../core/log.ts";
import { dirname, join } from "../core/paths.ts";
import builtInTemplate from "../../config.template.yaml" with { type: "text" };

export function isInteractive(): boolean {
  return Deno.stdin.isTerminal() && Deno.stderr.isTerminal() && !Deno.env.get("CI");
}

/**
 * Returns the value of `key`, asking for it on a terminal; throws a usage error otherwise.
 * `given` says how the running command takes the value, for that error ("the python_output
 * argument"); by default the key's flag.
 */
export async function requireValue<K extends ConfigKey>(
  settings: Settings,
  key: K,
  given?: string,
): Promise<KeyValue<K>> {
  const value = settings.get(key);
  if (value !== undefined) return value as KeyValue<K>;
  if (!isInteractive()) throw settings.missing(key, given);
  // Only on a terminal: a prompt library no other path needs.
  const { confirm, input } = await import("@inquirer/prompts");
  const { default: process } = await import("node:process");
  const answer = await input(
    { message: `${CONFIG_KEYS[key].description} (${key}):`, required: true },
    { output: process.stderr },
  );
  settings.set(key, answer.trim());
  // The file may have been created by an earlier answer of this run: look at the disk.
  const configExists = await exists(settings.configPath);
  const save = await confirm(
    {
      message: configExists
        ? `Save ${key} in ${settings.configPath}?`
        : `Create ${settings.configPath} from the template with this value?`,
      default: true,
    },
    { output: process.stderr },
  );
  if (save) await saveValue(settings, key, answer.trim());
  return settings.get(key) as KeyValue<K>;
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

/** The template for a new config file: the trace repo's own, else the built-in one. */
export async function configTemplate(repoRoot: string): Promise<{ text: string; origin: string }> {
  const tracePath = join(repoRoot, TRACE_TEMPLATE_PATH);
  if (await exists(tracePath)) {
    return { text: await Deno.readTextFile(tracePath), origin: tracePath };
  }
  return { text: builtInTemplate, origin: "built-in config.template.yaml" };
}

/** Writes `key: value` into the config file (created from the template when missing). */
export async function saveValue(settings: Settings, key: ConfigKey, value: string): Promise<void> {
  const configExists = await exists(settings.configPath);
  const { text, origin } = configExists
    ? { text: await Deno.readTextFile(settings.configPath), origin: settings.configPath }
    : await configTemplate(settings.repoRoot);
  const { Document, isMap, parseDocument } = await import("../core/yaml.ts");
  const parsed = parseDocument(text);
  const doc = isMap(parsed.contents) ? parsed : new Document({});
  const legacy = Object.entries(LEGACY_KEYS).find(([old, now]) => now === key && doc.has(old));
  doc.set(legacy ? legacy[0] : key, value);
  // A new config file may be the first thing under tools/codegen/.
  if (!configExists) await Deno.mkdir(dirname(settings.configPath), { recursive: true });
  await writeFileAtomic(settings.configPath, doc.toString(), { what: "config file" });
  log.info(`wrote ${key} to ${settings.configPath} (from ${origin})`);
}
