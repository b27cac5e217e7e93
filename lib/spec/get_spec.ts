/**
 * Stage 1 of the pipeline: get the trace server's OpenAPI spec and save it.
 *
 * Three ways, fastest last: start the server and fetch /openapi.json (the default, as the spec
 * says), fetch from a server that is already running (`--url`), or import the app in Python and
 * call `app.openapi()` (`--app`: no server, no port).
 */
import { join } from "../core/paths.ts";
import { CodegenError, usageError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { run, which } from "../os/process.ts";
import { codegenPython } from "../os/user_env.ts";
import { freePort, type KillPolicy } from "../os/ports.ts";
import { confirmStopListener } from "../config/prompt.ts";
import type { Settings } from "../config/settings.ts";
import {
  fetchOnce,
  type HttpAnswer,
  resolveExecutable,
  substitutePort,
  withServerAnswer,
} from "./server.ts";
import {
  formatSpec,
  type OpenApiDocument,
  specFromAnswer,
  type SpecSummary,
  summarize,
  validateSpec,
} from "./openapi.ts";
import { type PathSetting, writeFileAtomic } from "../core/fs.ts";

export type SpecSource =
  | {
    kind: "server";
    argv: string[];
    port: number;
    startupTimeoutMs: number;
    stopGraceMs: number;
    /**
     * A process already listening on the port: stopped, asked about, or an error. Required (no
     * default here): a caller that builds the source by hand must pass the user's kill_port.
     */
    killPort: KillPolicy;
  }
  | { kind: "url"; url: string; timeoutMs: number }
  | { kind: "app"; target: string; timeoutMs: number };

/** The modes that replace the server: a running one (`--url`) or the app imported (`--app`). */
export interface SpecMode {
  url?: string;
  app?: string;
}

/**
 * Where the spec comes from: `mode`'s URL or app, else the server the settings describe
 * (`server_command` on `port`, with its timeouts and `kill_port`).
 */
export function specSource(settings: Settings, mode: SpecMode = {}): SpecSource {
  const timeoutMs = settings.get("startup_timeout") * 1000;
  if (mode.url) return { kind: "url", url: mode.url, timeoutMs };
  if (mode.app) return { kind: "app", target: mode.app, timeoutMs };
  return {
    kind: "server",
    argv: settings.get("server_command"),
    port: settings.get("port"),
    startupTimeoutMs: timeoutMs,
    stopGraceMs: settings.get("server_stop_grace") * 1000,
    killPort: settings.get("kill_port") as KillPolicy,
  };
}

export interface GetSpecOptions {
  source: SpecSource;
  repoRoot: string;
  outputFile: string;
  /** The setting that chose the output path (openapi_output), for error messages. */
  outputSetting?: PathSetting;
  /**
   * Called once the spec is on its way (the server spawned, the request sent, the app's Python
   * started): work to overlap with the wait, e.g. starting to read the spec it replaces.
   */
  whileWaiting?: () => void;
  /**
   * Awaited after the spec arrived and before the file is written: e.g. reading the spec it
   * replaces (`all` starts that read while the server starts).
   */
  beforeWrite?: () => Promise<unknown>;
}

export interface SpecResult {
  outputFile: string;
  summary: SpecSummary;
  /** The spec as written (parsed), e.g. to compare with the previous one (diff.ts). */
  document: OpenApiDocument;
  /** What was stopped to free the port. */
  stopped: { pid: number; command: string }[];
}

/** Python that imports `module:attr` from the repo and prints `attr.openapi()` as JSON. */
const APP_SCRIPT = `
import importlib, json, sys
sys.path.insert(0, ".")
module_name, _, attr = sys.argv[1].partition(":")
app = importlib.import_module(module_name)
for part in (attr or "app").split("."):
    app = getattr(app, part)
if not hasattr(app, "openapi"):
    sys.exit(f"{sys.argv[1]} is not a FastAPI app (it has no openapi() method)")
sys.stdout.write(json.dumps(app.openapi()))
`;

/** The Python of the trace repo's .venv, else CODEGEN_PYTHON, else python3 on PATH. */
function pythonFor(repoRoot: string): string {
  const venvPython = which("python", [join(repoRoot, ".venv", "bin")]);
  if (venvPython?.startsWith(join(repoRoot, ".venv"))) return venvPython;
  return codegenPython() ?? which("python3") ?? "python3";
}

/** A spec as received: the parsed document and the JSON text it was parsed from. */
interface ReceivedSpec {
  doc: OpenApiDocument;
  text: string;
  /** Where it came from, for error messages. */
  source: string;
}

async function specFromApp(
  target: string,
  repoRoot: string,
  timeoutMs: number,
): Promise<ReceivedSpec> {
  if (!/^[\w.]+(:[\w.]+)?$/.test(target)) {
    throw usageError(
      `--app: "${target}" is not of the form module.path:attribute`,
      "Example: --app weave.trace_server.reference.server:app",
    );
  }
  const python = pythonFor(repoRoot);
  const result = await run(python, ["-c", APP_SCRIPT, target], {
    cwd: repoRoot,
    timeoutMs,
    what: `importing ${target} with ${python}`,
    hint:
      "Run it from the trace repository (--repo-root) with its dependencies installed: its .venv is " +
      "used when present, else CODEGEN_PYTHON (a Python that can import the app, e.g. " +
      "<codegen>/.venv/bin/python for the bundled example), else python3 on PATH.",
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch (error) {
    throw new CodegenError(
      `${target}.openapi() did not produce JSON: ${(error as Error).message}`,
      {
        details: result.stdout.slice(0, 300),
      },
    );
  }
  const source = `${target}.openapi()`;
  return { doc: validateSpec(parsed, source, result.stdout), text: result.stdout, source };
}

function receivedFromAnswer(answer: HttpAnswer): ReceivedSpec {
  return { doc: specFromAnswer(answer), text: answer.body, source: answer.url };
}

/** `--url` as a URL object; anything but an http(s) URL is a usage error. */
function parseHttpUrl(text: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error; // TypeError: not a URL at all
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    throw usageError(
      `--url: "${text}" is not an http(s) URL`,
      "Example: --url http://127.0.0.1:6345/openapi.json",
    );
  }
  return url;
}

/** Gets the spec from the chosen source and hands it to `use` (while a server stops). */
async function withSpec<T>(
  options: GetSpecOptions,
  stopped: SpecResult["stopped"],
  use: (spec: ReceivedSpec) => Promise<T>,
): Promise<T> {
  const source = options.source;
  switch (source.kind) {
    case "url": {
      const url = parseHttpUrl(source.url);
      if (url.pathname === "/" || url.pathname === "") url.pathname = "/openapi.json";
      const answer = fetchOnce(url.href, source.timeoutMs);
      options.whileWaiting?.();
      return await use(receivedFromAnswer(await answer));
    }
    case "app": {
      const received = specFromApp(source.target, options.repoRoot, source.timeoutMs);
      options.whileWaiting?.();
      return await use(await received);
    }
    case "server": {
      const argv = substitutePort(source.argv, source.port);
      argv[0] = resolveExecutable(argv[0], options.repoRoot);
      stopped.push(
        ...await freePort(source.port, {
          policy: source.killPort,
          serverArgv: argv,
          confirm: confirmStopListener,
        }),
      );
      log.debug(`port ${source.port} is free`);
      return await withServerAnswer({
        argv,
        cwd: options.repoRoot,
        port: source.port,
        startupTimeoutMs: source.startupTimeoutMs,
        stopGraceMs: source.stopGraceMs,
        path: "/openapi.json",
        onStarted: options.whileWaiting,
      }, (answer) => use(receivedFromAnswer(answer)));
    }
  }
}

/**
 * Describes what `getSpec` would do, without doing it. The server's executable is looked up as
 * the real run does, so a dry run fails with the same error when it is missing.
 */
export function describeSpecPlan(options: GetSpecOptions): string[] {
  const s = options.source;
  if (s.kind === "server") resolveExecutable(s.argv[0], options.repoRoot);
  const steps = s.kind === "server"
    ? [
      s.killPort === "never"
        ? `fail if a process listens on port ${s.port} (kill_port: never)`
        : s.killPort === "ask"
        ? `ask before stopping a process listening on port ${s.port}, unless it runs the server command (kill_port: ask)`
        : `stop processes listening on port ${s.port} (SIGTERM, then SIGKILL)`,
      `run \`${substitutePort(s.argv, s.port).join(" ")}\` in ${options.repoRoot}`,
      `GET http://127.0.0.1:${s.port}/openapi.json, then stop the server's process group`,
    ]
    : s.kind === "url"
    ? [`GET ${s.url}`]
    : [`import ${s.target} in Python and call openapi()`];
  return [...steps, `write ${options.outputFile} (atomically)`];
}

export async function getSpec(options: GetSpecOptions): Promise<SpecResult> {
  const stopped: SpecResult["stopped"] = [];
  const { summary, document } = await withSpec(options, stopped, async (received) => {
    // The bytes Python's json.dump(indent=2) writes, from the text as received (format.ts).
    const text = formatSpec(received.text, received.source);
    await options.beforeWrite?.();
    await writeFileAtomic(options.outputFile, text, {
      what: "OpenAPI spec",
      setting: options.outputSetting,
    });
    return { summary: await summarize(received.doc, text), document: received.doc };
  });
  log.debug(`spec sha256 ${summary.sha256}`);
  return { outputFile: options.outputFile, summary, document, stopped };
}

/** A spec as it would be written (`codegen check`): the file's bytes, parsed, summarized. */
export interface FetchedSpec {
  /** The text getSpec would write (Python json.dump bytes). */
  text: string;
  document: OpenApiDocument;
  summary: SpecSummary;
  stopped: SpecResult["stopped"];
}

/** Gets the spec like getSpec, without writing anything (`outputFile` is not used). */
export async function fetchSpec(options: GetSpecOptions): Promise<FetchedSpec> {
  const stopped: SpecResult["stopped"] = [];
  const fetched = await withSpec(options, stopped, async (received) => {
    const text = formatSpec(received.text, received.source);
    return { text, document: received.doc, summary: await summarize(received.doc, text) };
  });
  return { ...fetched, stopped };
}
