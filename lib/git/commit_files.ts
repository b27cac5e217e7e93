/**
 * A commit that adds (or replaces) a few files on top of another commit, and can leave some out,
 * made with git plumbing in a temporary index: the clone's index, work tree and branches are not
 * touched. Used to add the origin stamp to a commit fetched from the hosted generator (without
 * the bytecode and caches it may hold) before local main moves to it, and for a release's commit
 * of its version files (lib/release/publish.ts).
 */
import { makeTempDir } from "../core/fs.ts";
import { join } from "../core/paths.ts";
import { git, gitOutput, resolveCommit, treeOf } from "./git.ts";
import { commitIdentityEnv } from "./identity.ts";

/**
 * The tree of `base` (a commit or tree) with `files` (repo-relative path → text or bytes) in it,
 * and without the paths in `remove`. A file that `base` has keeps its mode (an executable stays
 * one); a new file is 100644.
 */
export async function treeWithFiles(
  repo: string,
  base: string,
  files: Record<string, string | Uint8Array>,
  remove: readonly string[] = [],
): Promise<string> {
  const temp = await makeTempDir("codegen-index-", "a temporary git index");
  const dir = temp.path;
  try {
    const env = { GIT_INDEX_FILE: join(dir, "index") };
    await git(repo, ["read-tree", base], { env, what: `read the tree of ${base}` });
    const modes = await blobModes(repo, base, Object.keys(files));
    if (remove.length) {
      // On stdin, NUL-separated: any number of paths, any characters in them.
      await git(repo, ["update-index", "--force-remove", "-z", "--stdin"], {
        env,
        input: remove.map((path) => `${path}\0`).join(""),
        what: `remove ${remove.length} path(s) from the tree`,
      });
    }
    for (const [path, content] of Object.entries(files)) {
      // --no-filters: the bytes as given, whatever the clone's attributes say about the path.
      const blob = await gitOutput(repo, ["hash-object", "-w", "--no-filters", "--stdin"], {
        input: content,
        what: `store ${path}`,
      });
      const mode = modes.get(path) ?? "100644";
      await git(repo, ["update-index", "--add", "--cacheinfo", `${mode},${blob},${path}`], {
        env,
        what: `add ${path}`,
      });
    }
    return await gitOutput(repo, ["write-tree"], { env, what: "write the tree" });
  } finally {
    await temp.remove();
  }
}

/** The modes of those of `paths` that are files (blobs) in `base`. */
async function blobModes(
  repo: string,
  base: string,
  paths: string[],
): Promise<Map<string, string>> {
  if (paths.length === 0) return new Map();
  const listed = await gitOutput(repo, ["ls-tree", "-z", base, "--", ...paths], {
    what: `list ${paths.join(", ")} in ${base}`,
  });
  const modes = new Map<string, string>();
  for (const entry of listed.split("\0").filter(Boolean)) {
    const [info, path] = entry.split("\t");
    const [mode, type] = info.split(" ");
    if (type === "blob") modes.set(path, mode);
  }
  return modes;
}

/**
 * A commit on top of `parent` whose tree is the parent's plus `files`, without `remove`. When
 * `reuse` (say, the current main) already is exactly that (same parent, same tree), it is
 * returned instead, so that doing the same twice makes no new commit.
 */
export async function commitFilesOnTop(
  repo: string,
  parent: string,
  files: Record<string, string | Uint8Array>,
  message: string,
  reuse?: string,
  remove: readonly string[] = [],
): Promise<string> {
  const tree = await treeWithFiles(repo, parent, files, remove);
  if (reuse && (await resolveCommit(repo, `${reuse}^`)) === parent) {
    if ((await treeOf(repo, reuse)) === tree) return reuse;
  }
  return await gitOutput(repo, ["commit-tree", tree, "-p", parent, "-F", "-"], {
    input: message,
    env: await commitIdentityEnv(repo),
    what: `commit ${Object.keys(files).join(", ")} on top of ${parent}`,
  });
}
