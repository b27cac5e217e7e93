/**
 * The stamp's `tree` hash: what "the generated tree is intact" means.
 *
 * It is the sha256 of `git ls-tree -r -z --full-tree <tree>`, every entry (mode, type, object id,
 * path) except the stamp itself, the spec copy beside it (its bytes are the stamp's spec hash,
 * part of the inputs key) and the `kept` paths (`preserve`: files a local generator keeps from
 * main, which people edit on purpose). Git's object ids are content hashes, so any change to
 * any generated file, an added or a deleted file, or a changed file mode changes it; the order is
 * git's, so it does not depend on the file system. It is read from git objects only (no work
 * tree, nothing written), which makes the check on `main` one `git ls-tree`.
 */
import { git } from "../git/git.ts";
import { type Sha256Ref, sha256Ref, SPEC_COPY_PATH, STAMP_PATH } from "./stamp.ts";

/** Is `path` (repo-relative) `prefix` itself or inside it? */
function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** A `preserve` entry as a clean repo-relative path (`./a/b/` → `a/b`). */
export function cleanPath(path: string): string {
  return path.trim().replace(/^\.\//, "").replace(/\/+$/, "");
}

/** `preserve` entries as the stamp records them: clean paths, sorted, no duplicates or empties. */
export function keptPathsOf(paths: readonly string[]): string[] {
  return [...new Set(paths.map(cleanPath).filter(Boolean))].sort();
}

/** The tree hash of `treeish` (a commit or tree of `repo`), without `.codegen/` files and `kept`. */
export async function generatedTreeHash(
  repo: string,
  treeish: string,
  kept: readonly string[] = [],
): Promise<Sha256Ref> {
  const listing = await git(repo, ["ls-tree", "-r", "-z", "--full-tree", treeish], {
    what: `list the files of ${treeish} in ${repo}`,
  });
  const excluded = [STAMP_PATH, SPEC_COPY_PATH, ...kept.map(cleanPath).filter(Boolean)];
  const entries = listing.stdout.split("\0").filter((entry) => {
    if (!entry) return false;
    const path = entry.slice(entry.indexOf("\t") + 1);
    return !excluded.some((prefix) => isUnder(path, prefix));
  });
  return await sha256Ref(entries.map((entry) => `${entry}\0`).join(""));
}
