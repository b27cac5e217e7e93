/** Settings for the targets tests: a config file, flags and environment in a temporary repo. */
import { withTempDir } from "./temp_dir.ts";
import { Settings } from "../../lib/config/settings.ts";
import { type ConfigFileValues, loadConfigFile } from "../../lib/config/config_file.ts";
import type { ConfigKey } from "../../lib/config/keys.ts";

export interface Given {
  file?: string;
  flags?: Partial<Record<ConfigKey, unknown>>;
  valueOrigins?: Partial<Record<ConfigKey, string[]>>;
  env?: Record<string, string>;
}

export async function settingsFor(dir: string, given: Given): Promise<Settings> {
  const path = `${dir}/generate_config.yaml`;
  if (given.file !== undefined) await Deno.writeTextFile(path, given.file);
  const configFile: ConfigFileValues = await loadConfigFile(path);
  return new Settings({
    repoRoot: dir,
    cwd: "/cwd",
    configFile,
    flags: given.flags,
    flagValueOrigins: given.valueOrigins,
    env: given.env ?? {},
  });
}

export function withSettings(given: Given, fn: (s: Settings, dir: string) => void | Promise<void>) {
  return withTempDir(
    "codegen-targets-",
    async (dir) => await fn(await settingsFor(dir, given), dir),
  );
}
