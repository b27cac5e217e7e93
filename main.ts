/**
 * codegen: keeps the Python SDK of the Weave trace server in sync with its HTTP API.
 *
 * This file builds the command tree, installs the signal handlers and maps errors to exit
 * codes (0 ok, 1 failure, 2 usage or configuration error). It is the only place that exits.
 */
import { Command, CommanderError } from "@commander-js/extra-typings";
import { CodegenError } from "./lib/errors.ts";
import { configureLogger, log } from "./lib/log.ts";
import { runCleanups } from "./lib/cleanup.ts";
import type { GlobalOptions } from "./lib/context.ts";
import { getOpenapiSpecCommand } from "./commands/get_openapi_spec.ts";
import { updatePyprojectCommand } from "./commands/update_pyproject.ts";
import { mergeGeneratedCodeCommand } from "./commands/merge_generated_code.ts";
import { generateCodeCommand } from "./commands/generate_code.ts";
import { allCommand } from "./commands/all.ts";
import denoJson from "./deno.json" with { type: "json" };

export function buildProgram() {
  const program = new Command()
    .name("codegen")
    .description(
      "Keep the Python SDK bindings of the Weave trace server in sync with its HTTP API.",
    )
    .version(denoJson.version, "-V, --version")
    .option(
      "--repo-root <dir>",
      "trace repository (default: git top-level of the current directory)",
    )
    .option(
      "--config <path>",
      "config file (default: <repo-root>/tools/codegen/generate_config.yaml)",
    )
    .option("-v, --verbose", "more detail, and stream server/generator output")
    .option("-d, --debug", "everything, including stack traces")
    .showHelpAfterError("(run with --help for usage)")
    .showSuggestionAfterError(true)
    .enablePositionalOptions(false)
    .hook("preAction", (_thisCommand, actionCommand) => {
      const globals = actionCommand.optsWithGlobals() as GlobalOptions;
      configureLogger({ level: globals.debug ? "debug" : globals.verbose ? "verbose" : "normal" });
    })
    .addHelpText(
      "after",
      `
Every subcommand also answers to its kebab-case name (get-openapi-spec, ...).

Examples:
  codegen get_openapi_spec                       start the trace server, save its spec
  codegen get_openapi_spec --app weave.trace_server.reference.server:app
  codegen --repo-root ../weave get-openapi-spec --url http://localhost:6345

Exit codes: 0 success, 1 failure, 2 usage or configuration error.`,
    );
  program.addCommand(getOpenapiSpecCommand());
  program.addCommand(updatePyprojectCommand());
  program.addCommand(mergeGeneratedCodeCommand());
  program.addCommand(generateCodeCommand());
  program.addCommand(allCommand());
  return program;
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
  const program = buildProgram();
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  program.configureOutput({
    writeOut: (text) => log.result(text.replace(/\n$/, "")),
    writeErr: (text) => log.raw(text),
  });

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
    await program.parseAsync(args, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage error.
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" ||
          error.code === "commander.help"
        ? 0
        : 2;
    }
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
