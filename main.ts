/**
 * codegen: keeps the Python SDK of the Weave trace server in sync with its HTTP API.
 *
 * This file builds the command tree, installs the signal handlers and maps errors to exit
 * codes (0 ok, 1 failure, 2 usage or configuration error). It is the only place that exits. The
 * executable starts in codegen.ts, which catches signals from its first statement, then loads this.
 */
import { CodegenError, InterruptedError, messageOf } from "./lib/core/errors.ts";
import { configureLogger, log } from "./lib/core/log.ts";
import {
  interrupted,
  markInterrupted,
  markRunOver,
  runCleanups,
  throwIfInterrupted,
} from "./lib/core/cleanup.ts";
import {
  type AnyCommand,
  type CommandOutput,
  findCommand,
  type ProgramDef,
} from "./lib/cli/command.ts";
import { type Invocation, parseArgs } from "./lib/cli/parse.ts";
import { formatHelp } from "./lib/cli/help.ts";
import { SIGNAL_EXIT_CODES, takeEarlySignal } from "./lib/core/early_signals.ts";
import { getOpenapiSpecCommand } from "./commands/get_openapi_spec.ts";
import { generateCodeCommand } from "./commands/generate_code.ts";
import { mergeGeneratedCodeCommand } from "./commands/merge_generated_code.ts";
import { updatePyprojectCommand } from "./commands/update_pyproject.ts";
import { allCommand } from "./commands/all.ts";
import { openPrCommand } from "./commands/open_pr.ts";
import { publishCommand } from "./commands/publish.ts";
import { diffCommand } from "./commands/diff.ts";
import { lintCommand } from "./commands/lint.ts";
import { checkCommand } from "./commands/check.ts";
import { vendorCommand } from "./commands/vendor.ts";
import { helpCommand } from "./commands/help.ts";
import { completionsCommand } from "./commands/completions.ts";
import denoJson from "./deno.json" with { type: "json" };

/** Version of the `--json` objects: bumped when a field changes meaning or goes away. */
export const JSON_SCHEMA_VERSION = 1;

