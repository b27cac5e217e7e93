/** `get_openapi_spec`: start the trace server (or import its app, or use a running one) and save its spec. */
import { defineCommand } from "../lib/cli/parse.ts";
import { createContext } from "../lib/config/context.ts";
import { getSpec, type SpecSource } from "../lib/spec/get_spec.ts";
import { log } from "../lib/core/log.ts";
import { displayPath } from "../lib/core/paths.ts";

export const getOpenapiSpecCommand = defineCommand({
  name: "get_openapi_spec",
  aliases: ["get-openapi-spec"],
  summary:
    "Start the trace server, fetch /openapi.json and save it (default tools/codegen/openapi.json)",
  options: {
    outputFile: {
      flag: "--output-file",
      short: "-o",
      value: "path",
      help: "where to write the spec (config: openapi_output)",
    },
    port: {
      flag: "--port",
      value: "port",
      help: "port for the server; listeners on it are stopped first (config: port, default 6345)",
    },
    serverCommand: {
      flag: "--server-command",
      value: "command",
      help: "command that serves the app; {port} is replaced (config: server_command)",
    },
    startupTimeout: {
      flag: "--startup-timeout",
      value: "seconds",
      help: "how long to wait for the server to answer (config: startup_timeout, default 30)",
    },
    serverStopGrace: {
      flag: "--server-stop-grace",
      value: "seconds",
      help:
        "once the spec is read, seconds between SIGTERM and SIGKILL (config: server_stop_grace, default 0)",
    },
    url: {
      flag: "--url",
      value: "url",
      help: "fetch from a server that is already running (nothing is started or stopped)",
    },
    app: {
      flag: "--app",
      value: "module:attr",
      help: "import the FastAPI app in Python and call app.openapi() (no server, no port)",
    },
  },
  conflicts: [["url", "app"], ["url", "port"], ["url", "serverCommand"]],
  examples: [
    "codegen get_openapi_spec",
    "codegen get_openapi_spec --port 6400 -o /tmp/openapi.json",
    "codegen get_openapi_spec --app weave.trace_server.reference.server:app",
    "codegen get_openapi_spec --url http://127.0.0.1:6345/openapi.json",
  ],
  async run({ options, globals }) {
    const context = await createContext(globals, {
      openapi_output: options.outputFile,
      port: options.port,
      server_command: options.serverCommand,
      startup_timeout: options.startupTimeout,
      server_stop_grace: options.serverStopGrace,
    });
    const { settings } = context;
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
    const shown = displayPath(outputFile, context.cwd);
    log.result(
      `${shown}: OpenAPI ${s.openapiVersion}, ${s.paths} paths, ${s.operations} operations` +
        (s.title ? ` (${s.title}${s.version ? ` ${s.version}` : ""})` : ""),
    );
  },
});
