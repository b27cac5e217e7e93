/**
 * Output for people and for CI.
 *
 * - Results go to stdout (`result`), everything else to stderr.
 * - Colors only when stderr is a terminal and `NO_COLOR` is unset.
 * - With `CI` set (or stderr not a terminal) every event is one plain line; on a terminal,
 *   `status` rewrites one line in place.
 * - Every line passes through `redact`, so secrets never reach the screen or a log file.
 */
import { redact } from "./redact.ts";

export type Level = "normal" | "verbose" | "debug";

export interface LoggerOptions {
  level: Level;
  color: boolean;
  /** One line per event, no in-place updates. */
  plain: boolean;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const encoder = new TextEncoder();

/** The streams whose reader went away (`codegen diff ... | head`): later writes are dropped. */
const closed = new Set<typeof Deno.stdout | typeof Deno.stderr>();

function writeSync(file: typeof Deno.stdout | typeof Deno.stderr, text: string): void {
  if (closed.has(file)) return;
  const bytes = encoder.encode(text);
  let written = 0;
  try {
    while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
  } catch (error) {
    // A closed pipe is the reader's choice, not a failure of the run: the run goes on (it may be
    // writing files) and ends with its own exit code, as it would have had the reader stayed.
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    closed.add(file);
  }
}

export function defaultLoggerOptions(level: Level = "normal"): LoggerOptions {
  const env = (name: string) => Deno.env.get(name);
  const stderrTty = Deno.stderr.isTerminal();
  return {
    level,
    color: stderrTty && env("NO_COLOR") === undefined,
    plain: !stderrTty || !!env("CI"),
    stdout: (text) => writeSync(Deno.stdout, text),
    stderr: (text) => writeSync(Deno.stderr, text),
  };
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, gray: 90, bold: 1 } as const;
type Color = keyof typeof CODES;

export class Logger {
  #options: LoggerOptions;
  #statusShown = false;
  #lastStatus = "";
  #stage = "";

  constructor(options: LoggerOptions) {
    this.#options = options;
  }

  get level(): Level {
    return this.#options.level;
  }
  get isVerbose(): boolean {
    return this.#options.level !== "normal";
  }
  get isDebug(): boolean {
    return this.#options.level === "debug";
  }

  paint(color: Color, text: string): string {
    return this.#options.color ? `\x1b[${CODES[color]}m${text}\x1b[0m` : text;
  }

  /** Prefix for the following diagnostics, e.g. the pipeline stage. */
  setStage(stage: string): void {
    this.#stage = stage;
  }

  /** A result line on stdout. */
  result(text: string): void {
    this.#clearStatus();
    this.#options.stdout(redact(text) + "\n");
  }

  info(text: string): void {
    this.#line(text);
  }
  success(text: string): void {
    this.#line(this.paint("green", text));
  }
  warn(text: string): void {
    this.#line(this.paint("yellow", "warning: ") + text);
  }
  error(text: string): void {
    this.#line(this.paint("red", "error: ") + text);
  }
  verbose(text: string): void {
    if (this.isVerbose) this.#line(this.paint("gray", text));
  }
  debug(text: string): void {
    // Milliseconds since the process started: shows where the time of a run goes.
    const at = `+${Math.round(performance.now())}ms`;
    if (this.isDebug) this.#line(this.paint("gray", `debug ${at}: ${text}`));
  }

  /** Raw text to stderr (streamed process output); no prefix, no newline added. */
  raw(text: string): void {
    this.#clearStatus();
    this.#options.stderr(redact(text));
  }

  /**
   * A progress line. On a terminal it replaces the previous status line; otherwise it is
   * printed only when it changed, one line per change.
   */
  status(text: string): void {
    const line = redact(text);
    if (line === this.#lastStatus) return;
    this.#lastStatus = line;
    if (this.#options.plain) {
      this.#line(line);
      return;
    }
    this.#options.stderr(`\r\x1b[2K${this.#prefix()}${line}`);
    this.#statusShown = true;
  }

  /**
   * A status line for a long step: on a terminal it shows the seconds since it started, updated
   * every second; elsewhere it is printed once. Returns the function that stops the updates.
   */
  ticking(text: string): () => void {
    const started = Date.now();
    this.status(text);
    if (this.#options.plain) return () => {};
    const timer = setInterval(() => {
      this.status(`${text} (${Math.round((Date.now() - started) / 1000)} s)`);
    }, 1000);
    return () => clearInterval(timer);
  }

  /** Ends an in-place status line so the next output starts on a fresh line. */
  endStatus(): void {
    if (this.#statusShown) this.#options.stderr("\n");
    this.#statusShown = false;
    this.#lastStatus = "";
  }

  #prefix(): string {
    return this.#stage ? this.paint("blue", `[${this.#stage}] `) : "";
  }

  #clearStatus(): void {
    if (!this.#statusShown) return;
    this.#options.stderr("\r\x1b[2K");
    this.#statusShown = false;
    this.#lastStatus = "";
  }

  #line(text: string): void {
    this.#clearStatus();
    this.#options.stderr(this.#prefix() + redact(text) + "\n");
  }
}

/** The process-wide logger; `main.ts` configures it from the global flags. */
export let log = new Logger(defaultLoggerOptions());

export function configureLogger(options: Partial<LoggerOptions> & { level?: Level }): Logger {
  log = new Logger({ ...defaultLoggerOptions(options.level), ...options });
  return log;
}
