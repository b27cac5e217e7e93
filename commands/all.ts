/** `all`: spec, generate, then merge (auto-merge, the default) or pin; one summary at the end. */
import { defineCommand } from "../lib/cli/parse.ts";
import { createContext } from "../lib/config/context.ts";
import { log } from "../lib/core/log.ts";
import { requireValue } from "../lib/config/prompt.ts";
import { CodegenError, messageOf } from "../lib/core/errors.ts";
import type { StageName } from "../lib/pipeline/report.ts";

export const allCommand = defineCommand({
  name: "all",
  aliases: [],
  summary:
    "Run the whole pipeline: get the spec, generate the SDK, then push it to the mirror branch and pin pyproject.toml",
  options: {
    pythonOutput: {
      flag: "--python-output",
      value: "dir",
      help: "clone of the Python SDK (config: python_output; required)",
    },
    packageName: {
      flag: "--package-name",
      value: "name",
      help: "the SDK's Python package (config: package_name; required)",
    },
    openapiOutput: {
      flag: "--openapi-output",
      value: "path",
      help: "where the spec is written (config: openapi_output)",
    },
    nodeOutput: {
      flag: "--node-output",
      value: "dir",
      help: "clone of the Node SDK (config: node_output)",
    },
    typescriptOutput: {
      flag: "--typescript-output",
      value: "dir",
      help: "clone of the TypeScript SDK (config: typescript_output)",
    },
    generator: {
      flag: "--generator",
      value: "name",
      help: "stainless, openapi-python-client, stainful, stlc or command (config: generator)",
    },
    release: {
      flag: "--release",
      negatable: true,
      help: "pin PACKAGE==<version of the generated SDK> instead of a commit (config: release)",
    },
    autoMerge: {
      flag: "--auto-merge",
      negatable: true,
      help:
        "push to the mirror branch, then pin that commit (default); --no-auto-merge pushes nothing and pins the local generated commit (config: auto_merge)",
    },
    traceBranch: {
      flag: "--trace-branch",
      value: "name",
      help:
        "trace branch named by the mirror branch (default: checked-out branch, then GITHUB_HEAD_REF, GITHUB_REF_NAME)",
    },
    port: {
      flag: "--port",
      value: "port",
      help: "port of the trace server while the spec is read (config: port)",
    },
    serverCommand: {
      flag: "--server-command",
      value: "command",
      help: "command serving the app, {port} replaced (config)",
    },
    startupTimeout: {
      flag: "--startup-timeout",
      value: "seconds",
      help: "wait this long for the server (config, default 30)",
    },
    dryRun: {
      flag: "--dry-run",
      short: "-n",
      help: "print the plan (processes, API calls, git ref updates, writes); change nothing",
    },
    json: {
      flag: "--json",
      help: "print one JSON result object on stdout (diagnostics stay on stderr)",
    },
  },
  notes:
    `Values come from flags, then CODEGEN_<KEY> variables, then the config file (--config PATH, default
<repo-root>/tools/codegen/generate_config.yaml), then defaults. python_output and package_name are
required: on a terminal you are asked for them (and offered to save them); elsewhere the run stops.

--release with auto-merge: the mirror branch is pushed as usual, and pyproject.toml pins
PACKAGE==<[project].version of the pushed commit>, checked before anything is pushed.
See docs/all.md.`,
  examples: [
    "codegen all                                                  everything from the config file",
    "codegen all --python-output ../weave-server-sdk --package-name weave_server_sdk",
    "codegen all --generator openapi-python-client --no-auto-merge    local generator, push nothing",
    "codegen all --dry-run                                        show the plan, change nothing",
    "codegen all --json > codegen-result.json                     CI: one JSON object on stdout",
    "codegen --config ci.yaml all --release                       push, then pin the released version",
  ],
  async run({ options, globals }) {
    // Loaded on demand: the pipeline pulls in every stage, and start-up time counts.
    const { runPipeline } = await import("../lib/pipeline/run.ts");
    const { PipelineError } = await import("../lib/pipeline/stage_runner.ts");
    const { formatSummary } = await import("../lib/pipeline/report.ts");
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
      if (options.json) {
        const failure = error instanceof PipelineError
          ? { ...error.result, error: describe(error.stage, error.original) }
          : error instanceof CodegenError
          ? { ok: false, dryRun: options.dryRun ?? false, error: describe("check", error) }
          : {
            ok: false,
            dryRun: options.dryRun ?? false,
            error: { message: messageOf(error), kind: "bug" },
          };
        log.result(JSON.stringify(failure, null, 2));
      }
      throw error;
    }
  },
});

function describe(stage: StageName, error: CodegenError) {
  return { stage, message: error.message, hint: error.hint, kind: error.kind };
}
