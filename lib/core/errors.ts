/**
 * The one error type of the tool. Lower layers throw it; only `main.ts` turns it into an exit code.
 *
 * `kind: "usage"` (bad flags, bad configuration) exits 2; `kind: "failure"` exits 1.
 */
export type ErrorKind = "failure" | "usage";

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

  get exitCode(): 1 | 2 {
    return this.kind === "usage" ? 2 : 1;
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
