/**
 * A commit that adds (or replaces) a few files on top of another commit, and can leave some out,
 * made with git plumbing in a temporary index: the clone's index, work tree and branches are not
 * touched. Used to add the origin stamp to a commit fetched from the hosted generator (without
 * the bytecode and caches it may hold) before local main moves to it.
 */
import { onCleanup } from "../core/cleanup.ts";
import { removeIfExists } from "../core/fs.ts";
import { git, gitOutput, resolveCommit, treeOf } from "./git.ts";
import { commitIdentityEnv } from "./identity.ts";

/**
 * The tree of `base` (a commit or tree) with `files` (repo-relative path → text or bytes) in it,
 * and without the paths in `remove`.
 */
export async function treeWithFiles(
  repo: string,
  base: string,
  files: Record<string, string | Uint8Array>,
  remove: readonly string[] = [],
): Promise<string> {
  const index = await Deno.makeTempFile({ prefix: "codegen-index-" });
  await Deno.remove(index); // git wants to create the index itself
  const unregister = onCleanup(`temporary index ${index}`, () => removeIfExists(index));
  try {
    const env = { GIT_INDEX_FILE: index };
    await git(repo, ["read-tree", base], { env, what: `read the tree of ${base}` });
    if (remove.length) {
      // On stdin, NUL-separated: any number of paths, any characters in them.
      await git(repo, ["update-index", "--force-remove", "-z", "--stdin"], {
        env,
        input: remove.map((path) => `${path}\0`).join(""),
        what: `remove ${remove.length} path(s) from the tree`,
      });
    }
    for (const [path, content] of Object.entries(files)) {
      const blob = await gitOutput(repo, ["hash-object", "-w", "--stdin"], {
        input: content,
        what: `store ${path}`,
      });
      await git(repo, ["update-index", "--add", "--cacheinfo", `100644,${blob},${path}`], {
        env,
        what: `add ${path}`,
      });
    }
    return await gitOutput(repo, ["write-tree"], { env, what: "write the tree" });
  } finally {
    await removeIfExists(index);
    unregister();
  }
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
