/**
 * The one way this tool runs other programs (git, uvicorn, generators, python).
 *
 * - argv arrays only, never a shell string;
 * - each child gets its own process group, and the whole group is killed on timeout, on
 *   `stop()`, and (through `cleanup.ts`) when the tool exits or is interrupted;
 * - stdout and stderr are drained continuously (a chatty child never blocks on a full pipe)
 *   and shown, redacted, when the command fails.
 */
import { CodegenError } from "../core/errors.ts";
import { onCleanup, throwIfInterrupted } from "../core/cleanup.ts";
import { redact } from "../core/redact.ts";
import { HAS_PROC, isNoSuchProcess, liveGroupMembers } from "./procfs.ts";

export interface RunOptions {
  cwd?: string;
  /** Added to (or, with `clearEnv`, replacing) the tool's environment. */
  env?: Record<string, string>;
  clearEnv?: boolean;
  /**
   * Text (or bytes) written to the child's stdin; otherwise stdin is /dev/null (never hangs on
   * input).
   */
  input?: string | Uint8Array;
  /** Kill the process group after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** Throw a CodegenError on a non-zero exit (default true). */
  check?: boolean;
  /** What the command does, for error messages ("push the mirror branch"). */
  what?: string;
  /** What to do when it fails. */
  hint?: string;
  /** What to do when it timed out (said before `hint`): which setting to raise. */
  timeoutHint?: string;
  /** Called with each decoded chunk as it arrives (for `--verbose` streaming). */
  onOutput?: (text: string, stream: "stdout" | "stderr") => void;
}

