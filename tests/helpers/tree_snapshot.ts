/** Byte-level snapshots of directories (including .git) and of a repository's refs. */
import { join } from "node:path";
import { run } from "../../lib/os/process.ts";
import { sha256Hex } from "../../lib/core/sha256.ts";

/** Every file and symlink under `dir`: relative path → sha256 of its bytes (or link target). */
export async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  async function walk(relative: string): Promise<void> {
    const full = relative ? join(dir, relative) : dir;
    const entries: Deno.DirEntry[] = [];
    for await (const entry of Deno.readDir(full)) entries.push(entry);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory) {
        result[`${path}/`] = "dir";
        await walk(path);
      } else if (entry.isSymlink) {
        result[path] = `-> ${await Deno.readLink(join(dir, path))}`;
      } else {
        result[path] = await sha256Hex(await Deno.readFile(join(dir, path)));
      }
    }
  }
  await walk("");
  return result;
}

/** `git for-each-ref` (every ref, with its object) plus HEAD. */
export async function refsOf(repo: string): Promise<string> {
  const refs = await run("git", ["for-each-ref", "--format=%(objectname) %(refname)"], {
    cwd: repo,
  });
  const head = await run("git", ["symbolic-ref", "-q", "HEAD"], { cwd: repo, check: false });
  return `${refs.stdout}HEAD ${head.stdout.trim()}\n`;
}

/** Files and refs of each directory, for before/after comparisons. */
export async function snapshotRepos(dirs: string[]): Promise<Record<string, unknown>> {
  const snapshot: Record<string, unknown> = {};
  for (const dir of dirs) {
    snapshot[dir] = { refs: await refsOf(dir), files: await snapshotTree(dir) };
  }
  return snapshot;
}
