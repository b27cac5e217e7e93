/**
 * Distribution: the bundle (`deno task bundle`: code-split, in its own folder) run end to end with
 * `deno run` and exactly the permissions the compiled executables get; and, where a Deno compile
 * runtime is available without the network, a compiled executable for this machine. Also: what
 * the compile task embeds as lazily loaded modules is derived from Deno's module graph, and covers
 * every import() in the sources.
 */
import { dirname, join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { cliEnv, type CliResult, PROJECT_ROOT } from "../helpers/cli.ts";
import { snapshotRepos } from "../helpers/tree_snapshot.ts";
import { run } from "../../lib/os/process.ts";
import {
  compileTarget,
  denortProblem,
  dynamicModules,
  hostTarget,
  localRuntime,
  outputPath,
  PERMISSIONS,
} from "../../scripts/compile.ts";
import { BUNDLE_ENTRY, bundleInto } from "../../scripts/bundle.ts";
import { importsOf } from "../helpers/imports.ts";
import { createWorkspace } from "../helpers/workspace.ts";
import { weaveFile } from "../helpers/weave.ts";
import { makeClone, removeAll } from "../helpers/sdk_clone.ts";
import { gitOutput } from "../../lib/git/git.ts";

const EXAMPLE = `${PROJECT_ROOT}/examples/trace-repo`;

/**
 * Builds the bundle once per test file, outside the project (the bundle must not need it), then
 * moves its folder: the files find each other by relative paths only.
 */
let built: Promise<{ dir: string; bundle: string }> | undefined;
let bundleDir: string | undefined;
function bundle(): Promise<{ dir: string; bundle: string }> {
  built ??= (async () => {
    const dir = bundleDir = await Deno.makeTempDir({ prefix: "codegen-bundle-" });
    await bundleInto(join(dir, "built"));
    await Deno.rename(join(dir, "built"), join(dir, "moved"));
    return { dir, bundle: join(dir, "moved", BUNDLE_ENTRY) };
  })();
  return built;
}

/** The files a bundle file imports statically (`import ... from "./x.js"`, `import "./x.js"`). */
function staticImports(text: string): string[] {
  return [...text.matchAll(/(?:^|[;}\s])import\s*(?:[^"'();]*?from\s*)?["']([^"']+)["']/g)]
    .map((m) => m[1]);
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

Deno.test("bundle: one self-contained folder; --help lists every command", async () => {
  const { bundle: file } = await bundle();
  const folder = join(file, "..");
  const texts = new Map<string, string>();
  for (const entry of Deno.readDirSync(folder)) {
    texts.set(entry.name, await Deno.readTextFile(join(folder, entry.name)));
  }
  const all = [...texts.values()].join("\n");
  // Embedded at build time: the config template (text import) and the generator presets.
  assertStringIncludes(all, "CONFIGURE ONCE");
  assertStringIncludes(all, "openapi-python-client");
  for (const [name, text] of texts) {
    for (const specifier of [...staticImports(text), ...importsOf(text)]) {
      if (specifier.startsWith("node:")) continue;
      // Chunk names may hold dots (a package's version: `./5.0-UGFCXHKA.js`), never a slash.
      assertMatch(specifier, /^\.\/[\w.-]+\.js$/, `${name} imports only files of the folder`);
      assert(texts.has(specifier.slice(2)), `${name} imports ${specifier}, which exists`);
    }
  }
  // The entry loads the declarations only: no command implementation, nor any node: module
  // (which would boot Deno's Node layer: most of the start-up time).
  const loaded = new Set<string>();
  const visit = (name: string) => {
    if (loaded.has(name)) return;
    loaded.add(name);
    for (const specifier of staticImports(texts.get(name) ?? "")) {
      assert(!specifier.startsWith("node:"), `${name}, loaded by --help, imports ${specifier}`);
      visit(specifier.slice(2));
    }
  };
  visit(BUNDLE_ENTRY);
  // The entry then loads main.ts's chunk (a dynamic import, once it catches signals): always.
  for (const specifier of importsOf(texts.get(BUNDLE_ENTRY)!)) visit(specifier.slice(2));
  assert(loaded.size > 1, "the entry loads the program");
  assert(loaded.size < texts.size / 2, `--help loads ${[...loaded].join(", ")}`);
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
        `generator: openapi-python-client\nport: ${ws.port}\n`,
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

Deno.test("bundle: a real local generation (yaml, JSONPath, the SDK API reader's script) on the real Weave files", async () => {
  const { dir } = await bundle();
  const trace = join(dir, "trace-weave");
  await Deno.mkdir(join(trace, "tools/codegen"), { recursive: true });
  for (const name of ["openapi.json", "openapi.stainless.yml"]) {
    await Deno.copyFile(weaveFile(name), join(trace, "tools/codegen", name));
  }
  const clone = await makeClone();
  try {
    const r = await runBundle(
      ["generate_code", "--python-output", clone, "--generator", "stainful", "--json"],
      trace,
    );
    assertEquals(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assertEquals(result.warnings.length, 7, JSON.stringify(result.warnings));
    assertMatch(result.sdk_api.skipped, /^no previous SDK/);
    assertStringIncludes(
      await gitOutput(clone, ["show", "main:weave_server_sdk/types/__init__.py"]),
      "Expr",
    );
  } finally {
    await removeAll(clone);
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

Deno.test("compile: a DENORT_BIN that is missing or a directory is named, exit 2, before deno compile runs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "codegen-denort-" });
  try {
    for (
      const [path, problem] of [
        [join(dir, "nonexistent"), "does not exist"],
        [dir, "is not a regular file"],
      ]
    ) {
      const result = await run(
        Deno.execPath(),
        ["run", "-A", join(PROJECT_ROOT, "scripts/compile.ts"), "x86_64-unknown-linux-gnu"],
        { cwd: dir, env: { ...cliEnv(), DENORT_BIN: path }, check: false, timeoutMs: 60_000 },
      );
      assertEquals(result.code, 2, result.stderr);
      assertStringIncludes(result.stderr, `DENORT_BIN=${path} ${problem}`);
      assertMatch(
        result.stderr,
        /hint: point DENORT_BIN at the denort binary of Deno [\d.]+ for x86_64-unknown-linux-gnu/,
      );
      assert(!result.stderr.includes("offline, set DENORT_BIN"), result.stderr);
      assert(!result.stderr.includes("compiling"), "deno compile never started");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compile: a DENORT_BIN that exists but cannot be read is named", async () => {
  const dir = await Deno.makeTempDir({ prefix: "codegen-denort-" });
  try {
    const path = join(dir, "denort");
    await Deno.writeTextFile(path, "not a runtime");
    assertEquals(await denortProblem(path), undefined);
    await Deno.chmod(path, 0o000);
    // root reads a file of mode 000, so only another user sees it refused.
    if (Deno.uid() !== 0) {
      assertEquals(
        await denortProblem(path),
        `DENORT_BIN=${path} cannot be read (permission denied)`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

globalThis.addEventListener("unload", () => {
  // The bundle's temporary directory: removed when the test file is done.
  if (bundleDir) Deno.removeSync(bundleDir, { recursive: true });
});

Deno.test("compile embeds every module loaded by import(): derived from the module graph", async () => {
  const derived = await dynamicModules();
  assert(derived.includes("commands/run/all.ts"), "each command's implementation is loaded lazily");
  const found = new Set<string>();
  const scan = async (path: string) => {
    // Comments removed: they may mention import() in prose.
    const text = (await Deno.readTextFile(join(PROJECT_ROOT, path)))
      .replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|\s)\/\/.*$/gm, "$1");
    // Every import( must name a literal module, or the module graph cannot see it.
    const calls = text.match(/\bimport\s*\(/g)?.length ?? 0;
    const literal = [...text.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)];
    assertEquals(literal.length, calls, `${path}: every import() names a literal module`);
    for (const [, specifier] of literal) {
      if (specifier.startsWith(".")) found.add(join(dirname(path), specifier));
    }
  };
  const walk = async (dir: string) => {
    for (const entry of Deno.readDirSync(join(PROJECT_ROOT, dir))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (path.endsWith(".ts") && !path.endsWith("_test.ts")) await scan(path);
    }
  };
  await scan("codegen.ts");
  await scan("main.ts");
  await walk("commands");
  await walk("lib");
  assert(found.size >= derived.length, "the scan sees the dynamic imports");
  assertEquals([...found].sort(), derived, "the derived list is exactly the dynamic imports");
});