export interface RunResult {
  code: number;
  signal: Deno.Signal | null;
  stdout: string;
  stderr: string;
  /**
   * stdout and stderr interleaved in the order they arrived (redacted), as a terminal would have
   * shown them: what a failure shows.
   */
  output: string;
  timedOut: boolean;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** Grace period between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 3_000;

/** Shell-like rendering of an argv, for messages only. */
export function formatCommand(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].map((a) =>
    a.includes("\n")
      ? `<script of ${a.trim().split("\n").length} lines>`
      : /^[\w@%+=:,./-]+$/.test(a)
      ? a
      : `'${a.replaceAll("'", `'\\''`)}'`
  ).join(" ");
}

/** Sends `signal` to a whole process group; false when the group is already gone. */
export function signalGroup(pgid: number, signal: Deno.Signal): boolean {
  try {
    Deno.kill(-pgid, signal);
    return true;
  } catch (error) {
    if (isNoSuchProcess(error)) return false;
    throw error;
  }
}

/**
 * A signal is delivered asynchronously: wait (bounded) until no process of the group still runs,
 * so that "stopped" means stopped when the tool reports it or exits. Linux only.
 */
async function waitForGroupGone(pgid: number, timeoutMs = 2_000): Promise<void> {
  // Nothing left in the group at all (the usual case once the leader is reaped): done.
  if (!HAS_PROC || !signalGroup(pgid, "SIGKILL")) return;
  const deadline = Date.now() + timeoutMs;
  while (liveGroupMembers(pgid).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Keeps the last `limit` characters of a stream. */
class OutputBuffer {
  #chunks: string[] = [];
  #size = 0;
  constructor(private readonly limit: number) {}
  push(text: string): void {
    this.#chunks.push(text);
    this.#size += text.length;
    while (this.#size > this.limit && this.#chunks.length > 1) {
      this.#size -= this.#chunks.shift()!.length;
    }
  }
  text(): string {
    const all = this.#chunks.join("");
    return all.length > this.limit ? all.slice(all.length - this.limit) : all;
  }
}

/** Reads a stream to its end, handing each decoded piece (and the decoder's last bytes) on. */
async function drain(
  stream: ReadableStream<Uint8Array>,
  onChunk: (text: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  for await (const bytes of stream) {
    const text = decoder.decode(bytes, { stream: true });
    if (text) onChunk(text);
  }
  const rest = decoder.decode(); // a character cut off by the end of the output
  if (rest) onChunk(rest);
}

export interface ManagedProcess {
  readonly pid: number;
  readonly command: string;
  /** Resolves when the process exited and its output is fully drained. */
  readonly exited: Promise<Deno.CommandStatus>;
  /** Has the process exited? */
  readonly done: boolean;
  /** Captured output (stdout and stderr interleaved as received), redacted, last part only. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** SIGTERM the group, SIGKILL after `graceMs`, wait for it. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions
  extends Pick<RunOptions, "cwd" | "env" | "clearEnv" | "onOutput" | "input"> {
  /** Characters of output kept for error messages (default 1 MB per stream). */
  captureLimit?: number;
}

/** Starts a child in its own process group; it is stopped on exit/interrupt if still running. */
export function startProcess(
  cmd: string,
  args: string[],
  options: StartOptions = {},
): ManagedProcess {
  const command = formatCommand(cmd, args);
  // After a signal nothing new starts: the clean-up may already have run, and would miss it.
  throwIfInterrupted();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, {
      args,
      cwd: options.cwd,
      env: options.env,
      clearEnv: options.clearEnv,
      stdin: options.input === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
      detached: true, // own session and process group: we can kill the whole tree
    }).spawn();
  } catch (error) {
    throw spawnError(cmd, command, options.cwd, error);
  }
  if (options.input !== undefined) writeAndClose(child.stdin, options.input);
  const limit = options.captureLimit ?? 1_000_000;
  const combined = new OutputBuffer(limit);
  const out = new OutputBuffer(limit);
  const err = new OutputBuffer(limit);
  const pipe = (buffer: OutputBuffer, stream: "stdout" | "stderr") => (text: string) => {
    combined.push(text);
    options.onOutput?.(text, stream);
    buffer.push(text);
  };
  const drained = Promise.all([
    drain(child.stdout, pipe(out, "stdout")),
    drain(child.stderr, pipe(err, "stderr")),
  ]);
  let done = false;
  const pid = child.pid;
  const unregister = onCleanup(`process ${pid} (${command})`, () => stop(KILL_GRACE_MS));
  const exited = (async () => {
    const status = await child.status;
    done = true;
    // The leader is gone; anything it left in its group goes too, so the pipes close.
    signalGroup(pid, "SIGKILL");
    await waitForGroupGone(pid);
    await drained;
    unregister();
    return status;
  })();

  let stopping: Promise<void> | undefined;
  function stop(graceMs = KILL_GRACE_MS): Promise<void> {
    stopping ??= (async () => {
      // No grace: SIGKILL now. A 0 ms timer would fire only once the caller's next synchronous
      // work is done (e.g. formatting the spec), and the child would die that much later.
      if (!done) signalGroup(pid, graceMs > 0 ? "SIGTERM" : "SIGKILL");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
      ]);
      clearTimeout(timer);
      signalGroup(pid, "SIGKILL");
      if (timedOut) await exited;
    })();
    return stopping;
  }

  return {
    pid,
    command,
    exited,
    get done() {
      return done;
    },
    output: () => redact(combined.text()),
    stdout: () => out.text(),
    stderr: () => err.text(),
    stop,
  };
}

async function writeAndClose(
  stdin: WritableStream<Uint8Array>,
  input: string | Uint8Array,
): Promise<void> {
  const writer = stdin.getWriter();
  try {
    await writer.write(typeof input === "string" ? new TextEncoder().encode(input) : input);
    await writer.close();
  } catch (error) {
    // The child may exit without reading its input; its exit status tells what went wrong.
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}

function spawnError(cmd: string, command: string, cwd: string | undefined, error: unknown) {
  // Deno reports a bad working directory as NotFound too (also for a cwd that is a file): tell
  // it apart from a missing executable, or the user installs a tool that is already there.
  const badCwd = cwd ? cwdProblem(cwd) : undefined;
  if (badCwd) {
    return new CodegenError(`cannot run \`${redact(command)}\`: ${badCwd}`, {
      hint: "Check the path: it must be an existing directory.",
      cause: error,
    });
  }
  if (error instanceof Deno.errors.NotFound) {
    return new CodegenError(`command not found: ${cmd}`, {
      hint:
        `Install ${cmd} or put it on PATH (\`make setup\` installs the tools this project pins).`,
      cause: error,
    });
  }
  return new CodegenError(`cannot run \`${redact(command)}\`: ${(error as Error).message}`, {
    cause: error,
  });
}

