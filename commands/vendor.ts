/** `vendor`: generate the vendored targets and copy their package into the trace repository. */
import { defineCommand } from "../lib/cli/command.ts";
import {
  GENERATE_OPTIONS,
  GROUP_OPTIONS,
  LOCK_OPTIONS,
  OPTIONS,
  OUTPUT_OPTIONS,
  SPEC_OPTIONS,
  TARGET_OPTIONS,
} from "./options.ts";

const { preserve: _clonesOnly, ...generateOptions } = GENERATE_OPTIONS;

export const vendorCommand = defineCommand({
  name: "vendor",
  aliases: [],
  summary:
    "Generate each target that has a vendor_dir and copy its package into the trace repository (no SDK clone, no pin)",
  options: {
    ...TARGET_OPTIONS,
    ...generateOptions,
    ...GROUP_OPTIONS,
    openapiOutput: SPEC_OPTIONS.openapiOutput,
    regenerate: OPTIONS.regenerate,
    ...LOCK_OPTIONS,
    ...OUTPUT_OPTIONS,
  },
  conflicts: [["allGroups", "groups"]],
  notes:
    `For each target with vendor_dir (targets.<t>.vendor_dir, or --vendor-dir [TARGET=]DIR): its generator
runs in a temporary directory (a hosted build's commit is fetched into a temporary repository),
the package is taken from where the generator's vendoring preset says it lands, rewritten so that
it imports under the vendored path (Python: weave.vendor.weave_server_sdk, without the package's
own top-level name ever being imported), and swapped in atomically; <vendor_dir>.origin.json
records the inputs and every file. Nothing else in the trace repository is written, and nothing
is committed: review it with git diff. A copy whose stamp has the same inputs and whose files are
intact is left as it is (--regenerate vendors anyway). \`codegen check\` fails when a vendored
copy was edited by hand or was vendored from other inputs. See docs/targets.md.`,
  examples: [
    "codegen vendor --vendor-dir python=weave/vendor/weave_server_sdk --generator stainful",
    "codegen vendor                                   every target with vendor_dir in the config",
    "codegen vendor --target typescript.vendor_dir=sdks/node/src/vendor/weave-server-sdk \\\n      --target typescript.generator=stainful",
    "codegen vendor --group core --dry-run            the plan: nothing is generated or written",
    "codegen vendor --json                            per target: files added, changed, removed",
  ],
  load: () => import("./run/vendor.ts"),
});
