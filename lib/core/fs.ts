/** File helpers: atomic writes (temp file + rename) with errors that say which path and why. */
import { basename, dirname, join } from "./paths.ts";
import { CodegenError, messageOf } from "./errors.ts";
import { onCleanup, registerCleanup } from "./cleanup.ts";

export interface WriteOptions {
  /** What the file is, for error messages ("OpenAPI spec"). */
  what?: string;
  /** The setting that chose the path, named in errors (see PathSetting). */
  setting?: PathSetting;
}

/** Which setting chose a path, for error messages. */
export interface PathSetting {
  /**
   * Where its value was given ("-o", "tools/codegen/generate_config.yaml:3"); undefined when it is
   * the default (nobody chose it: the message does not say "set by").
   */
  origin?: string;
  /** How to choose another path ("--openapi-output, or openapi_output in the config file"). */
  change: string;
}

/**
 * Writes `content` to `path` so that readers see either the old file or the whole new one,
 * never a truncated one: write a temporary file beside it, then rename over it. File mode of an
 * existing file is kept.
 */
export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  options: WriteOptions = {},
): Promise<void> {
  // A symlinked file (a shared pyproject.toml, say) is written through: the link stays a link.
  path = await followSymlink(path);
  const dir = dirname(path);
  const what = options.what ?? "file";
  const via = options.setting?.origin ? ` (set by ${options.setting.origin})` : "";
  const another = options.setting
    ? `choose another path (${options.setting.change})`
    : "choose another output path";
  try {
    const info = await Deno.stat(dir);
    if (!info.isDirectory) {
      throw new CodegenError(`cannot write ${what} ${path}: ${dir} is not a directory${via}`, {
        hint: `Make ${dir} a directory, or ${another} inside an existing directory.`,
      });
    }
  } catch (error) {
    if (error instanceof CodegenError) throw error;
    if (error instanceof Deno.errors.NotFound) {
      throw new CodegenError(
        `cannot write ${what} ${path}: directory ${dir} does not exist${via}`,
        { hint: `Create it (mkdir -p ${dir}), or ${another}.` },
      );
    }
    throw error;
  }
  let mode: number | undefined;
  try {
    mode = (await Deno.stat(path)).mode ?? undefined;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const temp = join(dir, `.${basename(path)}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`);
  const unregister = onCleanup(`temporary file ${temp}`, () => removeIfExists(temp));
  try {
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    await Deno.writeFile(temp, bytes, { mode: mode !== undefined ? mode & 0o7777 : undefined });
    await Deno.rename(temp, path);
  } catch (error) {
    await removeIfExists(temp);
    throw fsError(error, {
      doing: `write ${what} ${path}`,
      dir,
      via,
      alternative: inTempDir(dir) ?? (options.setting && `or ${another}`),
    });
  } finally {
    unregister();
  }
}

export interface FsErrorContext {
  /** What failed, after "cannot": "write OpenAPI spec /x/openapi.json". */
  doing: string;
  /** The directory that was written in (named in the hints). */
  dir: string;
  /** " (set by --openapi-output)": which setting chose the path. */
  via?: string;
  /** What else the user can do, appended to the hint ("or set TMPDIR"). */
  alternative?: string;
}

/**
 * A directory to look at in a hint (`df -h`, `ls -ld`): `dir` itself, unless it is gone by the
 * time the user reads the hint (this run's temporary directories are removed on exit): then the
 * first ancestor that exists (outside those), which is on the same file system or names why not.
 */
function lookAt(dir: string): string {
  const own = [...runTempDirs].find((t) => dir === t || dir.startsWith(`${t}/`));
  let path = own ? dirname(own) : dir;
  while (path !== dirname(path) && !existsSync(path)) path = dirname(path);
  return path;
}

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return false;
    }
    return true; // there, but not ours to look into (permission denied): still the place to check
  }
}

/**
 * A file-system error as a message that says what to do: a read-only file system, a full disk or
 * quota, permission denied (also an immutable file, `chattr +i`); anything else with the OS's own
 * words. Writers call it so that no raw OS error reaches the user.
 */
