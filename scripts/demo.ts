/**
 * `make demo`: the whole pipeline on the bundled example, offline and without secrets.
 *
 * Creates a throwaway workspace (the `all` tests' fixture, tests/helpers/workspace.ts): the example trace repository as a
 * git repository on branch `my-feature`, and an SDK clone whose `origin` is a local bare
 * repository. Writes the trace repository's git-ignored config file, runs `codegen all` with the
 * local generator openapi-python-client, then prints the summary, the `pyproject.toml` diff and
 * the mirror branch on the bare remote. A second target, the Node SDK, is vendored into the trace
 * repository with stainful's TypeScript generator (`sdks/node/src/vendor/weave-server-sdk`, no
 * clone): the demo shows what that wrote (`git status`) and its stamp. Then it changes the trace
 * server's API (POST /obj/read removed, POST /obj/delete added) and runs `codegen all` again: its
 * SDK API report names the method that went and the one that came, and the vendored copy follows. Removes the workspace afterwards (`--keep`, or
 * `make demo KEEP=1`, keeps it and prints where it is).
 */
import { join } from "node:path";
import { COMMAND_PRESETS } from "../lib/generate/presets.ts";
import { run } from "../lib/os/process.ts";
import { configureLogger, log } from "../lib/core/log.ts";
import { PROJECT_ROOT } from "../tests/helpers/cli.ts";
import { commitFiles, GIT_ENV, gitIn } from "../tests/helpers/git_fixtures.ts";
import { createWorkspace, type Workspace } from "../tests/helpers/workspace.ts";

const GENERATOR = COMMAND_PRESETS["openapi-python-client"].name;
/** Where the Node SDK is vendored (as the Weave repository vendors it). */
const NODE_VENDOR = "sdks/node/src/vendor/weave-server-sdk";

/** The user's environment without CODEGEN_* settings (they would override the demo's config). */
function cliEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  for (const key of Object.keys(env)) {
    if (key.startsWith("CODEGEN_") && key !== "CODEGEN_PYTHON") delete env[key];
  }
  return {
    ...env,
    ...GIT_ENV,
    PATH: `${PROJECT_ROOT}/.venv/bin:${env.PATH ?? ""}`,
  };
}

const encoder = new TextEncoder();

function writeStdout(text: string): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
}

/** `codegen all` in the trace repository, its output passed through; true when it succeeded. */
async function codegenAll(ws: Workspace): Promise<boolean> {
  log.result(`$ codegen all        # in ${ws.trace}`);
  const cli = await run(Deno.execPath(), [
    "run",
    "--allow-all",
    "--quiet",
    `${PROJECT_ROOT}/codegen.ts`,
    "all",
  ], {
    cwd: ws.trace,
    env: cliEnv(),
    clearEnv: true,
    timeoutMs: 10 * 60_000,
    check: false,
    onOutput: (text, stream) => stream === "stdout" ? writeStdout(text) : log.raw(text),
  });
  if (cli.code !== 0) log.error(`codegen all failed (exit code ${cli.code}); see its output above`);
  return cli.code === 0;
}

const SERVER = "weave/trace_server/reference/server.py";
const OBJ_READ_ROUTE = '@app.post("/obj/read", tags=["Objects"])\n';
const OBJ_DELETE = `

@app.post("/obj/delete", tags=["Objects"])
def obj_delete(req: ObjReadReq) -> ObjCreateRes:
    OBJECTS.pop((req.project_id, req.object_id, req.digest), None)
    return ObjCreateRes(digest=req.digest)
`;

/** The next version of the trace server: POST /obj/read gone, POST /obj/delete new. */
async function changeServerApi(ws: Workspace): Promise<void> {
  const path = join(ws.trace, SERVER);
  const source = await Deno.readTextFile(path);
  if (!source.includes(OBJ_READ_ROUTE)) throw new Error(`${SERVER} changed: no ${OBJ_READ_ROUTE}`);
  await Deno.writeTextFile(path, source.replace(OBJ_READ_ROUTE, "") + OBJ_DELETE);
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
      // A port reserved for the workspace: the default 6345 would stop whatever listens there.
      `port: ${ws.port}`,
      "# A second target: the Node SDK, vendored into the trace repository (docs/targets.md).",
      "targets:",
      "  node:",
      `    vendor_dir: ${NODE_VENDOR}`,
      "    generator: stainful",
      "",
    ].join("\n");
    await commitFiles(ws.trace, {
      message: "The Node SDK's vendor directory",
      files: { "sdks/node/src/vendor/README.md": "Vendored by codegen: do not edit.\n" },
    });
    await Deno.writeTextFile(join(ws.trace, "tools/codegen/generate_config.yaml"), config);
    log.info(`  trace repository  ${ws.trace} (branch my-feature)`);
    log.info(`  SDK clone         ${ws.sdk} (origin: ${ws.bare})`);
    log.info(`  config            ${join(ws.trace, "tools/codegen/generate_config.yaml")}`);
    log.info("");
    if (!(await codegenAll(ws))) return 1;
    log.result("");
    log.result("$ git diff pyproject.toml        # in the trace repository");
    log.result(await gitIn(ws.trace, "-c", "color.ui=never", "diff", "pyproject.toml"));
    log.result("");
    log.result("$ git log --oneline --all        # in the bare origin of the SDK");
    log.result(await gitIn(ws.bare, "log", "--oneline", "--all", "--decorate"));
    log.result("");
    log.result("$ git status --short --untracked-files=all sdks    # the vendored Node SDK");
    log.result(await gitIn(ws.trace, "status", "--short", "--untracked-files=all", "sdks"));
    const stamp = JSON.parse(await Deno.readTextFile(join(ws.trace, `${NODE_VENDOR}.origin.json`)));
    log.result(
      `# ${NODE_VENDOR}.origin.json: generator ${stamp.codegen.generator}, tree ${stamp.codegen.vendor.tree}, ` +
        `${Object.keys(stamp.codegen.vendor.files).length} files`,
    );
    log.result("");
    log.result(
      `# The trace server's API changes: ${SERVER} loses POST /obj/read, gains POST /obj/delete.`,
    );
    log.result(
      "# The next run's SDK API report (stderr, and the `sdk api` row) names what changed;",
    );
    log.result("# with --fail-on api-removals it would stop before anything moves.");
    await changeServerApi(ws);
    if (!(await codegenAll(ws))) return 1;
    return 0;
  } finally {
    // On stdout, last: where to look (`make demo KEEP=1`).
    if (keep) log.result(`\nworkspace kept: ${ws.root} (remove it with: rm -rf ${ws.root})`);
    else await ws.dispose();
  }
}

Deno.exit(await main());
