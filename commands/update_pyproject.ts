/** `update_pyproject`: pin the SDK in the trace repository's pyproject.toml (git commit or release). */
import { Command } from "@commander-js/extra-typings";
import { relative } from "node:path";
import { createContext, type GlobalOptions } from "../lib/context.ts";
import { log } from "../lib/log.ts";
import { requireValue } from "../lib/prompt.ts";

export function updatePyprojectCommand() {
  return new Command("update_pyproject")
    .alias("update-pyproject")
    .description(
      "Pin the SDK in pyproject.toml to the SDK clone's HEAD commit (or, with --release, its version)",
    )
    .argument("[python_output]", "the SDK clone (config: python_output)")
    .argument("[package_name]", "the SDK's package name (config: package_name)")
    .option(
      "--release",
      "pin PACKAGE==<version of the SDK> instead of a git commit (config: release)",
    )
    .option(
      "--extra <name>",
      "optional-dependencies group holding the SDK (config: pyproject_extra, default stainless)",
    )
    .option(
      "--pyproject <path>",
      "file to edit (config: pyproject, default <repo-root>/pyproject.toml)",
    )
    .option("-n, --dry-run", "show the entry that would be written; change nothing")
    .addHelpText(
      "after",
      `
Only the SDK entry (and [tool.hatch.metadata] allow-direct-references) changes; comments,
formatting and everything else in the file stay byte-identical.

Examples:
  codegen update_pyproject ../weave-server-sdk weave_server_sdk
      weave_server_sdk @ git+https://github.com/wandb/weave-server-sdk.git@<HEAD sha>
  codegen update_pyproject ../weave-server-sdk weave_server_sdk --release
      weave_server_sdk==<[project].version of the SDK>
  codegen update-pyproject ~/src/sdk weave_server_sdk --extra sdk --pyproject ../weave/pyproject.toml`,
    )
    .action(async (pythonOutput, packageName, options, command) => {
      const globals = command.optsWithGlobals() as GlobalOptions;
      const context = await createContext(globals, {
        python_output: pythonOutput,
        package_name: packageName,
        release: options.release,
        pyproject_extra: options.extra,
        pyproject: options.pyproject,
      });
      const { settings } = context;
      const { pinSdk } = await import("../lib/pyproject.ts"); // loaded on demand: start-up time counts
      const result = await pinSdk({
        sdkRepo: await requireValue<string>(settings, "python_output"),
        packageName: await requireValue<string>(settings, "package_name"),
        release: settings.get<boolean>("release") ?? false,
        extra: settings.get<string>("pyproject_extra"),
        pyprojectPath: settings.get<string>("pyproject")!,
        dryRun: options.dryRun,
      });
      const shown = relative(context.cwd, result.pyprojectPath);
      const file = shown.startsWith("..") ? result.pyprojectPath : shown;
      for (const old of result.replaced) log.verbose(`replaced: ${old}`);
      const state = !result.changed
        ? " (already pinned; unchanged)"
        : options.dryRun
        ? " (dry run; not written)"
        : "";
      log.result(`${file}: ${result.entries.join(", ")}${state}`);
    });
}
