/**
 * Recognizes what `publish` commits on top of the SDK's default branch (publish.ts): one commit
 * with one parent that changes only `CHANGELOG.md` (added or edited) and the version literal of
 * the version files (lib/pin/version_files.ts). The origin stamp's "intact" rule (lib/provenance/intact.ts)
 * looks through such commits, so a release does not count as a hand edit of the generated tree.
 *
 * It is recognized by what it changes, not by its message: each version file must be exactly its
 * parent's text with the new version written in (`withVersion`), so a commit that also edits
 * anything else in those files, or any other file, is not a release commit. Nothing is written.
 */
import { CodegenError } from "../core/errors.ts";
import { git, gitOutput } from "../git/git.ts";
import { type Format, type Language, versionFileFormat } from "../pin/version_files.ts";

export const CHANGELOG = "CHANGELOG.md";

export interface ReleaseChange {
  /** The commit the release was made on. */
  parent: string;
  /** The version the version files say after it (undefined: only the changelog changed). */
  version?: string;
}

/** One entry of `git diff-tree --raw`: modes, status and path. */
interface RawChange {
  oldMode: string;
  newMode: string;
  status: string;
  path: string;
}

async function rawChanges(repo: string, parent: string, commit: string): Promise<RawChange[]> {
  const output = await gitOutput(
    repo,
    ["diff-tree", "-r", "-z", "--raw", "--no-renames", "--no-commit-id", parent, commit],
    { what: `compare ${commit} with its parent in ${repo}` },
  );
  const parts = output.split("\0");
  const changes: RawChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const [oldMode, newMode, , , status] = parts[i].replace(/^:/, "").split(" ");
    changes.push({ oldMode, newMode, status, path: parts[i + 1] });
  }
  return changes;
}

async function textAt(repo: string, commit: string, path: string): Promise<string> {
  return (await git(repo, ["cat-file", "blob", `${commit}:${path}`], {
    what: `read ${path} of ${commit}`,
  })).stdout;
}

/** The parent of a commit with exactly one parent; undefined for a root or a merge commit. */
async function onlyParent(repo: string, commit: string): Promise<string | undefined> {
  const line = await gitOutput(repo, ["rev-list", "--parents", "-n", "1", commit]);
  const [, ...parents] = line.split(" ");
  return parents.length === 1 ? parents[0] : undefined;
}

/** The version `after` sets when it is `before` with only its version literal changed. */
function sameButVersion(
  format: Format,
  path: string,
  before: string,
  after: string,
): string | undefined {
  try {
    const version = format.read(after, path);
    if (version === undefined || format.read(before, path) === undefined) return undefined;
    return format.write(before, version, path) === after ? version : undefined;
  } catch (error) {
    // A file that does not parse, or whose version cannot be edited, is no release edit.
    if (error instanceof CodegenError) return undefined;
    throw error;
  }
}

/**
 * The release `commit` of `repo` is, if it is one (see the module comment): its parent and the
 * version it sets. Undefined when it changes anything else.
 */
export async function releaseChangeOf(
  repo: string,
  commit: string,
  language: Language,
): Promise<ReleaseChange | undefined> {
  const parent = await onlyParent(repo, commit);
  if (!parent) return undefined;
  const changes = await rawChanges(repo, parent, commit);
  if (changes.length === 0) return undefined;
  const versions = new Set<string>();
  for (const change of changes) {
    if (change.path === CHANGELOG) {
      const fileKept = change.status === "M" && change.oldMode === change.newMode;
      const fileAdded = change.status === "A" && change.newMode === "100644";
      if (!fileKept && !fileAdded) return undefined;
      continue;
    }
    const format = versionFileFormat(change.path, language);
    if (!format || change.status !== "M" || change.oldMode !== change.newMode) return undefined;
    const [before, after] = await Promise.all([
      textAt(repo, parent, change.path),
      textAt(repo, commit, change.path),
    ]);
    const version = sameButVersion(format, change.path, before, after);
    if (version === undefined) return undefined;
    versions.add(version);
  }
  if (versions.size > 1) return undefined; // a release writes one version everywhere
  return { parent, version: [...versions][0] };
}
