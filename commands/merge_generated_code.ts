/** `merge_generated_code`: publish the generated SDK on its mirror branch, then pin pyproject.toml to it. */
import { Command } from "@commander-js/extra-typings";
import { createContext, type GlobalOptions } from "../lib/context.ts";
import { log } from "../lib/log.ts";
import { requireValue } from "../lib/prompt.ts";

export function mergeGeneratedCodeCommand() {
  return new Command("merge_generated_code")
    .alias("merge-generated-code")
    .description(
      "Push the generated SDK code to the mirror branch weave/<trace branch> and pin pyproject.toml to it",
    )
    .argument("[python_output]", "the SDK clone (config: python_output)")
    .argument("[package_name]", "the SDK's package name (config: package_name)")
    .option(
      "--trace-branch <name>",
      "trace branch to mirror (default: the checked-out branch; in detached HEAD GITHUB_HEAD_REF, then GITHUB_REF_NAME)",
    )
    .option(
      "--mirror-prefix <prefix>",
      "prefix of the mirror branch (config: mirror_branch_prefix, default weave/)",
    )
    .option(
      "--source-ref <branch>",
      "branch of the SDK clone holding the generated code (config: source_ref, default main)",
    )
    .option("--force", "replace commits that someone else pushed to the mirror branch")
    .option("--release", "pin PACKAGE==<version> instead of the pushed commit (config: release)")
    .option(
      "--extra <name>",
      "optional-dependencies group holding the SDK (config: pyproject_extra, default stainless)",
    )
    .option(
      "--pyproject <path>",
      "file to edit (config: pyproject, default <repo-root>/pyproject.toml)",
    )
    .option("-n, --dry-run", "say what would be committed, pushed and pinned; change nothing")
    .addHelpText(
      "after",
      `
The SDK clone's working tree, index and checked-out branch are never touched; only the
mirror branch is pushed (with --force-with-lease), never main. Set GITHUB_TOKEN to push to an
https remote; it is passed to git for that command only, never stored or printed.

Examples:
  codegen merge_generated_code ../weave-server-sdk weave_server_sdk
  codegen merge_generated_code ../weave-server-sdk weave_server_sdk --trace-branch my-feature
  GITHUB_HEAD_REF=my-feature codegen merge-generated-code ../sdk weave_server_sdk   # CI, detached HEAD
  codegen merge_generated_code ../weave-server-sdk weave_server_sdk --force   # after a refusal`,
    )
    .action(async (pythonOutput, packageName, options, command) => {
      const globals = command.optsWithGlobals() as GlobalOptions;
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
      const { mergeGeneratedCode } = await import("../lib/mirror.ts"); // loaded on demand: start-up time counts
      const result = await mergeGeneratedCode({
        traceRepo: context.repoRoot,
        sdkRepo: await requireValue<string>(settings, "python_output"),
        packageName: await requireValue<string>(settings, "package_name"),
        pyprojectPath: settings.get<string>("pyproject")!,
        extra: settings.get<string>("pyproject_extra"),
        release: settings.get<boolean>("release") ?? false,
        traceBranch: options.traceBranch,
        mirrorPrefix: settings.get<string>("mirror_branch_prefix"),
        sourceRef: settings.get<string>("source_ref"),
        specPath: settings.get<string>("openapi_output"),
        force: options.force,
        dryRun: options.dryRun,
      });
      const what = result.noop ? "unchanged" : result.pushed ? "pushed" : "dry run";
      log.result(`${result.branch}: ${result.commit ?? "(not created)"} (${what})`);
      if (result.pin) {
        const state = result.pin.changed
          ? (options.dryRun ? " (dry run; not written)" : "")
          : " (unchanged)";
        log.result(`${result.pin.pyprojectPath}: ${result.pin.entries.join(", ")}${state}`);
      }
    });
}
