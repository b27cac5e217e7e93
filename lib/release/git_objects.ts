/**
 * The git objects of a release, made with plumbing only (by codegen's commit identity,
 * lib/git/identity.ts): an annotated tag object, and the release's commits listed. (The commit of
 * the changed version files is lib/git/commit_files.ts `commitFilesOnTop`.) The clone's worktree,
 * index, HEAD and refs are never touched; the objects become visible only when pushed.
 */
import { gitOutput } from "../git/git.ts";
import { commitIdentityEnv } from "../git/identity.ts";

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
