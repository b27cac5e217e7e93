/** File helpers: atomic writes (temp file + rename) with errors that say which path and why. */
import { basename, dirname, join } from "./paths.ts";
import { CodegenError, messageOf } from "./errors.ts";
import { onCleanup } from "./cleanup.ts";

export interface WriteOptions {
  /** What the file is, for error messages ("OpenAPI spec"). */
  what?: string;
  /** Flag or config key that chose the path, named in errors ("--output-file"). */
  source?: string;
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
  const via = options.source ? ` (set by ${options.source})` : "";
  try {
    const info = await Deno.stat(dir);
    if (!info.isDirectory) {
      throw new CodegenError(`cannot write ${what} ${path}: ${dir} is not a directory${via}`, {
        hint: "Choose an output path inside an existing directory.",
      });
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new CodegenError(
        `cannot write ${what} ${path}: directory ${dir} does not exist${via}`,
        {
          hint: `Create it (mkdir -p ${dir}) or choose another output path.`,
        },
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
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new CodegenError(`cannot write ${what} ${path}: permission denied${via}`, {
        hint: `Make ${dir} writable or choose another output path.`,
      });
    }
    throw new CodegenError(`cannot write ${what} ${path}: ${messageOf(error)}${via}`, {
      cause: error,
    });
  } finally {
    unregister();
  }
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
