/** Directory work for vendoring: finding the package in a generator's output, copying a tree. */
import { CodegenError, usageError } from "../core/errors.ts";
import { join } from "../core/paths.ts";
import type { VendorLayout } from "./presets.ts";

/** The top level of a directory for messages: `README.md, setup.py, weave_server_sdk/`. */
export async function describeTopLevel(dir: string): Promise<string> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    names.push(entry.isDirectory ? `${entry.name}/` : entry.name);
  }
  return names.length ? names.sort().join(", ") : "(empty)";
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw error;
  }
}

/** Directories of `dir` matching the relative pattern (`*` stands for exactly one name). */
async function matchDirs(dir: string, parts: string[]): Promise<string[]> {
  if (parts.length === 0) return [""];
  const [head, ...rest] = parts;
  const names: string[] = [];
  if (head === "*") {
    for await (const entry of Deno.readDir(dir)) if (entry.isDirectory) names.push(entry.name);
  } else if (await isDirectory(join(dir, head))) {
    names.push(head);
  }
  const found: string[] = [];
  for (const name of names.sort()) {
    for (const tail of await matchDirs(join(dir, name), rest)) {
      found.push(tail ? `${name}/${tail}` : name);
    }
  }
  return found;
}

/**
 * The package's directory in the generator's output (relative to `generatedDir`). Missing (or,
 * with `*`, ambiguous) is a usage error naming the generator's actual top-level layout: most often
 * the package name does not match what the generator wrote.
 */
export async function selectSubtree(generatedDir: string, layout: VendorLayout): Promise<string> {
  if (!(await isDirectory(generatedDir))) {
    throw new CodegenError(`the generated output ${generatedDir} is not a directory`);
  }
  const found = await matchDirs(generatedDir, layout.subtree.split("/"));
  if (found.length === 1) return found[0];
  const what = `${layout.generator}'s ${layout.target} output`;
  const top = await describeTopLevel(generatedDir);
  if (found.length === 0) {
    throw usageError(
      `${what} has no ${layout.subtree}/ to vendor (its top level: ${top})`,
      "Check the target's package_name: the generator names the package directory after it.",
    );
  }
  throw usageError(
    `${what} has several directories matching ${layout.subtree}: ${found.join(", ")}`,
    "Generate one SDK per output directory.",
  );
}

/**
 * Copies the tree `from` into the existing empty directory `to`: files with their permission
 * bits, symbolic links as links (never followed), directories. `skip` (relative paths) leaves an
 * entry out, e.g. output hygiene.
 */
export async function copyTree(
  from: string,
  to: string,
  skip: (path: string) => boolean = () => false,
  prefix = "",
): Promise<void> {
  for await (const entry of Deno.readDir(join(from, prefix))) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (skip(path)) continue;
    const source = join(from, path);
    const target = join(to, path);
    if (entry.isSymlink) {
      await Deno.symlink(await Deno.readLink(source), target);
    } else if (entry.isDirectory) {
      await Deno.mkdir(target);
      await copyTree(from, to, skip, path);
    } else if (entry.isFile) {
      await Deno.copyFile(source, target);
      await Deno.chmod(target, ((await Deno.stat(source)).mode ?? 0o644) & 0o777);
    } else {
      throw new CodegenError(`cannot vendor ${source}: not a file, directory or symbolic link`);
    }
  }
}