export function buildProgram(): ProgramDef {
  return {
    name: "codegen",
    version: denoJson.version,
    summary: "Keep the Python SDK bindings of the Weave trace server in sync with its HTTP API.",
    globals: {
      repoRoot: {
        flag: "--repo-root",
        value: "dir",
        help: "trace repository (default: CODEGEN_REPO_ROOT, else the git top level of the " +
          "current directory, else the current directory)",
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
      vendorCommand,
      allCommand,
      openPrCommand,
      publishCommand,
      diffCommand,
      lintCommand,
      checkCommand,
      helpCommand,
      completionsCommand,
    ],
    notes:
      `Pipeline: get_openapi_spec -> generate_code -> merge_generated_code (or update_pyproject);
\`all\` runs them in order, and \`vendor\` for targets copied into the trace repository (vendor_dir).
Then open-pr (or all --open-pr) proposes the mirror branch in the SDK repository, and publish
releases the SDK once that is merged. \`diff\`, \`lint\` and \`check\`
compare specs, check the Stainless config, and find drift (CI). Every command also answers to its
kebab-case name.

Examples:
  codegen all                                    the whole pipeline, from the config file
  codegen get_openapi_spec                       start the trace server, save its spec
  codegen get_openapi_spec --app weave.trace_server.reference.server:app
  codegen diff HEAD:tools/codegen/openapi.json tools/codegen/openapi.json
  codegen check                                  CI: exit 1 when spec or SDK drifted
  codegen --repo-root ../weave get-openapi-spec --url http://localhost:6345
  codegen help <command>                         a command's options and examples (or --help)
  codegen completions bash|zsh|fish              shell completions

Every command takes --json: one JSON object on stdout, {"schema_version": 1, "command": ...,
"ok": true|false, ...}, also on failure (then with "error": {"message", "hint", "kind"}).
Exit codes: 0 success, 1 failure, 2 usage or configuration error. Supported on Linux and macOS.`,
  };
}

function printError(error: CodegenError): void {
  log.endStatus();
  log.error(error.message);
  if (error.details) log.info(error.details.replace(/^/gm, "  "));
  if (error.hint) log.info(log.paint("yellow", "hint: ") + error.hint);
  if (log.isDebug && error.stack) log.info(error.stack);
}

/** The `--json` object of a run. */
function jsonObject(command: string | undefined, ok: boolean, fields: Record<string, unknown>) {
  return JSON.stringify(
    { schema_version: JSON_SCHEMA_VERSION, command: command ?? null, ok, ...fields },
    null,
    2,
  );
}

/** The `--json` object of a failure: the command's own fields, then the error. */
function failureJson(run: RunState, error: unknown): string {
  // An interruption reports what the interrupted step had done (e.g. `all`: the stage it stopped in).
  const cause = error instanceof InterruptedError && error.cause !== undefined
    ? error.cause
    : error;
  const extra = run.failureJson?.(cause) ?? {};
  const described = error instanceof CodegenError
    ? {
      message: error.message,
      hint: error.hint,
      kind: error.kind,
      // The failing child's last output lines (or the response excerpt) that stderr shows too.
      details: error.details,
      ...(error instanceof InterruptedError ? { signal: error.signal } : {}),
    }
    : { message: messageOf(error), kind: "bug" };
  const dryRun = run.command && "dryRun" in run.command.options
    ? { dryRun: run.dryRun ?? false }
    : {};
  return jsonObject(run.command?.name, false, {
    ...dryRun,
    ...extra,
    error: { ...(extra.error as object | undefined), ...described },
  });
}

interface RunState {
  command?: AnyCommand;
  json: boolean;
  dryRun?: boolean;
  failureJson?: (error: unknown) => Record<string, unknown>;
}

/**
 * What a command line asks for when it cannot be parsed: `--json` (before any `--`) and the
 * first word naming a command. The failure is then reported as that command's JSON object.
 */
function intentOf(program: ProgramDef, args: string[]): RunState {
  const words = args.includes("--") ? args.slice(0, args.indexOf("--")) : args;
  const command = words.map((w) => findCommand(program, w)).find((c) => c !== undefined);
  const dryRun = words.some((w) => w === "--dry-run" || w === "-n");
  return { command, json: words.includes("--json"), dryRun };
}

async function runCommand(invocation: Invocation & { kind: "run" }, state: RunState) {
  const impl = await invocation.command.load();
  state.failureJson = impl.failureJson;
  const output: CommandOutput = await impl.run(invocation);
  // A signal that came while the command was finishing still ends the run as interrupted.
  throwIfInterrupted();
  if (state.json) log.result(jsonObject(invocation.command.name, true, output.json));
  else for (const line of output.lines) log.result(line);
}

/** How long the main flow gets, once a signal's clean-up is done, to report before exiting. */
const REPORT_GRACE_MS = 1_000;

/**
 * Reports how the run failed (at most once): the `--json` object and the error on stderr.
 * Once a signal interrupted the run, whatever failed is reported as that interruption (a child
 * killed by the clean-up is not a failure of its own). Returns the exit code.
 */
function reportFailure(
  program: ProgramDef,
  args: string[],
  state: RunState | undefined,
  error: unknown,
) {
  const stop = interrupted();
  if (stop && !(error instanceof InterruptedError)) {
    if (error !== undefined) log.verbose(`(the interrupted step ended with: ${messageOf(error)})`);
    error = new InterruptedError(stop.signal, stop.exitCode, { cause: error });
  }
  state ??= intentOf(program, args);
  // --json: CI still gets one object on stdout, saying what failed.
  if (state.json) log.result(failureJson(state, error));
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
}

/** Runs the CLI and returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const program = buildProgram();
  let state: RunState | undefined;
  let reported: number | undefined;
  const report = (error: unknown) => (reported ??= reportFailure(program, args, state, error));
  let finished = false;
  let mainDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (mainDone = resolve));

  // A signal marks the run interrupted and runs the clean-up (stopping the children the main
  // flow waits for); the main flow then fails, reports the interruption and exits once the
  // clean-up is complete. Should it wait on something no clean-up ends, exit after a grace period.
  const onSignal = (signal: Deno.Signal, code: number) => async () => {
    if (interrupted()) {
      log.warn(`${signal} again: still cleaning up (child processes get a few seconds to exit)`);
      return;
    }
    markInterrupted(signal, code);
    log.endStatus();
    log.error(`interrupted (${signal}); stopping child processes and cleaning up`);
    await runCleanups();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([done, new Promise((r) => (timer = setTimeout(r, REPORT_GRACE_MS)))]);
    clearTimeout(timer);
    if (finished) return; // the main flow reported and exits with the interruption's code
    const exitCode = report(undefined);
    await runCleanups(); // anything registered meanwhile
    Deno.exit(exitCode);
  };
  const handlers = [
    ["SIGINT", onSignal("SIGINT", SIGNAL_EXIT_CODES.SIGINT)],
    ["SIGTERM", onSignal("SIGTERM", SIGNAL_EXIT_CODES.SIGTERM)],
  ] as const;
  for (const [signal, handler] of handlers) Deno.addSignalListener(signal, handler);
  // A signal while the program loaded (codegen.ts caught it): the run stops before it starts.
  const early = takeEarlySignal();

  try {
    if (early) {
      markInterrupted(early, SIGNAL_EXIT_CODES[early]);
      log.error(`interrupted (${early}) before the run started`);
      return report(undefined);
    }
    const invocation = parseArgs(program, args);
    switch (invocation.kind) {
      case "help": {
        // The same object as `codegen help [command] --json`.
        const text = formatHelp(program, invocation.command);
        log.result(invocation.json ? jsonObject("help", true, { text }) : text);
        return 0;
      }
      case "version": {
        const { version } = program;
        log.result(invocation.json ? jsonObject("version", true, { version }) : version);
        return 0;
      }
      case "run": {
        const { globals, options, command } = invocation;
        state = { command, json: options.json === true, dryRun: options.dryRun === true };
        configureLogger({
          level: globals.debug ? "debug" : globals.verbose ? "verbose" : "normal",
        });
        await runCommand(invocation, state);
        return 0;
      }
      default:
        return invocation satisfies never;
    }
  } catch (error) {
    return report(error);
  } finally {
    // Concurrent with a signal's clean-up: both wait for the same sweep, so this returns (and
    // the process exits) only once every child is stopped and every lock and temporary file gone.
    markRunOver();
    await runCleanups();
    finished = true;
    mainDone();
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
  }
}

/** Runs the CLI and exits with its code (codegen.ts, the entry, calls it). */
export async function runAndExit(args: string[]): Promise<never> {
  Deno.exit(await main(args));
}

if (import.meta.main) await runAndExit(Deno.args);
