/**
 * Is a stamped commit **intact**: are its files the ones it was generated with?
 *
 *   - Its tree hash (tree.ts) equals the stamp's `tree`. The paths left out are the ones the
 *     stamp records in `preserve` (what that generation kept from main); a stamp written before
 *     the field existed uses the caller's current `preserve` instead.
 *   - Or it is a release commit of `publish` (lib/release/release_commit.ts: only CHANGELOG.md
 *     and the version literals of the version files changed) on top of a commit that is intact by
 *     these rules. A release is not a hand edit: the skip decision and `check` treat a released
 *     SDK as the generation it released.
 *
 * Read from git objects only; the release rule costs git reads (and loading lib/release's version
 * file readers) only when the tree hash differs.
 */
import { languageOf, SDK_TARGETS, type SdkTarget } from "../config/structured_keys.ts";
import { short } from "../git/git.ts";
import type { OriginStamp } from "./stamp.ts";
import { generatedTreeHash } from "./tree.ts";

/** Releases looked through at most (publish never makes two in a row; this bounds a long walk). */
const MAX_RELEASES = 20;

export interface Intactness {
  intact: boolean;
  /** The release commits looked through, newest first (empty when the commit itself matched). */
  releases: { commit: string; version?: string }[];
}

/** The paths the tree hash of a stamped commit leaves out (see the module comment). */
export function keptPathsFor(stamp: OriginStamp, current: readonly string[]): readonly string[] {
  return stamp.codegen.preserve ?? current;
}

/** Whether `commit` of `repo`, which carries `stamp`, is intact (module comment). */
export async function intactness(
  repo: string,
  commit: string,
  stamp: OriginStamp,
  currentKept: readonly string[],
): Promise<Intactness> {
  const kept = keptPathsFor(stamp, currentKept);
  const target = stamp.codegen.target as SdkTarget;
  const language = SDK_TARGETS.includes(target) ? languageOf(target) : undefined;
  const releases: Intactness["releases"] = [];
  let current = commit;
  while (true) {
    if ((await generatedTreeHash(repo, current, kept)) === stamp.codegen.tree) {
      return { intact: true, releases };
    }
    if (!language || releases.length >= MAX_RELEASES) return { intact: false, releases: [] };
    // Loaded only here: the version files' TOML parser is not needed when the hash matches.
    const { releaseChangeOf } = await import("../release/release_commit.ts");
    const release = await releaseChangeOf(repo, current, language);
    if (!release) return { intact: false, releases: [] };
    releases.push({ commit: current, version: release.version });
    current = release.parent;
  }
}

/** " (release 0.2.0 on top)": what an intact commit's check says about the releases it has. */
export function describeReleases(intact: Intactness): string {
  if (intact.releases.length === 0) return "";
  const names = intact.releases.map((r) => r.version ?? `commit ${short(r.commit)}`);
  return ` (with the release commit${names.length === 1 ? "" : "s"} ${names.join(", ")} on top)`;
}
