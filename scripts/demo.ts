/**
 * `make demo`: the whole pipeline on the bundled example, offline and without secrets.
 *
 * Creates a throwaway workspace (scripts/demo_workspace.ts): the example trace repository as a
 * git repository on branch `my-feature`, and an SDK clone whose `origin` is a local bare
 * repository. Writes the trace repository's git-ignored config file, runs `codegen all` with the
 * local generator openapi-python-client, then prints the summary, the `pyproject.toml` diff and
 * the mirror branch on the bare remote. Removes the workspace afterwards (`--keep`, or
 * `make demo KEEP=1`, keeps it and prints where it is).
 */
import { join } from "node:path";
import { COMMAND_PRESETS } from "../lib/generate/presets.ts";
import { freeEphemeralPort } from "../lib/os/ports.ts";
import { run } from "../lib/os/process.ts";
import { configureLogger, log } from "../lib/core/log.ts";
import { createWorkspace, gitRun, PROJECT_ROOT, WORKSPACE_GIT_ENV } from "./demo_workspace.ts";

const GENERATOR = COMMAND_PRESETS["openapi-python-client"].name;

/** The user's environment without CODEGEN_* settings (they would override the demo's config). */
function cliEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  for (const key of Object.keys(env)) {
    if (key.startsWith("CODEGEN_") && key !== "CODEGEN_PYTHON") delete env[key];
  }
  return {
    ...env,
    ...WORKSPACE_GIT_ENV,
    PATH: `${PROJECT_ROOT}/.venv/bin:${env.PATH ?? ""}`,
  };
}

const encoder = new TextEncoder();

function writeStdout(text: string): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
}

async function main(): Promise<number> {
  configureLogger({ level: "normal" });
  const keep = Deno.args.includes("--keep");
  log.info("Setting up a throwaway workspace (trace repository, SDK clone, bare origin)...");
  const ws = await createWorkspace();
  try {
    const config = [
      "# Written by the demo (this file is git-ignored in the trace repository).",
      `python_output: ${ws.sdk}`,
      "package_name: weave_server_sdk",
      `generator: ${GENERATOR}`,
      // A free port: the default 6345 would stop whatever already listens there.
      `port: ${freeEphemeralPort()}`,
      "",
    ].join("\n");
    await Deno.writeTextFile(join(ws.trace, "tools/codegen/generate_config.yaml"), config);
    log.info(`  trace repository  ${ws.trace} (branch my-feature)`);
    log.info(`  SDK clone         ${ws.sdk} (origin: ${ws.bare})`);
    log.info(`  config            ${join(ws.trace, "tools/codegen/generate_config.yaml")}`);
    log.info("");
    log.result(`$ codegen all        # in ${ws.trace}`);
    const cli = await run(Deno.execPath(), [
      "run",
      "--allow-all",
      "--quiet",
      `${PROJECT_ROOT}/main.ts`,
      "all",
    ], {
      cwd: ws.trace,
      env: cliEnv(),
      clearEnv: true,
      timeoutMs: 10 * 60_000,
      check: false,
      onOutput: (text, stream) => stream === "stdout" ? writeStdout(text) : log.raw(text),
    });
    if (cli.code !== 0) {
      log.error(`codegen all failed (exit code ${cli.code}); see its output above`);
      return 1;
    }
    log.result("");
    log.result("$ git diff pyproject.toml        # in the trace repository");
    log.result(await gitRun(ws.trace, "-c", "color.ui=never", "diff", "pyproject.toml"));
    log.result("");
    log.result("$ git log --oneline --all        # in the bare origin of the SDK");
    log.result(await gitRun(ws.bare, "log", "--oneline", "--all", "--decorate"));
    return 0;
  } finally {
    // On stdout, last: where to look (`make demo KEEP=1`).
    if (keep) log.result(`\nworkspace kept: ${ws.root} (remove it with: rm -rf ${ws.root})`);
    else await ws.dispose();
  }
}

Deno.exit(await main());
