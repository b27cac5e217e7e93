/**
 * Fixtures for vendoring tests: a trace repository (git, stub `weave/` and `weave/vendor/`
 * packages, `__pycache__/` ignored), real generator output from the example spec, and a Python
 * run that imports every module of a vendored package and reports what `sys.modules` holds.
 */
import { join } from "node:path";
import { run } from "../../lib/os/process.ts";
import { sha256Hex } from "../../lib/core/sha256.ts";
import { PYTHON, VENV_BIN } from "./cli.ts";
import { EXAMPLE_STAINLESS_CONFIG, exportExampleSpec } from "./sdk_clone.ts";
import { commitFiles, gitIn } from "./git_fixtures.ts";

export const VENDOR_DIR = "weave/vendor/weave_server_sdk";
export const IMPORT_PATH = "weave.vendor.weave_server_sdk";
export const PACKAGE = "weave_server_sdk";

/** A git trace repository with stub `weave` and `weave.vendor` packages; returns its path. */
export async function makeVendorTraceRepo(): Promise<string> {
  const repo = await Deno.makeTempDir({ prefix: "vendor-trace-" });
  await gitIn(repo, "init", "--quiet", "--initial-branch=main");
  await commitFiles(repo, {
    message: "trace repository",
    files: {
      ".gitignore": "__pycache__/\n*.pyc\n",
      "weave/__init__.py": "",
      "weave/vendor/__init__.py": "",
      "sdks/node/src/vendor/README.md": "vendored TypeScript SDK\n",
    },
  });
  return repo;
}

export interface Generated {
  dir: string;
  opc: string;
  stainful: string;
  stainfulTs: string;
  /** The origin stamp of these inputs (issue 9 format, as a generation would write it). */
  origin: Record<string, string | Record<string, string>>;
  inputs: Record<string, string>;
}

const ENV = { PATH: `${VENV_BIN}:${Deno.env.get("PATH") ?? ""}` };

/** openapi-python-client (as its preset runs it), stainful and stainful generate-ts, for real. */
export async function generateExampleSdks(): Promise<Generated> {
  const dir = await Deno.makeTempDir({ prefix: "vendor-generated-" });
  const spec = join(dir, "openapi.json");
  await exportExampleSpec(spec);
  await Deno.writeTextFile(
    join(dir, "opc.json"),
    JSON.stringify({
      project_name_override: PACKAGE,
      package_name_override: PACKAGE,
      content_type_overrides: { "application/jsonl": "application/octet-stream" },
    }),
  );
  const out = (name: string) => join(dir, name);
  await run(`${VENV_BIN}/openapi-python-client`, [
    ...["generate", "--path", spec, "--output-path", out("opc"), "--meta", "setup"],
    ...["--config", join(dir, "opc.json")],
  ], { env: ENV, what: "openapi-python-client" });
  for (const [command, name] of [["generate", "stainful"], ["generate-ts", "stainful-ts"]]) {
    await run(`${VENV_BIN}/stainful`, [
      ...[command, "--spec", spec, "--config", EXAMPLE_STAINLESS_CONFIG, "--out", out(name)],
    ], { env: ENV, what: `stainful ${command}` });
  }
  const inputs = {
    "tools/codegen/openapi.json": `sha256:${await sha256Hex(await Deno.readFile(spec))}`,
    "tools/codegen/openapi.stainless.yml": `sha256:${await sha256Hex(
      await Deno.readFile(EXAMPLE_STAINLESS_CONFIG),
    )}`,
  };
  return {
    dir,
    opc: out("opc"),
    stainful: out("stainful"),
    stainfulTs: out("stainful-ts"),
    inputs,
    origin: { ...inputs, codegen: { generator: "stainful", codegen_version: "0.1.0" } },
  };
}

export interface ImportReport {
  /** Modules of the vendored package imported (all of them). */
  modules: number;
  /** Entries of sys.modules named after the package's top-level name (must be none). */
  leaked: string[];
  /** What `extra` (Python code run after the imports) printed, as JSON. */
  extra: unknown;
}

/**
 * Imports every module of the package at `importPath` from `repo` (on sys.path first), runs
 * `extra` (Python that sets a variable `result`), and reports. Bytecode is written only with
 * `bytecode` (to leave `__pycache__/` behind, as running the code in a checkout does).
 */
export async function importVendored(
  repo: string,
  importPath: string,
  options: { extra?: string; bytecode?: boolean } = {},
): Promise<ImportReport> {
  const code = `
import importlib, json, pkgutil, sys
sys.path.insert(0, ".")
pkg = importlib.import_module(${JSON.stringify(importPath)})
names = [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]
for name in names:
    importlib.import_module(name)
result = None
${options.extra ?? ""}
top = ${JSON.stringify(PACKAGE)}
leaked = sorted(k for k in sys.modules if k == top or k.startswith(top + "."))
print(json.dumps({"modules": len(names) + 1, "leaked": leaked, "extra": result}))
`;
  // An empty value unsets it for Python (the caller's environment may set it).
  const env = { PYTHONDONTWRITEBYTECODE: options.bytecode ? "" : "1" };
  const result = await run(PYTHON, ["-c", code], { cwd: repo, env, what: "import the package" });
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!);
}
