/**
 * Distribution: the single-file bundle (`deno task bundle`) run end to end with `deno run` and
 * exactly the permissions the compiled executables get; and, where a Deno compile runtime is
 * available without the network, a compiled executable for this machine.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { cliEnv, type CliResult, PROJECT_ROOT } from "../helpers/cli.ts";
import { snapshotRepos } from "../helpers/tree_snapshot.ts";
import { run } from "../../lib/os/process.ts";
import { freeEphemeralPort } from "../../lib/os/ports.ts";
import {
  bundleArgs,
  compileTarget,
  DYNAMIC_MODULES,
  hostTarget,
  localRuntime,
  outputPath,
  PERMISSIONS,
} from "../../scripts/compile.ts";
import { createWorkspace } from "../../scripts/demo_workspace.ts";

const EXAMPLE = `${PROJECT_ROOT}/examples/trace-repo`;

/** Builds the bundle once per test file, outside the project (the bundle must not need it). */
let built: Promise<{ dir: string; bundle: string }> | undefined;
let bundleDir: string | undefined;
function bundle(): Promise<{ dir: string; bundle: string }> {
  built ??= (async () => {
    const dir = bundleDir = await Deno.makeTempDir({ prefix: "codegen-bundle-" });
    const bundle = join(dir, "codegen.js");
    await run(Deno.execPath(), bundleArgs(bundle), { cwd: PROJECT_ROOT, what: "deno bundle" });
    return { dir, bundle };
  })();
  return built;
}

async function runExecutable(argv: string[], cwd: string): Promise<CliResult> {
  const result = await run(argv[0], argv.slice(1), {
    cwd,
    env: { ...cliEnv(), GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
    clearEnv: true,
    check: false,
    timeoutMs: 120_000,
  });
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}

async function runBundle(args: string[], cwd?: string): Promise<CliResult> {
  const { dir, bundle: file } = await bundle();
  return await runExecutable([Deno.execPath(), "run", ...PERMISSIONS, file, ...args], cwd ?? dir);
}

Deno.test("bundle: one self-contained file; --help lists every command", async () => {
  const { bundle: file } = await bundle();
  const text = await Deno.readTextFile(file);
  // Embedded at build time: the config template (text import) and the generator presets.
  assertStringIncludes(text, "CONFIGURE ONCE");
  assertStringIncludes(text, "openapi-python-client");
  assert(!/from\s*"\.{1,2}\//.test(text), "no relative imports left in the bundle");
  const help = await runBundle(["--help"]);
  assertEquals(help.code, 0, help.stderr);
  for (const command of ["get_openapi_spec", "generate_code", "merge_generated_code", "all"]) {
    assertMatch(help.stdout, new RegExp(`^  ${command}\\b`, "m"));
  }
  const allHelp = await runBundle(["all", "--help"]);
  assertEquals(allHelp.code, 0, allHelp.stderr);
  assertStringIncludes(allHelp.stdout, "--no-auto-merge");
});

Deno.test("bundle: get_openapi_spec --app writes the example's spec", async () => {
  const { dir } = await bundle();
  const output = join(dir, "openapi.json");
  const r = await runBundle([
    "--repo-root",
    EXAMPLE,
    "get_openapi_spec",
    "--app",
    "weave.trace_server.reference.server:app",
    "-o",
    output,
  ]);
  assertEquals(r.code, 0, r.stderr);
  assertMatch(r.stdout, /OpenAPI 3\.1\.0, 8 paths, 8 operations/);
  const spec = JSON.parse(await Deno.readTextFile(output));
  assert("/calls/stream_query" in spec.paths);
});

Deno.test("bundle: all --dry-run prints the plan and changes nothing", async () => {
  const ws = await createWorkspace();
  try {
    await Deno.writeTextFile(
      join(ws.trace, "tools/codegen/generate_config.yaml"),
      `python_output: ${ws.sdk}\npackage_name: weave_server_sdk\n` +
        `generator: openapi-python-client\nport: ${freeEphemeralPort()}\n`,
    );
    const dirs = [ws.trace, ws.sdk, ws.bare];
    const before = await snapshotRepos(dirs);
    const r = await runBundle(["all", "--dry-run", "--json"], ws.trace);
    assertEquals(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assertEquals(result.dryRun, true);
    assertEquals(result.merge.branch, "weave/my-feature");
    assert(result.plan.some((line: string) => line.includes("openapi-python-client generate")));
    assertEquals(await snapshotRepos(dirs), before);
  } finally {
    await ws.dispose();
  }
});

const target = hostTarget();
const runtime = target ? await localRuntime(target) : undefined;

Deno.test({
  name: runtime
    ? `compile: standalone executable for ${target} runs --help and --version`
    : "compile: skipped: no Deno compile runtime available (set DENORT_BIN)",
  ignore: !runtime,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "codegen-compile-" });
    try {
      const executable = outputPath(target!, dir);
      await compileTarget(target!, executable);
      const help = await runExecutable([executable, "--help"], dir);
      assertEquals(help.code, 0, help.stderr);
      assertMatch(help.stdout, /^ {2}all\b/m);
      const version = await runExecutable([executable, "--version"], dir);
      assertEquals(version.code, 0, version.stderr);
      assertMatch(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

globalThis.addEventListener("unload", () => {
  // The bundle's temporary directory: removed when the test file is done.
  if (bundleDir) Deno.removeSync(bundleDir, { recursive: true });
});

Deno.test("compile embeds every module the CLI loads on demand", async () => {
  const found = new Set<string>();
  const visit = async (dir: string) => {
    for (const entry of Deno.readDirSync(join(PROJECT_ROOT, dir))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await visit(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        const text = await Deno.readTextFile(join(PROJECT_ROOT, path));
        for (const match of text.matchAll(/await import\("(\.{1,2}\/[^"]+)"\)/g)) {
          found.add(join(dir, match[1]));
        }
      }
    }
  };
  await visit("lib");
  await visit("commands");
  assert(found.size > 0, "no dynamic import found: the scan is broken");
  for (const module of found) {
    assert(
      DYNAMIC_MODULES.includes(module),
      `${module} is in DYNAMIC_MODULES of scripts/compile.ts`,
    );
  }
});
