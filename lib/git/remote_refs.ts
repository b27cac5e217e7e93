/**
 * Whether a commit is on a remote, as far as the clone's remote-tracking refs
 * (`refs/remotes/<remote>/*`, written by its last fetch or push) know. A pin of a commit that no
 * remote has installs nowhere: `all --no-auto-merge`, `update_pyproject` and `check` say so.
 */
import { gitOutput } from "./git.ts";

/** The remote-tracking refs of `remote` (all remotes when undefined) that contain `commit`. */
export async function remoteRefsContaining(
  repo: string,
  commit: string,
  remote?: string,
): Promise<string[]> {
  const refs = await gitOutput(repo, [
    "for-each-ref",
    "--contains",
    commit,
    "--format=%(refname)",
    remote ? `refs/remotes/${remote}/` : "refs/remotes/",
  ]);
  return refs.split("\n").map((line) => line.trim()).filter(Boolean);
}

/** Is `commit` in a remote-tracking branch of `remote` (of any remote when undefined)? */
export async function onRemote(repo: string, commit: string, remote?: string): Promise<boolean> {
  return (await remoteRefsContaining(repo, commit, remote)).length > 0;
}
