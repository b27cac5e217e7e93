/** `get_openapi_spec`: start the trace server (or import its app, or use a running one) and save its spec. */
import { Command, Option } from "@commander-js/extra-typings";
import { createContext, type GlobalOptions } from "../lib/context.ts";
import { getSpec, type SpecSource } from "../lib/spec.ts";
import { log } from "../lib/log.ts";
import { usageError } from "../lib/errors.ts";
import { relative } from "node:path";

export function getOpenapiSpecCommand() {
  return new Command("get_openapi_spec")
    .alias("get-openapi-spec")
    .description(
      "Start the trace server, fetch /openapi.json and save it (default tools/codegen/openapi.json)",
    )
    .option("-o, --output-file <path>", "where to write the spec (config: openapi_output)")
    .option(
      "--port <port>",
      "port for the server; listeners on it are stopped first (config: port, default 6345)",
    )
    .option(
      "--server-command <command>",
      "command that serves the app; {port} is replaced (config: server_command)",
    )
    .option(
      "--startup-timeout <seconds>",
      "how long to wait for the server to answer (config: startup_timeout, default 30)",
    )
    .option(
      "--server-stop-grace <seconds>",
      "once the spec is read, seconds between SIGTERM and SIGKILL (config: server_stop_grace, default 0)",
    )
    .addOption(
      new Option(
        "--url <url>",
        "fetch from a server that is already running (nothing is started or stopped)",
      ).conflicts("app"),
    )
    .addOption(
      new Option(
        "--app <module:attr>",
        "import the FastAPI app in Python and call app.openapi() (no server, no port)",
      ),
    )
    .addHelpText(
      "after",
      `
Examples:
  codegen get_openapi_spec
  codegen get_openapi_spec --port 6400 -o /tmp/openapi.json
  codegen get_openapi_spec --app weave.trace_server.reference.server:app
  codegen get_openapi_spec --url http://127.0.0.1:6345/openapi.json`,
    )
    .action(async (options, command) => {
      const globals = command.optsWithGlobals() as GlobalOptions;
      const context = await createContext(globals, {
        openapi_output: options.outputFile,
        port: options.port,
        server_command: options.serverCommand,
        startup_timeout: options.startupTimeout,
        server_stop_grace: options.serverStopGrace,
      });
      const { settings } = context;
      if (options.url && (options.port || options.serverCommand)) {
        throw usageError(
          "--url fetches from a running server; it cannot be combined with --port or --server-command",
        );
      }
      const timeoutMs = settings.get<number>("startup_timeout")! * 1000;
      const source: SpecSource = options.url
        ? { kind: "url", url: options.url, timeoutMs }
        : options.app
        ? { kind: "app", target: options.app, timeoutMs }
        : {
          kind: "server",
          argv: settings.get<string[]>("server_command")!,
          port: settings.get<number>("port")!,
          startupTimeoutMs: timeoutMs,
          stopGraceMs: settings.get<number>("server_stop_grace")! * 1000,
        };
      const outputFile = settings.get<string>("openapi_output")!;
      const result = await getSpec({
        source,
        repoRoot: context.repoRoot,
        outputFile,
        outputOrigin: options.outputFile ? "--output-file" : settings.origin("openapi_output"),
      });
      const s = result.summary;
      const shown = relative(context.cwd, outputFile).startsWith("..")
        ? outputFile
        : relative(context.cwd, outputFile);
      log.result(
        `${shown}: OpenAPI ${s.openapiVersion}, ${s.paths} paths, ${s.operations} operations` +
          (s.title ? ` (${s.title}${s.version ? ` ${s.version}` : ""})` : ""),
      );
    });
}
