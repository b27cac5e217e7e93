/**
 * The content hash of a directory, computed exactly as git computes a tree id (SHA-1 object
 * format, the default), so a copy on disk and the same copy in a commit compare equal:
 * `hashTree(dir).tree` equals `git rev-parse HEAD:<dir>` once the directory is committed as is.
 *
 * The algorithm (git's, restated so it can be checked without git):
 * - every regular file is a blob `sha1("blob " + size + "\0" + bytes)`, with mode `100755` when
 *   its owner-executable bit is set, else `100644` (no other permission bit counts);
 * - a symbolic link is a blob of its target path (mode `120000`); it is never followed;
 * - a directory is a tree: `sha1("tree " + size + "\0" + entries)`, each entry
 *   `<mode> <name>\0<20 raw bytes of the id>` (mode `40000` for a subdirectory), sorted by name
 *   bytes (UTF-8) with a subdirectory's name compared as if it ended in "/";
 * - empty directories contribute nothing (git cannot hold them); nothing else is ignored (output
 *   hygiene is the caller's business: pass `skip`).
 * Names, sizes and bytes are all there is: no time stamps, owners or machine-specific state.
 *
 * Written here rather than spawning `git hash-object`/`git write-tree` per file: it must work on
 * a directory that is in no repository (a staged copy, a temporary generation) without an index.
 */
import { CodegenError } from "../core/errors.ts";
import { join } from "../core/paths.ts";

export type FileMode = "100644" | "100755" | "120000";

/** One file of a tree: its path relative to the root ("/"-separated), mode and blob id. */
export interface TreeFile {
  path: string;
  mode: FileMode;
  blob: string;
}

export interface TreeHash {
  /** The git tree id of the directory (40 hex digits). */
  tree: string;
  /** Every file (blob) in git's order: the paths' UTF-8 bytes, sorted. */
  files: TreeFile[];
}

export interface HashTreeOptions {
  /** Leave this entry out (a relative path; for a directory, everything under it). */
  skip?: (path: string) => boolean;
}

const encoder = new TextEncoder();

async function sha1(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-1", bytes));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function unhex(text: string): Uint8Array {
  return Uint8Array.from(text.match(/../g)!, (pair) => parseInt(pair, 16));
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** git's id of an object of `type` holding `body`. */
async function objectId(type: "blob" | "tree", body: Uint8Array): Promise<string> {
  return hex(await sha1(concat([encoder.encode(`${type} ${body.length}\0`), body])));
}

/** The blob id git gives `content` (`git hash-object`). */
export function blobId(content: Uint8Array): Promise<string> {
  return objectId("blob", content);
}

/** Compares two strings by their UTF-8 bytes (git's order), not by UTF-16 code units. */
export function compareBytes(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

/** Hashes the directory `root` (see the module comment). */
export async function hashTree(root: string, options: HashTreeOptions = {}): Promise<TreeHash> {
  const files = await listFiles(root, "", options.skip ?? (() => false));
  files.sort((a, b) => compareBytes(a.path, b.path));
  return { tree: await treeIdOf(files), files };
}

async function listFiles(
  root: string,
  prefix: string,
  skip: (path: string) => boolean,
): Promise<TreeFile[]> {
  const files: TreeFile[] = [];
  for await (const entry of Deno.readDir(join(root, prefix))) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (skip(path)) continue;
    const full = join(root, path);
    if (entry.isSymlink) {
      files.push({
        path,
        mode: "120000",
        blob: await blobId(encoder.encode(await Deno.readLink(full))),
      });
    } else if (entry.isDirectory) {
      files.push(...await listFiles(root, path, skip));
    } else if (entry.isFile) {
      const mode = ((await Deno.lstat(full)).mode ?? 0) & 0o100 ? "100755" : "100644";
      files.push({ path, mode, blob: await blobId(await Deno.readFile(full)) });
    } else {
      throw new CodegenError(`cannot hash ${full}: not a file, directory or symbolic link`, {
        hint: "Remove it: a vendored tree holds only files, directories and symbolic links.",
      });
    }
  }
  return files;
}

/**
 * The git tree id of a list of files (paths relative to the root). Lets a stamp's file list be
 * checked against the tree id it records.
 */
export async function treeIdOf(files: readonly TreeFile[]): Promise<string> {
  interface Dir {
    files: Map<string, TreeFile>;
    dirs: Map<string, Dir>;
  }
  const top: Dir = { files: new Map(), dirs: new Map() };
  for (const file of files) {
    const parts = file.path.split("/");
    let dir = top;
    for (const part of parts.slice(0, -1)) {
      if (!dir.dirs.has(part)) dir.dirs.set(part, { files: new Map(), dirs: new Map() });
      dir = dir.dirs.get(part)!;
    }
    dir.files.set(parts.at(-1)!, file);
  }
  const hashDir = async (dir: Dir): Promise<string> => {
    const entries: { key: string; bytes: Uint8Array }[] = [];
    for (const [name, file] of dir.files) {
      entries.push({ key: name, bytes: entry(file.mode, name, file.blob) });
    }
    for (const [name, sub] of dir.dirs) {
      entries.push({ key: `${name}/`, bytes: entry("40000", name, await hashDir(sub)) });
    }
    entries.sort((a, b) => compareBytes(a.key, b.key));
    return await objectId("tree", concat(entries.map((e) => e.bytes)));
  };
  return await hashDir(top);
}

function entry(mode: string, name: string, id: string): Uint8Array {
  return concat([encoder.encode(`${mode} ${name}\0`), unhex(id)]);
}
