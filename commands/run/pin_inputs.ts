/** What update_pyproject and merge_generated_code pin: the SDK clone and package, extra, file, release. */
import type { Context } from "../../lib/config/context.ts";

export interface PinInputs {
  sdkRepo: string;
  packageName: string;
  release: boolean;
  extra: string;
  pyprojectPath: string;
}

export async function pinInputs(context: Context): Promise<PinInputs> {
  const { settings } = context;
  return {
    sdkRepo: await context.require("python_output"),
    packageName: await context.require("package_name"),
    release: settings.get("release"),
    extra: settings.get("pyproject_extra"),
    pyprojectPath: settings.get("pyproject"),
  };
}
