/**
 * A local generator's version, asked from the generator itself (`openapi-python-client
 * --version` prints "openapi-python-client version: 0.29.1", `stainful --version` "stainful
 * 0.6.0"), so that upgrading the generator is not taken for "nothing changed".
 *
 * Asking costs a process start (~0.4 s for openapi-python-client, a Python CLI), more than an
 * unchanged `all` may spend in total. So the answer is cached: once per run in memory, and across
 * runs in `$XDG_CACHE_HOME/codegen/generator-versions.json` (default `~/.cache/codegen/`), keyed by
 * the executable's real path, size and modification time and the argv. Installing another version
 * rewrites the executable (pip rewrites a package's scripts on every install), which changes the
 * key. A generator that cannot say its version gets null (the stamp then does not record it).
 *
 * A run that writes nothing (a dry run, `check`) reads the cache and asks the generator when the
 * version is not there, but does not write the answer (`write: false`).
 */
import { join } from "../core/paths.ts";
import { writeFileAtomic } from "../core/fs.ts";
import { log } from "../core/log.ts";
import { CodegenError, messageOf } from "../core/errors.ts";
import { run } from "../os/process.ts";

const MAX_CACHE_ENTRIES = 50;
const inRun = new Map<string, Promise<string | null>>();

/** `X.Y[.Z…]` with an optional pre-release or local part: the version in a `--version` line. */
const VERSION = /\bv?(\d+(?:\.\d+)+(?:[-+.]?[0-9A-Za-z]+)*)\b/;

/** The version in a generator's `--version` output: the first version-like word of its first line. */
export function parseVersionOutput(output: string): string | null {
  const line = output.split("\n").map((l) => l.trim()).find(Boolean);
  if (!line) return null;
  return VERSION.exec(line)?.[1] ?? line.slice(0, 100);
}

/** The cache file, or undefined when there is no cache directory (no HOME). */
export function versionCacheFile(env: Record<string, string | undefined> = Deno.env.toObject()) {
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, ".cache") : undefined);
  return base ? join(base, "codegen", "generator-versions.json") : undefined;
}

async function cacheKey(argv: readonly string[]): Promise<string | undefined> {
  try {
    const path = await Deno.realPath(argv[0]);
    const info = await Deno.stat(path);
    return JSON.stringify([path, info.size, info.mtime?.getTime() ?? 0, ...argv.slice(1)]);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

async function readCache(file: string): Promise<Record<string, string>> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(file));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  } catch (error) {
    // A missing or damaged cache is rebuilt; it only saves time.
    if (error instanceof Deno.errors.NotFound || error instanceof SyntaxError) return {};
    throw error;
  }
}

async function ask(argv: readonly string[], env: Record<string, string>): Promise<string | null> {
  const result = await run(argv[0], argv.slice(1), {
    check: false,
    timeoutMs: 30_000,
    env,
    what: `ask ${argv[0]} its version`,
  });
  if (result.code !== 0) {
    log.verbose(`\`${argv.join(" ")}\` exited ${result.code}: the generator version is not known`);
    return null;
  }
  return parseVersionOutput(result.stdout) ?? parseVersionOutput(result.stderr);
}

export interface VersionOptions {
  /** The environment the generator runs with (its PATH). */
  env?: Record<string, string>;
  /** The cache file (default versionCacheFile(); undefined: no cache). */
  file?: string;
  /** Write a new answer into the cache file (default true; false for runs that write nothing). */
  write?: boolean;
}

/**
 * The version `argv` (an absolute executable and its version flag) prints; cached as described
 * above.
 */
export function generatorVersion(
  argv: readonly string[],
  options: VersionOptions = {},
): Promise<string | null> {
  const file = "file" in options ? options.file : versionCacheFile();
  const write = options.write ?? true;
  const id = JSON.stringify([argv, file, write]);
  let pending = inRun.get(id);
  if (!pending) {
    pending = lookUp(argv, options.env ?? {}, file, write);
    inRun.set(id, pending);
  }
  return pending;
}

async function lookUp(
  argv: readonly string[],
  env: Record<string, string>,
  file: string | undefined,
  write: boolean,
) {
  const key = await cacheKey(argv);
  if (key && file) {
    const cached = (await readCache(file))[key];
    if (typeof cached === "string") return cached;
  }
  const version = await ask(argv, env);
  if (key && file && version && write) {
    try {
      await Deno.mkdir(join(file, ".."), { recursive: true });
      // Re-read: another run may have added entries meanwhile. Old entries (earlier installs)
      // go once there are many.
      const entries = Object.entries({ ...(await readCache(file)), [key]: version });
      const kept = Object.fromEntries(entries.slice(-MAX_CACHE_ENTRIES));
      await writeFileAtomic(file, JSON.stringify(kept, null, 2) + "\n", {
        what: "generator version cache",
      });
    } catch (error) {
      // Only a cache: the version is known for this run anyway.
      const expected = error instanceof CodegenError ||
        error instanceof Deno.errors.PermissionDenied ||
        error instanceof Deno.errors.NotADirectory;
      if (!expected) throw error;
      log.verbose(`could not write ${file}: ${messageOf(error)}`);
    }
  }
  return version;
}