export function fsError(error: unknown, context: FsErrorContext): CodegenError {
  if (error instanceof CodegenError) return error;
  const { doing, dir } = context;
  const via = context.via ?? "";
  const code = (error as { code?: string } | undefined)?.code;
  const or = context.alternative ?? "or choose another path";
  const look = lookAt(dir);
  // What this write did, no more: the stages before it may have written (the run's report says).
  const unchanged = "This write did not happen, and left no temporary file.";
  const fail = (why: string, hint: string) =>
    new CodegenError(`cannot ${doing}: ${why}${via}`, { hint, cause: error });
  switch (code) {
    case "EROFS":
      return fail(
        `${dir} is on a read-only file system`,
        `Remount that file system read-write, ${or}. ${unchanged}`,
      );
    case "ENOSPC":
      return fail(
        `no space left on the device holding ${dir}`,
        `Free some space there (df -h ${look}) and run again, ${or}. ${unchanged}`,
      );
    case "EDQUOT":
      return fail(
        `disk quota exceeded in ${dir}`,
        `Free some of your quota (quota -s) and run again, ${or}. ${unchanged}`,
      );
  }
  if (error instanceof Deno.errors.PermissionDenied || code === "EACCES" || code === "EPERM") {
    return fail(
      "permission denied",
      `Make ${dir} and the file writable for you (ls -ld ${look}; chmod u+w, or chattr -i if it is immutable), ${or}.`,
    );
  }
  return fail(messageOf(error), `${unchanged} Check ${dir} (ls -ld ${look}; df -h ${look}).`);
}

/** A temporary directory of the run (see makeTempDir). */
export interface TempDir {
  path: string;
  /** Removes it, once: whoever asks first (this run, or the clean-up of a signal) does it. */
  remove(): Promise<void>;
}

const TMPDIR_ADVICE = "or point TMPDIR at a directory with room";
/** The system's temporary directories this run made: there, the user's choice is TMPDIR. */
const systemTempDirs = new Set<string>();
/** Every temporary directory this run made (removed when it ends). */
const runTempDirs = new Set<string>();

/** The alternative a failed write in `dir` has when `dir` is in one of those (else undefined). */
function inTempDir(dir: string): string | undefined {
  const inside = [...systemTempDirs].some((t) => dir === t || dir.startsWith(`${t}/`));
  return inside ? TMPDIR_ADVICE : undefined;
}

/**
 * A new temporary directory (in `dir`, default the system's), removed by `remove()` or by the
 * clean-up when the run is interrupted. A full or read-only location gives an error that says
 * what to do.
 */
export async function makeTempDir(
  prefix: string,
  what: string,
  dir?: string,
): Promise<TempDir> {
  let path: string;
  try {
    path = await Deno.makeTempDir({ prefix, dir });
  } catch (error) {
    throw fsError(error, {
      doing: `create a temporary directory for ${what}`,
      dir: dir ?? (Deno.env.get("TMPDIR") || "/tmp"),
      alternative: dir ? undefined : TMPDIR_ADVICE,
    });
  }
  if (!dir) systemTempDirs.add(path);
  runTempDirs.add(path);
  const cleanup = registerCleanup(`temporary directory ${path}`, () => removeIfExists(path));
  return { path, remove: cleanup.run };
}

/** A write refused by the file system: read-only, full, over quota, or not permitted. */
export function isWriteFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof Deno.errors.PermissionDenied ||
    ["EROFS", "ENOSPC", "EDQUOT", "EACCES", "EPERM"].includes(code as string);
}

/** The file a symlink points to (resolved fully); `path` itself when it is not a symlink. */
async function followSymlink(path: string): Promise<string> {
  try {
    if (!(await Deno.lstat(path)).isSymlink) return path;
    return await Deno.realPath(path);
  } catch (error) {
    // A new file or a dangling link; or a parent that is not a directory (reported below).
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return path;
    }
    throw error;
  }
}

export async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    // A parent that is a file: nothing can exist there either.
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw error;
  }
}

/** Reads a text file; a missing file gives a CodegenError naming it and `source`. */
export async function readTextFile(path: string, what: string, hint?: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new CodegenError(`${what} not found: ${path}`, { hint });
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new CodegenError(`${what} ${path} is a directory, not a file`, { hint });
    }
    throw new CodegenError(`cannot read ${what} ${path}: ${messageOf(error)}`, {
      hint,
      cause: error,
    });
  }
}
