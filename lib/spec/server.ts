/**
 * Running the trace server just long enough to read its OpenAPI spec.
 *
 * The server runs in its own process group, its output is drained all the time (shown on
 * failure, streamed with --verbose), readiness is polled quickly, a crash ends the wait at once,
 * and the whole group is stopped on every path out.
 */
import { dirname, join } from "../core/paths.ts";
import { CodegenError, fetchErrorMessage } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { formatCommand, type ManagedProcess, startProcess, tail, which } from "../os/process.ts";
import { codegenPython } from "../os/user_env.ts";

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
  url: string;
}

/** Replaces `{port}` in each argument. */
export function substitutePort(argv: readonly string[], port: number): string[] {
  return argv.map((arg) => arg.replaceAll("{port}", String(port)));
}

/**
 * An executable from the repo's `.venv/bin`, else from the folder of `CODEGEN_PYTHON` (the
 * Makefile points it at codegen's own .venv, which has uvicorn), else from PATH.
 */
export function resolveExecutable(name: string, repoRoot: string): string {
  const dirs = [join(repoRoot, ".venv", "bin")];
  const python = codegenPython();
  if (python?.includes("/")) dirs.push(dirname(python));
  const found = which(name, dirs);
  if (!found) {
    throw new CodegenError(
      `cannot start the server: \`${name}\` not found in ${dirs.join(" or ")} or on PATH`,
      {
        hint: `Install it in the trace repository's .venv, put its folder on PATH ` +
          `(e.g. PATH=<codegen>/.venv/bin:$PATH), set CODEGEN_PYTHON to a Python whose folder ` +
          `has it (e.g. <codegen>/.venv/bin/python), or set server_command.`,
      },
    );
  }
  return found;
}

/** One GET, read to the end. */
async function get(url: string, timeoutMs: number): Promise<HttpAnswer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    body: await response.text(),
    url,
  };
}

/** One GET with a short timeout; undefined while nothing listens yet. */
async function tryGet(url: string, timeoutMs: number): Promise<HttpAnswer | undefined> {
  try {
    return await get(url, timeoutMs);
  } catch (error) {
    // Connection refused/reset or our own timeout: the server is not ready yet.
    if (
      error instanceof TypeError || (error instanceof DOMException && error.name === "TimeoutError")
    ) {
      return undefined;
    }
    throw error;
  }
}

/** Fetches a URL once (for `--url`): failures become clear errors. */
export async function fetchOnce(url: string, timeoutMs: number): Promise<HttpAnswer> {
  try {
    return await get(url, timeoutMs);
  } catch (error) {
    throw new CodegenError(`cannot fetch ${url}: ${fetchErrorMessage(error)}`, {
      hint:
        "Is the server running and listening there? Without --url the tool starts the server itself.",
    });
  }
}

/** Each `notify()` resolves the promise `next()` returned before it; `next()` then waits again. */
function notifier(): { notify(): void; next(): Promise<void> } {
  let resolve = () => {};
  let next = new Promise<void>((r) => (resolve = r));
  return {
    notify() {
      resolve();
      next = new Promise<void>((r) => (resolve = r));
    },
    next: () => next,
  };
}

/**
 * Polls `url` until it answers, the server exits, or the timeout passes. The first answer is
 * returned as is (the caller validates it): for /openapi.json it is the spec itself. `output`,
 * when given, resolves when the server prints something: the next try is made at once.
 */
export async function waitForAnswer(
  url: string,
  server: ManagedProcess,
  timeoutMs: number,
  output?: () => Promise<void>,
): Promise<HttpAnswer> {
  const started = Date.now();
  const exited = server.exited.then(() => undefined);
  let delay = 2;
  while (true) {
    if (server.done) throw serverExited(server);
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) {
      throw new CodegenError(
        `the server did not answer ${url} within ${Math.round(timeoutMs / 100) / 10} s`,
        {
          hint:
            "Check that the server command starts the app on that port, or raise --startup-timeout. " +
            "Run with --verbose to watch its output.",
          details: tail(server.output().trim(), 40) || "(the server printed nothing)",
        },
      );
    }
    const answer = await Promise.race([
      tryGet(url, Math.max(50, Math.min(2_000, timeoutMs - elapsed))),
      exited,
    ]);
    if (answer) return answer;
    if (server.done) throw serverExited(server);
    // Retries start a few ms apart and back off to 5 ms: a ready server is noticed at once,
    // and a refused connection on loopback costs next to nothing. Servers say when they listen
    // (uvicorn: "Uvicorn running on ..."), so their output cuts the wait short.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const slept = new Promise((resolve) => (timer = setTimeout(resolve, delay)));
    await Promise.race([slept, exited, ...(output ? [output()] : [])]);
    clearTimeout(timer); // woken early: no timer left behind
    delay = Math.min(5, delay * 1.5);
  }
}

function serverExited(server: ManagedProcess): CodegenError {
  return new CodegenError(`the server exited before it answered: \`${server.command}\``, {
    hint:
      "Fix the error in its output, shown with this error (--json: error.details; run it by hand to investigate), or set server_command.",
    details: tail(server.output().trim(), 60) || "(the server printed nothing)",
  });
}

export interface ServerRun {
  argv: string[];
  cwd: string;
  port: number;
  startupTimeoutMs: number;
  /** Path to fetch once the server runs. */
  path: string;
  /** After a successful fetch: time between SIGTERM and SIGKILL (0: stop at once). */
  stopGraceMs: number;
  /** Called right after the server is spawned: work to do while it starts. */
  onStarted?: () => void;
}

/**
 * Starts the server, hands its first answer on `path` to `use`, and always stops it. Once the
 * answer is in, the server is stopped while `use` runs (writing the spec overlaps its exit).
 */
export async function withServerAnswer<T>(
  options: ServerRun,
  use: (answer: HttpAnswer) => Promise<T>,
): Promise<T> {
  const [cmd, ...args] = options.argv;
  log.verbose(`starting server: ${formatCommand(cmd, args)} (in ${options.cwd})`);
  // The first request makes FastAPI build the spec, so it is sent as soon as the server may
  // listen: whenever it prints something, not only at the next poll.
  const printed = notifier();
  const server = startProcess(cmd, args, {
    cwd: options.cwd,
    env: { PYTHONUNBUFFERED: "1" },
    onOutput: (text) => {
      if (log.isVerbose) log.raw(text);
      printed.notify();
    },
  });
  log.debug(`server PID ${server.pid} (own process group)`);
  let stopping: Promise<void> | undefined;
  try {
    options.onStarted?.();
    const answer = await waitForAnswer(
      `http://127.0.0.1:${options.port}${options.path}`,
      server,
      options.startupTimeoutMs,
      printed.next,
    );
    log.debug(`server answered ${options.path} (HTTP ${answer.status})`);
    // The server has done its job; a graceful uvicorn shutdown costs ~170 ms per run, so by
    // default it gets none (stopGraceMs 0). Failures below get the usual grace.
    stopping = server.stop(options.stopGraceMs);
    return await use(answer);
  } finally {
    await (stopping ?? server.stop());
    log.debug(`server PID ${server.pid} stopped`);
  }
}
