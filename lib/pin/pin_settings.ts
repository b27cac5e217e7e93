/**
 * What `update_pyproject` and `merge_generated_code` pin, from their settings: the SDK clone and
 * package (positional arguments, else configuration), the extra, the file, release or commit.
 * Kept apart from lib/pyproject.ts, which loads a TOML parser: commands import this at start-up.
 */
import type { Settings } from "../config/settings.ts";
import { requireValue } from "../config/prompt.ts";

export interface PinSettings {
  sdkRepo: string;
  packageName: string;
  release: boolean;
  extra?: string;
  pyprojectPath: string;
}

export async function pinSettings(settings: Settings): Promise<PinSettings> {
  return {
    sdkRepo: await requireValue<string>(settings, "python_output", "the python_output argument"),
    packageName: await requireValue<string>(settings, "package_name", "the package_name argument"),
    release: settings.get<boolean>("release") ?? false,
    extra: settings.get<string>("pyproject_extra"),
    pyprojectPath: settings.get<string>("pyproject")!,
  };
}
