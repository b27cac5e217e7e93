/**
 * The one error type of the tool. Lower layers throw it; only `main.ts` turns it into an exit code.
 *
 * `kind: "usage"` (bad flags, bad configuration) exits 2; `kind: "failure"` exits 1;
 * `kind: "interrupted"` (SIGINT, SIGTERM) exits 128 + the signal number (130, 143).
 */
export type ErrorKind = "failure" | "usage" | "interrupted";

export interface CodegenErrorOptions {
  /** What the user can do about it: one or two sentences. */
  hint?: string;
  kind?: ErrorKind;
  /** Extra text shown under the message (captured process output, a response excerpt...). */
  details?: string;
  cause?: unknown;
}

export class CodegenError extends Error {
  readonly hint?: string;
  readonly kind: ErrorKind;
  readonly details?: string;

  constructor(message: string, options: CodegenErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "CodegenError";
    this.hint = options.hint;
    this.kind = options.kind ?? "failure";
    this.details = options.details;
  }

  get exitCode(): number {
    return this.kind === "usage" ? 2 : 1;
  }
}

/**
 * The run was stopped by a signal. Whatever failed because of it (a child killed by the clean-up)
 * is reported as this, never as that failure.
 */
export class InterruptedError extends CodegenError {
  constructor(
    readonly signal: Deno.Signal,
    readonly signalExitCode: number,
    options: Pick<CodegenErrorOptions, "cause" | "details"> = {},
  ) {
    super(`interrupted (${signal})`, {
      ...options,
      kind: "interrupted",
      hint:
        "Child processes were stopped and temporary files and locks removed; run the command again to finish.",
    });
    this.name = "InterruptedError";
  }

  override get exitCode(): number {
    return this.signalExitCode;
  }
}

/** A configuration or command-line problem (exit code 2). */
export function usageError(message: string, hint?: string, details?: string): CodegenError {
  return new CodegenError(message, { kind: "usage", hint, details });
}

/** Message of any thrown value, for wrapping foreign errors. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
