/**
 * `deno task compile [TARGET...]`: standalone executables of the CLI, one per platform, in
 * dist/codegen-<target>. Nothing else is needed at run time: the config template and the
 * generator presets are modules (text/JSON imports and code), embedded like the rest. Linux and
 * macOS only: the tool relies on process groups, /proc or lsof, and POSIX paths.
 *
 * `deno compile` needs the Deno runtime (denort) of each target: it downloads it from
 * dl.deno.land, or takes the file named by DENORT_BIN (air-gapped runners). A DENORT_BIN runtime
 * is for one platform, so with DENORT_BIN only one target is built (default: this machine's).
 *
 *   deno task compile                                  all four targets (downloads runtimes)
 *   deno task compile x86_64-unknown-linux-gnu         one target
 *   DENORT_BIN=/opt/denort deno task compile           this machine's target, offline
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { run } from "../lib/os/process.ts";
import { configureLogger, log } from "../lib/core/log.ts";

export const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url)).replace(/\/$/, "");
/** The executable's entry point: it catches signals first, then loads the program (codegen.ts). */
export const ENTRY = "codegen.ts";

export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
] as const;
export type Target = typeof TARGETS[number];

/**
 * What the tool does at run time: read and write files (spec, pyproject.toml, git temp files),
 * run git, the trace server and generators, talk to the server and the Stainless API, read its
 * environment (CODEGEN_*, tokens) and the host name (lock owner).
 */
export const PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-run",
  "--allow-net",
  "--allow-env",
  "--allow-sys",
];

/**
 * The project's modules loaded with dynamic import() (each command's implementation, generator
 * backends, ...), from Deno's own module graph of the entry: passed to `deno compile --include` so
 * they are embedded whatever its analysis finds. tests/e2e/bundle_test.ts checks that this covers
 * every import() in the sources.
 */
export async function dynamicModules(): Promise<string[]> {
  const info = await run(Deno.execPath(), ["info", "--json", join(PROJECT_ROOT, ENTRY)], {
    cwd: PROJECT_ROOT,
    timeoutMs: 60_000,
    what: "deno info",
  });
  const graph = JSON.parse(info.stdout) as {
    modules: { dependencies?: { isDynamic?: boolean; code?: { specifier?: string } }[] }[];
  };
  const root = new URL(`file://${PROJECT_ROOT}/`).href;
  const found = new Set<string>();
  for (const module of graph.modules) {
    for (const dependency of module.dependencies ?? []) {
      const specifier = dependency.code?.specifier;
      if (dependency.isDynamic && specifier?.startsWith(root)) {
        found.add(decodeURIComponent(specifier.slice(root.length)));
      }
    }
  }
  return [...found].sort();
}

export function outputPath(target: string, dir = join(PROJECT_ROOT, "dist")): string {
  return join(dir, `codegen-${target}`);
}

export function compileArgs(target: string, output: string, dynamic: string[]): string[] {
  return [
    "compile",
    "--quiet",
    ...PERMISSIONS,
    ...dynamic.flatMap((module) => ["--include", join(PROJECT_ROOT, module)]),
    "--target",
    target,
    "--output",
    output,
    join(PROJECT_ROOT, ENTRY),
  ];
}

/** This machine's target, when it is one we build. */
export function hostTarget(): Target | undefined {
  return (TARGETS as readonly string[]).includes(Deno.build.target)
    ? Deno.build.target as Target
    : undefined;
}

/**
 * Where a compile runtime for `target` comes from without the network: DENORT_BIN, or the copy
 * `deno compile` cached in DENO_DIR. Undefined when none is available.
 */
export async function localRuntime(target: string): Promise<string | undefined> {
  const fromEnv = Deno.env.get("DENORT_BIN");
  if (fromEnv) return (await isFile(fromEnv)) ? fromEnv : undefined;
  const info = await run(Deno.execPath(), ["info", "--json"], { check: false, timeoutMs: 30_000 });
  if (info.code !== 0) return undefined;
  const denoDir = (JSON.parse(info.stdout) as { denoDir?: string }).denoDir;
  if (!denoDir) return undefined;
  const version = Deno.version.deno;
  for (const channel of [`release/v${version}`, `v${version}`]) {
    const zip = join(denoDir, "dl", channel, `denort-${target}.zip`);
    if (await isFile(zip)) return zip;
  }
  return undefined;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false; // missing or unreadable: not usable as a runtime
  }
}

/** Compiles one target; throws a CodegenError with deno's output when it fails. */
export async function compileTarget(target: string, output = outputPath(target)): Promise<void> {
  const denort = Deno.env.get("DENORT_BIN");
  await run(Deno.execPath(), compileArgs(target, output, await dynamicModules()), {
    cwd: PROJECT_ROOT,
    timeoutMs: 15 * 60_000,
    what: `deno compile for ${target}`,
    hint: denort
      ? `deno compile used DENORT_BIN=${denort}: it must be the denort binary of Deno ${Deno.version.deno} for ${target}.`
      : "deno compile downloads the runtime for each target from dl.deno.land; offline, set DENORT_BIN to a denort binary for this machine.",
  });
}

/**
 * Why DENORT_BIN cannot be used (missing, not a regular file, unreadable), or undefined when it can:
 * checked before compiling, since deno compile reports a missing runtime with a bare stack trace.
 * Opened (read-only, then closed), not only stat'ed: stat succeeds on a file of mode 000.
 */
export async function denortProblem(path: string): Promise<string | undefined> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return `DENORT_BIN=${path} is not a regular file`;
    (await Deno.open(path, { read: true })).close();
    return undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return `DENORT_BIN=${path} does not exist`;
    if (error instanceof Deno.errors.PermissionDenied) {
      return `DENORT_BIN=${path} cannot be read (permission denied)`;
    }
    throw error;
  }
}

async function main(args: string[]): Promise<number> {
  configureLogger({ level: "normal" });
  const unknown = args.filter((a) => !(TARGETS as readonly string[]).includes(a));
  if (unknown.length > 0) {
    log.error(`unknown target ${unknown.join(", ")}; choose from: ${TARGETS.join(", ")}`);
    return 2;
  }
  let targets: string[] = args.length > 0 ? args : [...TARGETS];
  if (Deno.env.get("DENORT_BIN")) {
    if (args.length > 1) {
      log.error("DENORT_BIN is the runtime of one platform: name at most one target");
      return 2;
    }
    const target = args[0] ?? hostTarget();
    if (!target) {
      log.error(`DENORT_BIN is set but this machine (${Deno.build.target}) is no known target`);
      return 2;
    }
    const problem = await denortProblem(Deno.env.get("DENORT_BIN")!);
    if (problem) {
      log.error(problem);
      log.info(
        `hint: point DENORT_BIN at the denort binary of Deno ${Deno.version.deno} for ${target}, or unset it to download the runtime.`,
      );
      return 2;
    }
    targets = [target];
    log.info(`DENORT_BIN is set: building ${target} only, with ${Deno.env.get("DENORT_BIN")}`);
  }
  await Deno.mkdir(join(PROJECT_ROOT, "dist"), { recursive: true });
  for (const target of targets) {
    const output = outputPath(target);
    log.info(`compiling ${target} -> ${output}`);
    await compileTarget(target, output);
  }
  log.success(`${targets.length} executable(s) in ${join(PROJECT_ROOT, "dist")}`);
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    log.error(error instanceof Error ? error.message : String(error));
    const details = (error as { details?: string }).details;
    if (details) log.info(details);
    const hint = (error as { hint?: string }).hint;
    if (hint) log.info(`hint: ${hint}`);
    Deno.exit(1);
  }
}
