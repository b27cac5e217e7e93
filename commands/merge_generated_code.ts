/** `merge_generated_code`: publish the generated SDK on its mirror branch, then pin pyproject.toml to it. */
import { defineCommand } from "../lib/cli/parse.ts";
import { createContext } from "../lib/config/context.ts";
import { log } from "../lib/core/log.ts";
import { pinSettings } from "../lib/pin/pin_settings.ts";

export const mergeGeneratedCodeCommand = defineCommand({
  name: "merge_generated_code",
  aliases: ["merge-generated-code"],
  summary:
    "Push the generated SDK code to the mirror branch weave/<trace branch> and pin pyproject.toml to it",
  args: [
    { name: "python_output", help: "the SDK clone (config: python_output)" },
    { name: "package_name", help: "the SDK's package name (config: package_name)" },
  ],
  options: {
    traceBranch: {
      flag: "--trace-branch",
      value: "name",
      help:
        "trace branch to mirror (default: the checked-out branch; in detached HEAD GITHUB_HEAD_REF, then GITHUB_REF_NAME)",
    },
    mirrorPrefix: {
      flag: "--mirror-prefix",
      value: "prefix",
      help: "prefix of the mirror branch (config: mirror_branch_prefix, default weave/)",
    },
    sourceRef: {
      flag: "--source-ref",
      value: "branch",
      help: "branch of the SDK clone holding the generated code (config: source_ref, default main)",
    },
    force: {
      flag: "--force",
      help: "replace commits that someone else pushed to the mirror branch",
    },
    release: {
      flag: "--release",
      negatable: true,
      help: "pin PACKAGE==<version> instead of the pushed commit (config: release)",
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
      help: "say what would be committed, pushed and pinned; change nothing",
    },
  },
  notes: `The SDK clone's working tree, index and checked-out branch are never touched; only the
mirror branch is pushed (with --force-with-lease), never main. Set GITHUB_TOKEN to push to an
https remote; it is passed to git for that command only, never stored or printed.`,
  examples: [
    "codegen merge_generated_code ../weave-server-sdk weave_server_sdk",
    "codegen merge_generated_code ../weave-server-sdk weave_server_sdk --trace-branch my-feature",
    "GITHUB_HEAD_REF=my-feature codegen merge-generated-code ../sdk weave_server_sdk   # CI, detached HEAD",
    "codegen merge_generated_code ../weave-server-sdk weave_server_sdk --force   # after a refusal",
  ],
  async run({ options, globals, args }) {
    const [pythonOutput, packageName] = args;
    const context = await createContext(globals, {
      python_output: pythonOutput,
      package_name: packageName,
      release: options.release,
      pyproject_extra: options.extra,
      pyproject: options.pyproject,
      mirror_branch_prefix: options.mirrorPrefix,
      source_ref: options.sourceRef,
    });
    const { settings } = context;
    const { mergeGeneratedCode } = await import("../lib/sync/mirror.ts"); // loaded on demand: start-up time counts
    const outcome = await mergeGeneratedCode({
      ...await pinSettings(settings),
      traceRepo: context.repoRoot,
      traceBranch: options.traceBranch,
      mirrorPrefix: settings.get<string>("mirror_branch_prefix"),
      sourceRef: settings.get<string>("source_ref"),
      specPath: settings.get<string>("openapi_output"),
      force: options.force,
      dryRun: options.dryRun,
    });
    if (outcome.dryRun) {
      const { formatMergePlan } = await import("../lib/pipeline/report.ts");
      const { plan } = outcome;
      for (const line of formatMergePlan(plan)) log.info(`[dry-run] would ${line}`);
      const commit = plan.push === "no" ? plan.mirrorTip : undefined;
      log.result(`${plan.branch}: ${commit ?? "(not created)"} (dry run)`);
      const pin = plan.pin.result;
      const state = pin.changed ? " (dry run; not written)" : " (unchanged)";
      log.result(`${pin.pyprojectPath}: ${pin.entries.join(", ")}${state}`);
      return;
    }
    const { result } = outcome;
    log.result(`${result.branch}: ${result.commit} (${result.noop ? "unchanged" : "pushed"})`);
    const state = result.pin.changed ? "" : " (unchanged)";
    log.result(`${result.pin.pyprojectPath}: ${result.pin.entries.join(", ")}${state}`);
  },
});
