/**
 * Checks of `all` that are about combinations of settings and results rather than one stage:
 * `--release` with a generator whose SDK has no version (refused in the check stage, before
 * anything is generated), and a pin of a commit that no remote has (said in the summary and JSON).
 */
import { usageError } from "../core/errors.ts";
import { gitOutput, short } from "../git/git.ts";
import type { Generator } from "../generate/types.ts";

/**
 * `--release` pins `[project].version` of the generated SDK: refused when it will have none, that
 * is when the generator writes none and the SDK clone does not keep its own pyproject.toml
 * (`preserve: [pyproject.toml]`, docs/all.md).
 */
export function checkReleasable(
  generator: Generator,
  release: boolean,
  preserve: readonly string[],
): void {
  if (!release || !generator.versionless) return;
  if (preserve.some((path) => path.replace(/^\.?\//, "") === "pyproject.toml")) return;
  throw usageError(
    `--release pins the [project].version of the generated SDK, but ${generator.name} generates none: ${generator.versionless}`,
    "Pin the generated commit instead (drop --release, or set `release: false`); or keep the SDK's own " +
      "pyproject.toml with its version (--preserve pyproject.toml); or choose a generator whose SDK has " +
      "[project].version (--generator stainful or stainless). Nothing was started.",
  );
}

/** Is `commit` in any remote-tracking branch of the clone (as far as its last fetch knows)? */
export async function onSomeRemote(repo: string, commit: string): Promise<boolean> {
  const refs = await gitOutput(repo, [
    "for-each-ref",
    "--contains",
    commit,
    "--format=%(refname)",
    "refs/remotes/",
  ]);
  return refs.trim() !== "";
}

/** What to tell about a pinned commit that only the local clone has (`file` pins it). */
export function unpublishedPinWarning(
  repo: string,
  commit: string,
  file = "pyproject.toml",
): string {
  return `${file} pins ${short(commit)}, which is only in the local SDK clone ${repo} ` +
    `(--no-auto-merge pushes nothing): installing the trace repository fails until that commit ` +
    `is pushed; run without --no-auto-merge to push it to the mirror branch.`;
}
