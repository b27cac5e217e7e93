/**
 * The git objects of a release, made with plumbing only (by codegen's commit identity,
 * lib/git/identity.ts): a commit of some changed files on top
 * of a given commit (through a temporary index), and an annotated tag object. The clone's
 * worktree, index, HEAD and refs are never touched; the objects become visible only when pushed.
 */
import { makeTempDir } from "../core/fs.ts";
import { join } from "../core/paths.ts";
import { git, gitOutput } from "../git/git.ts";
import { commitIdentityEnv } from "../git/identity.ts";

/** A commit whose tree is `parent`'s with `files` (path → content) replaced or added. */
export async function commitFiles(
  repo: string,
  parent: string,
  files: Record<string, string>,
  message: string,
): Promise<string> {
  const { path: dir, remove } = await makeTempDir("codegen-release-index-", "the release index");
  try {
    const env = { GIT_INDEX_FILE: join(dir, "index") };
    await git(repo, ["read-tree", parent], { env });
    for (const [path, content] of Object.entries(files)) {
      const listed = await gitOutput(repo, ["ls-tree", parent, "--", path]);
      const mode = listed.split(" ")[0] || "100644";
      const blob = await gitOutput(repo, ["hash-object", "-w", "--no-filters", "--stdin"], {
        input: content,
      });
      await git(repo, ["update-index", "--add", "--cacheinfo", `${mode},${blob},${path}`], { env });
    }
    const tree = await gitOutput(repo, ["write-tree"], { env });
    return await gitOutput(repo, ["commit-tree", tree, "-p", parent, "-F", "-"], {
      input: message,
      env: await commitIdentityEnv(repo),
      what: "create the release commit",
    });
  } finally {
    await remove();
  }
}

/** An annotated tag object `name` pointing at `commit` (no ref is created). */
export async function createTagObject(
  repo: string,
  commit: string,
  name: string,
  message: string,
): Promise<string> {
  const env = await commitIdentityEnv(repo);
  const tagger = await gitOutput(repo, ["var", "GIT_COMMITTER_IDENT"], { env });
  const content = `object ${commit}\ntype commit\ntag ${name}\ntagger ${tagger}\n\n${message}\n`;
  return await gitOutput(repo, ["mktag"], { input: content, what: `create the tag ${name}` });
}

/** Commits of `range` (newest first): abbreviated sha and subject. */
export async function commitsIn(
  repo: string,
  range: string[],
): Promise<{ sha: string; subject: string }[]> {
  const output = await gitOutput(repo, ["log", "--no-merges", "--format=%H%x09%s", ...range]);
  return output.split("\n").filter(Boolean).map((line) => {
    const [sha, ...subject] = line.split("\t");
    return { sha, subject: subject.join("\t") };
  });
}
