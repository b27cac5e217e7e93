/** `all`: spec, generate, then merge (auto-merge, the default) or pin; one summary at the end. */
import { Command } from "@commander-js/extra-typings";
import { createContext, type GlobalOptions } from "../lib/context.ts";
import { log } from "../lib/log.ts";
import { requireValue } from "../lib/prompt.ts";
import { CodegenError } from "../lib/errors.ts";
import { PipelineError, runPipeline, type StageName } from "../lib/pipeline.ts";
import { formatSummary } from "../lib/pipeline_report.ts";

export function allCommand() {
  return new Command("all")
    .description(
      "Run the whole pipeline: get the spec, generate the SDK, then push it to the mirror branch and pin pyproject.toml",
    )
    .option("--python-output <dir>", "clone of the Python SDK (config: python_output; required)")
    .option("--package-name <name>", "the SDK's Python package (config: package_name; required)")
    .option("--openapi-output <path>", "where the spec is written (config: openapi_output)")
    .option("--node-output <dir>", "clone of the Node SDK (config: node_output)")
    .option("--typescript-output <dir>", "clone of the TypeScript SDK (config: typescript_output)")
    .option(
      "--generator <name>",
      "stainless, openapi-python-client, stainful, stlc or command (config: generator)",
    )
    .option(
      "--release",
      "pin PACKAGE==<version of the generated SDK> instead of a commit (config: release)",
    )
    .option("--auto-merge", "push to the mirror branch, then pin that commit (default)")
    .option("--no-auto-merge", "push nothing; pin the local generated commit (config: auto_merge)")
    .option(
      "--trace-branch <name>",
      "trace branch named by the mirror branch (default: checked-out branch, then GITHUB_HEAD_REF, GITHUB_REF_NAME)",
    )
    .option("--port <port>", "port of the trace server while the spec is read (config: port)")
    .option("--server-command <command>", "command serving the app, {port} replaced (config)")
    .option("--startup-timeout <seconds>", "wait this long for the server (config, default 30)")
    .option(
      "-n, --dry-run",
      "print the plan (processes, API calls, git ref updates, writes); change nothing",
    )
    .option("--json", "print one JSON result object on stdout (diagnostics stay on stderr)")
    .addHelpText(
      "after",
      `
Values come from flags, then CODEGEN_<KEY> variables, then the config file (--config PATH, default
<repo-root>/tools/codegen/generate_config.yaml), then defaults. python_output and package_name are
required: on a terminal you are asked for them (and offered to save them); elsewhere the run stops.

--release with auto-merge: the mirror branch is pushed as usual, and pyproject.toml pins
PACKAGE==<[project].version of the pushed commit>, checked before anything is pushed.

Examples:
  codegen all                                                  everything from the config file
  codegen all --python-output ../weave-server-sdk --package-name weave_server_sdk
  codegen all --generator openapi-python-client --no-auto-merge    local generator, push nothing
  codegen all --dry-run                                        show the plan, change nothing
  codegen all --json > codegen-result.json                     CI: one JSON object on stdout
  codegen --config ci.yaml all --release                       push, then pin the released version
See docs/all.md.`,
    )
    .action(async (options, command) => {
      const globals = command.optsWithGlobals() as GlobalOptions;
      try {
        const context = await createContext(globals, {
          python_output: options.pythonOutput,
          package_name: options.packageName,
          openapi_output: options.openapiOutput,
          node_output: options.nodeOutput,
          typescript_output: options.typescriptOutput,
          generator: options.generator,
          release: options.release,
          auto_merge: options.autoMerge,
          port: options.port,
          server_command: options.serverCommand,
          startup_timeout: options.startupTimeout,
        });
        const { settings } = context;
        const result = await runPipeline({
          settings,
          repoRoot: context.repoRoot,
          pythonOutput: await requireValue<string>(settings, "python_output"),
          packageName: await requireValue<string>(settings, "package_name"),
          traceBranch: options.traceBranch,
          dryRun: options.dryRun ?? false,
        });
        if (options.json) log.result(JSON.stringify(result, null, 2));
        else for (const line of formatSummary(result)) log.result(line);
      } catch (error) {
        // --json: CI still gets one object on stdout, saying which stage failed.
        if (options.json && error instanceof CodegenError) {
          const failure = error instanceof PipelineError
            ? { ...error.result, error: describe(error.stage, error.original) }
            : { ok: false, dryRun: options.dryRun ?? false, error: describe("check", error) };
          log.result(JSON.stringify(failure, null, 2));
        }
        throw error;
      }
    });
}

function describe(stage: StageName, error: CodegenError) {
  return { stage, message: error.message, hint: error.hint, kind: error.kind };
}
