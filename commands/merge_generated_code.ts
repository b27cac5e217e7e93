/** `merge_generated_code`: publish the generated SDK on its mirror branch, then pin pyproject.toml to it. */
import { defineCommand } from "../lib/cli/command.ts";
import { LOCK_OPTIONS, MERGE_OPTIONS, OUTPUT_OPTIONS } from "./options.ts";

export const mergeGeneratedCodeCommand = defineCommand({
  name: "merge_generated_code",
  aliases: ["merge-generated-code"],
  summary:
    "Push the generated SDK code to the mirror branch weave/<trace branch> and pin pyproject.toml to it",
  args: [
    {
      name: "python_output",
      key: "python_output",
      help: "the SDK clone (or --python-output)",
      complete: "directory",
    },
    { name: "package_name", key: "package_name", help: "the SDK's package (or --package-name)" },
  ],
  options: { ...MERGE_OPTIONS, ...LOCK_OPTIONS, ...OUTPUT_OPTIONS },
  notes: `The SDK clone's working tree, index and checked-out branch are never touched; only the
mirror branch is pushed (with --force-with-lease), never main. Set GITHUB_TOKEN to push to an
https remote; it is passed to git for that command only, never stored or printed. With a targets:
map, every target with a clone gets its mirror branch in its own repository and its own pin
(docs/targets.md).`,
  examples: [
    "codegen merge_generated_code ../weave-server-sdk weave_server_sdk",
    "codegen merge_generated_code ../weave-server-sdk weave_server_sdk --trace-branch my-feature",
    "GITHUB_HEAD_REF=my-feature codegen merge-generated-code ../sdk weave_server_sdk   # CI, detached HEAD",
    "codegen merge_generated_code ../weave-server-sdk weave_server_sdk --force   # after a refusal",
  ],
  load: () => import("./run/merge_generated_code.ts"),
});
