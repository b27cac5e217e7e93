/**
 * Output hygiene: files a generator (or a post_generate hook, or the interpreter it runs) leaves
 * behind that never belong in an SDK repository: bytecode, tool caches, OS litter, installed
 * dependencies. stainful, for one, copies its runtime with the `__pycache__` pip compiled.
 *
 * Local generators' trees are staged without them (git pathspecs, `junkPathspecs`, where the
 * tree is staged: commitDirectoryOnMain). A hosted commit (made by Stainless from a repository
 * whose .gitignore lists them: wandb/weave-stainless has none in 238 commits) gets them removed
 * in the commit that adds the origin stamp (`junkIn`, provenance.ts stampFetchedCommit); a
 * vendored copy is copied without them (`isJunkPath`).
 */

/** Directories left out wherever they are (their whole content). */
export const JUNK_DIRECTORIES = [
  "__pycache__",
  ".pytest_cache",
  ".mypy_cache",
  ".ruff_cache",
  ".pytype",
  ".hypothesis",
  ".tox",
  ".nox",
  ".ipynb_checkpoints",
  "node_modules",
  "*.egg-info",
] as const;

/** Files left out wherever they are, by name or by extension (`*.pyc`). */
export const JUNK_FILES = [".DS_Store", "Thumbs.db", "*.pyc", "*.pyo"] as const;

/** A name against `name` or `*.ext`. */
function matches(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => p.startsWith("*.") ? name.endsWith(p.slice(1)) : name === p);
}

/** Whether a path (relative, `/`-separated) is junk: a junk file, or inside a junk directory. */
export function isJunkPath(path: string): boolean {
  const parts = path.split("/").filter(Boolean);
  if (parts.slice(0, -1).some((dir) => matches(dir, JUNK_DIRECTORIES))) return true;
  return matches(parts[parts.length - 1] ?? "", JUNK_FILES);
}

/** Git pathspecs that leave the junk out of `git add --all .` (at any depth). */
export function junkPathspecs(): string[] {
  return [
    ...JUNK_DIRECTORIES.map((dir) => `:(exclude,glob)**/${dir}/**`),
    ...JUNK_FILES.map((file) => `:(exclude,glob)**/${file}`),
  ];
}

/** The junk under `dir` (relative paths, sorted), for telling the user what was left out. */
export async function findJunk(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) {
      if (matches(entry.name, JUNK_DIRECTORIES)) found.push(`${path}/`);
      else found.push(...await findJunk(`${dir}/${entry.name}`, path));
    } else if (isJunkPath(path)) {
      found.push(path);
    }
  }
  return found.sort();
}

/** The junk among a commit's paths (`git ls-tree -r --name-only`): a hosted commit's. */
export function junkIn(paths: readonly string[]): string[] {
  return paths.filter(isJunkPath);
}

/** "__pycache__/ (3), x/.DS_Store": a short list for messages. */
export function describeJunk(paths: readonly string[], limit = 5): string {
  const shown = paths.slice(0, limit).join(", ");
  return paths.length > limit ? `${shown}, … (${paths.length} in all)` : shown;
}
