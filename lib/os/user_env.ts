/**
 * Where the user's environment points: their working directory, and CODEGEN_PYTHON. Paths the
 * user gives are theirs, relative to the directory they started codegen from; codegen runs its
 * processes elsewhere (the server and `--app` in the trace repository), so a relative one is made
 * absolute here, once, for every use.
 */
import { resolve } from "../core/paths.ts";

/**
 * The user's working directory. `deno task generate` runs in the project folder, so the task
 * passes the directory it was started from as CODEGEN_CWD (from deno's INIT_CWD). INIT_CWD itself
 * is not read: npm and yarn leave it in the environment of unrelated processes.
 */
export function userCwd(): string {
  return Deno.env.get("CODEGEN_CWD") || Deno.cwd();
}

/**
 * CODEGEN_PYTHON (a Python whose folder also holds the tools codegen runs: uvicorn, generators),
 * a path made absolute against the user's directory; a bare name (`python3`) as is, for PATH.
 * Undefined when unset or empty.
 */
export function codegenPython(): string | undefined {
  const python = Deno.env.get("CODEGEN_PYTHON");
  if (!python) return undefined;
  return python.includes("/") ? resolve(userCwd(), python) : python;
}
