/** `update_pyproject`: pin the SDK in the trace repository's pyproject.toml (git commit or release). */
import { defineCommand } from "../lib/cli/command.ts";
import { LOCK_OPTIONS, OUTPUT_OPTIONS, PIN_OPTIONS } from "./options.ts";

export const updatePyprojectCommand = defineCommand({
  name: "update_pyproject",
  aliases: ["update-pyproject"],
  summary:
    "Pin the SDK in pyproject.toml to the SDK clone's HEAD commit (or, with --release, its version)",
  args: [
    {
      name: "python_output",
      key: "python_output",
      help: "the SDK clone (or --python-output)",
      complete: "directory",
    },
    { name: "package_name", key: "package_name", help: "the SDK's package (or --package-name)" },
  ],
  options: { ...PIN_OPTIONS, ...LOCK_OPTIONS, ...OUTPUT_OPTIONS },
  notes: `Only the SDK entry (and [tool.hatch.metadata] allow-direct-references) changes; comments,
formatting and everything else in the file stay byte-identical. With a targets: map, every target
with a clone is pinned as its pin says: a TypeScript SDK in its package_json (one entry's value),
a target with pin: none not at all (docs/targets.md).`,
  examples: [
    "codegen update_pyproject ../weave-server-sdk weave_server_sdk\n      weave_server_sdk @ git+https://github.com/wandb/weave-server-sdk.git@<HEAD sha>",
    "codegen update_pyproject ../weave-server-sdk weave_server_sdk --release\n      weave_server_sdk==<[project].version of the SDK, else its setup.py version=>",
    "codegen update-pyproject ~/src/sdk weave_server_sdk --extra sdk --pyproject ../weave/pyproject.toml",
  ],
  load: () => import("./run/update_pyproject.ts"),
});
