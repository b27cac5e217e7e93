/** `update_pyproject`: pin the SDK in the trace repository's pyproject.toml (git commit or release). */
import { defineCommand } from "../lib/cli/parse.ts";
import { displayPath } from "../lib/core/paths.ts";
import { createContext } from "../lib/config/context.ts";
import { log } from "../lib/core/log.ts";
import { pinSettings } from "../lib/pin/pin_settings.ts";

export const updatePyprojectCommand = defineCommand({
  name: "update_pyproject",
  aliases: ["update-pyproject"],
  summary:
    "Pin the SDK in pyproject.toml to the SDK clone's HEAD commit (or, with --release, its version)",
  args: [
    { name: "python_output", help: "the SDK clone (config: python_output)" },
    { name: "package_name", help: "the SDK's package name (config: package_name)" },
  ],
  options: {
    release: {
      flag: "--release",
      negatable: true,
      help: "pin PACKAGE==<version of the SDK> instead of a git commit (config: release)",
    },
    extra: {
      flag: "--extra",
      value: "name",
      help:
        "optional-dependencies group holding the SDK (config: pyproject_extra, default stainless)",
    },
    pyproject: {
      flag: "--pyproject",
      value: "path",
      help: "file to edit (config: pyproject, default <repo-root>/pyproject.toml)",
    },
    dryRun: {
      flag: "--dry-run",
      short: "-n",
      help: "show the entry that would be written; change nothing",
    },
  },
  notes: `Only the SDK entry (and [tool.hatch.metadata] allow-direct-references) changes; comments,
formatting and everything else in the file stay byte-identical.`,
  examples: [
    "codegen update_pyproject ../weave-server-sdk weave_server_sdk\n      weave_server_sdk @ git+https://github.com/wandb/weave-server-sdk.git@<HEAD sha>",
    "codegen update_pyproject ../weave-server-sdk weave_server_sdk --release\n      weave_server_sdk==<[project].version of the SDK>",
    "codegen update-pyproject ~/src/sdk weave_server_sdk --extra sdk --pyproject ../weave/pyproject.toml",
  ],
  async run({ options, globals, args }) {
    const [pythonOutput, packageName] = args;
    const context = await createContext(globals, {
      python_output: pythonOutput,
      package_name: packageName,
      release: options.release,
      pyproject_extra: options.extra,
      pyproject: options.pyproject,
    });
    const { settings } = context;
    const { pinSdk } = await import("../lib/pin/pin.ts"); // loaded on demand: start-up time counts
    const result = await pinSdk({
      ...await pinSettings(settings),
      dryRun: options.dryRun,
    });
    const file = displayPath(result.pyprojectPath, context.cwd);
    for (const old of result.replaced) log.verbose(`replaced: ${old}`);
    const state = !result.changed
      ? " (already pinned; unchanged)"
      : options.dryRun
      ? " (dry run; not written)"
      : "";
    log.result(`${file}: ${result.entries.join(", ")}${state}`);
  },
});
