/**
 * codegen: keeps the Python SDK of the Weave trace server in sync with its HTTP API.
 *
 * This file builds the command tree, installs the signal handlers and maps errors to exit
 * codes (0 ok, 1 failure, 2 usage or configuration error). It is the only place that exits.
 */
import { CodegenError } from "./lib/core/errors.ts";
import { configureLogger, log } from "./lib/core/log.ts";
import { runCleanups } from "./lib/core/cleanup.ts";
import { parseArgs, type ProgramDef } from "./lib/cli/parse.ts";
import { getOpenapiSpecCommand } from "./commands/get_openapi_spec.ts";
import { generateCodeCommand } from "./commands/generate_code.ts";
import { mergeGeneratedCodeCommand } from "./commands/merge_generated_code.ts";
import { updatePyprojectCommand } from "./commands/update_pyproject.ts";
import { allCommand } from "./commands/all.ts";
import denoJson from "./deno.json" with { type: "json" };

export function buildProgram(): ProgramDef {
  return {
    name: "codegen",
    version: denoJson.version,
    summary: "Keep the Python SDK bindings of the Weave trace server in sync with its HTTP API.",
    globals: {
      repoRoot: {
        flag: "--repo-root",
        value: "dir",
        help:
          "trace repository (default: CODEGEN_REPO_ROOT, else git top-level of the current directory)",
      },
      config: {
        flag: "--config",
        value: "path",
        help: "config file (default: <repo-root>/tools/codegen/generate_config.yaml)",
      },
      verbose: {
        flag: "--verbose",
        short: "-v",
        help: "more detail, and stream server/generator output",
      },
      debug: { flag: "--debug", short: "-d", help: "everything, with timings and stack traces" },
    },
    commands: [
      getOpenapiSpecCommand,
      generateCodeCommand,
      mergeGeneratedCodeCommand,
      updatePyprojectCommand,
      allCommand,
    ],
    notes:
      `Pipeline: get_openapi_spec -> generate_code -> merge_generated_code (or update_pyproject);
\`all\` runs them in order. Every command also answers to its kebab-case name.

Examples:
  codegen all                                    the whole pipeline, from the config file
  codegen get_openapi_spec                       start the trace server, save its spec
  codegen get_openapi_spec --app weave.trace_server.reference.server:app
  codegen --repo-root ../weave get-openapi-spec --url http://localhost:6345
  codegen <command> --help                       a command's options and examples

Exit codes: 0 success, 1 failure, 2 usage or configuration error.`,
  };
}

function printError(error: CodegenError): void {
  log.endStatus();
  log.error(error.message);
  if (error.details) log.info(error.details.replace(/^/gm, "  "));
  if (error.hint) log.info(log.paint("yellow", "hint: ") + error.hint);
  if (log.isDebug && error.stack) log.info(error.stack);
}

/** Runs the CLI and returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const onSignal = (signal: Deno.Signal, code: number) => async () => {
    log.endStatus();
    log.error(`interrupted (${signal}); stopping child processes and cleaning up`);
    await runCleanups();
    Deno.exit(code);
  };
  const handlers = [
    ["SIGINT", onSignal("SIGINT", 130)],
    ["SIGTERM", onSignal("SIGTERM", 143)],
  ] as const;
  for (const [signal, handler] of handlers) Deno.addSignalListener(signal, handler);

  try {
    const invocation = parseArgs(buildProgram(), args);
    switch (invocation.kind) {
      case "help":
      case "version":
        log.result(invocation.text);
        return 0;
      case "run": {
        const { globals } = invocation;
        configureLogger({
          level: globals.debug ? "debug" : globals.verbose ? "verbose" : "normal",
        });
        await invocation.command.run(invocation);
        return 0;
      }
      default:
        return invocation satisfies never;
    }
  } catch (error) {
    if (error instanceof CodegenError) {
      printError(error);
      return error.exitCode;
    }
    log.endStatus();
    log.error(
      `unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`,
    );
    log.info("This is a bug in codegen; please report it with the command you ran (use --debug).");
    return 1;
  } finally {
    await runCleanups();
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
