/** Runs the CLI as a subprocess, the way users and CI do, and captures each stream separately. */
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");
/** The CLI's entry point (codegen.ts: catches signals from its first statement, then loads main.ts). */
export const MAIN = `${PROJECT_ROOT}/codegen.ts`;
export const VENV_BIN = `${PROJECT_ROOT}/.venv/bin`;
export const PYTHON = `${VENV_BIN}/python`;
/** XDG_CACHE_HOME of the CLI runs of the tests (removed by `make clean`). */
export const TEST_CACHE = `${PROJECT_ROOT}/.tools/test-cache`;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Extra PATH entries in front; the project venv is always first. */
  path?: string[];
  timeoutMs?: number;
}

/** Environment for CLI runs: no CI colors, no inherited codegen settings, venv on PATH. */
export function cliEnv(options: CliOptions = {}): Record<string, string> {
  const env = Deno.env.toObject();
  for (const key of Object.keys(env)) {
    if (key.startsWith("CODEGEN_") || key === "INIT_CWD") delete env[key];
  }
  env.PATH = [...(options.path ?? []), VENV_BIN, env.PATH ?? ""].join(":");
  env.NO_COLOR = "1";
  // The generator-version cache of test runs stays in the project (git-ignored), not in ~/.cache.
  env.XDG_CACHE_HOME = TEST_CACHE;
  return { ...env, ...options.env };
}

export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", MAIN, ...args],
    cwd: options.cwd ?? PROJECT_ROOT,
    env: cliEnv(options),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
  const output = await child.output().finally(() => clearTimeout(timer));
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}