/** Why `cwd` cannot be a child's working directory; undefined when it can. */
function cwdProblem(cwd: string): string | undefined {
  try {
    return Deno.statSync(cwd).isDirectory
      ? undefined
      : `working directory ${cwd} is not a directory`;
  } catch (error) {
    // NotADirectory: a component of the path is a file, so the directory cannot exist.
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return `working directory ${cwd} does not exist`;
    }
    return `working directory ${cwd} cannot be used: ${(error as Error).message}`;
  }
}

/** Runs a command to completion and returns its output; throws on failure unless `check: false`. */
export async function run(
  cmd: string,
  args: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const proc = startProcess(cmd, args, { ...options, captureLimit: Number.MAX_SAFE_INTEGER });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.stop();
  }, timeoutMs);
  const status = await proc.exited.finally(() => clearTimeout(timer));
  const result: RunResult = {
    code: status.code,
    signal: status.signal,
    stdout: proc.stdout(),
    stderr: proc.stderr(),
    output: proc.output(),
    timedOut,
  };
  if ((options.check ?? true) && (timedOut || status.code !== 0)) {
    throw commandFailed(proc.command, result, options, timeoutMs);
  }
  return result;
}

export function commandFailed(
  command: string,
  result: RunResult,
  options: Pick<RunOptions, "what" | "hint" | "timeoutHint" | "cwd">,
  timeoutMs?: number,
): CodegenError {
  const what = options.what ? `${options.what} failed` : "command failed";
  const why = result.timedOut
    ? `timed out after ${Math.round((timeoutMs ?? 0) / 100) / 10} s`
    : result.signal
    ? `killed by ${result.signal}`
    : `exit code ${result.code}`;
  const output = tail(result.output.trim(), 40);
  const timeout = result.timedOut ? options.timeoutHint : undefined;
  const hint = [fileSystemHint(output), timeout, options.hint].filter(Boolean).join(" ") ||
    undefined;
  return new CodegenError(`${what}: \`${redact(command)}\` (${why})`, {
    hint,
    details: output ? redact(output) : undefined,
  });
}

/** What to do when a child's output says the disk is full or read-only (git says so, in English). */
function fileSystemHint(output: string): string | undefined {
  if (/No space left on device|Disk quota exceeded/i.test(output)) {
    return "The disk is full (see the output shown with this error): free some space (df -h) and run again.";
  }
  if (/Read-only file system/i.test(output)) {
    return "It could not write on a read-only file system (see the output shown with this error): use a writable location.";
  }
  return undefined;
}

/** Last `lines` lines of a text. */
export function tail(text: string, lines: number): string {
  const all = text.split("\n");
  return all.length <= lines
    ? text
    : [`... (${all.length - lines} earlier lines)`, ...all.slice(-lines)]
      .join("\n");
}

/** First executable named `name` in `dirs`, then on PATH; undefined when none. */
export function which(name: string, dirs: string[] = []): string | undefined {
  if (name.includes("/")) return name;
  const path = Deno.env.get("PATH") ?? "";
  for (const dir of [...dirs, ...path.split(":").filter(Boolean)]) {
    const candidate = `${dir}/${name}`;
    try {
      const info = Deno.statSync(candidate);
      if (info.isFile && (info.mode ?? 0o111) & 0o111) return candidate;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
        throw error;
      }
    }
  }
  return undefined;
}
