/**
 * Is a generation needed? Reads the stamp on a commit (local `main` of an SDK clone, or a pinned
 * commit) and compares it with the inputs of the generation about to run.
 *
 * Up to date means both:
 *   - the stamp's `inputs` key equals the key of the current inputs (same spec and config bytes,
 *     same generator and version, same generator config, groups, codegen version), and
 *   - the commit's tree is intact: its tree hash (tree.ts, every file but the stamp and the kept
 *     paths) equals the stamp's `tree`, so nobody edited, added or deleted a generated file since.
 */
import { CodegenError, messageOf } from "../core/errors.ts";
import { git, short } from "../git/git.ts";
import {
  inputsKey,
  type OriginStamp,
  parseStamp,
  type Sha256Ref,
  STAMP_PATH,
  type StampFields,
  type StampInputs,
} from "./stamp.ts";
import { generatedTreeHash } from "./tree.ts";

export type StampAt =
  | { kind: "stamp"; stamp: OriginStamp }
  | { kind: "missing" }
  | { kind: "invalid"; problem: string };

/** The stamp in `commit` of `repo` (one `git cat-file --batch`, nothing written). */
export async function readStampAt(repo: string, commit: string): Promise<StampAt> {
  const result = await git(repo, ["cat-file", "--batch"], {
    input: `${commit}:${STAMP_PATH}\n`,
    what: `read ${STAMP_PATH} of ${short(commit)} in ${repo}`,
  });
  const newline = result.stdout.indexOf("\n");
  const header = result.stdout.slice(0, newline).split(" ");
  if (header[1] !== "blob") return { kind: "missing" };
  const size = Number(header[2]);
  const bytes = new TextEncoder().encode(result.stdout.slice(newline + 1));
  const text = new TextDecoder().decode(bytes.slice(0, size));
  try {
    return { kind: "stamp", stamp: parseStamp(text, `${STAMP_PATH} of ${short(commit)}`) };
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    return { kind: "invalid", problem: messageOf(error) };
  }
}

/** What differs between a stamp and the current inputs, one phrase each ("the spec (path)"). */
export function inputChanges(stamp: OriginStamp, inputs: StampInputs): string[] {
  const changes: string[] = [];
  for (
    const [what, file] of [["spec", inputs.spec], ["Stainless config", inputs.config]] as const
  ) {
    if (!(file.path in stamp.files)) {
      changes.push(`the ${what} path (${file.path} is not in the stamp)`);
    } else if (stamp.files[file.path] !== file.sha256) {
      changes.push(`the ${what} (${file.path})`);
    }
  }
  const fields = Object.keys(inputs.fields) as (keyof StampFields)[];
  for (const field of fields) {
    const was = JSON.stringify(stamp.codegen[field] ?? null);
    const now = JSON.stringify(inputs.fields[field]);
    if (was !== now) {
      changes.push(was.length + now.length < 80 ? `${field} ${was} → ${now}` : field);
    }
  }
  return changes;
}

export type Freshness =
  | { upToDate: true; key: Sha256Ref; reason: string }
  | { upToDate: false; key: Sha256Ref; reason: string };

/** A commit's stamp and (when it has one) its tree hash: what a skip decision reads from git. */
export interface StampedCommit {
  /** Undefined when the branch does not exist yet. */
  commit?: string;
  found?: StampAt;
  /** The tree hash of the commit (tree.ts), computed only when there is a stamp. */
  tree?: Sha256Ref;
}

/** Reads the stamp on `commit` and its tree hash without `kept` (two git reads). */
export async function readStampedCommit(
  repo: string,
  commit: string | undefined,
  kept: readonly string[],
): Promise<StampedCommit> {
  if (!commit) return {};
  const found = await readStampAt(repo, commit);
  if (found.kind !== "stamp") return { commit, found };
  return { commit, found, tree: await generatedTreeHash(repo, commit, kept) };
}

/**
 * Is the stamped commit up to date with `inputs`? Yes when the stamp's inputs key equals theirs
 * and its tree is intact (its tree hash equals the stamp's `tree`).
 */
export async function freshness(state: StampedCommit, inputs: StampInputs): Promise<Freshness> {
  const key = await inputsKey(inputs);
  const { commit, found } = state;
  if (!commit || !found) return { upToDate: false, key, reason: "main does not exist yet" };
  if (found.kind === "missing") {
    return { upToDate: false, key, reason: `main (${short(commit)}) has no ${STAMP_PATH}` };
  }
  if (found.kind === "invalid") return { upToDate: false, key, reason: found.problem };
  const { stamp } = found;
  if (stamp.codegen.inputs !== key) {
    const changes = inputChanges(stamp, inputs);
    return {
      upToDate: false,
      key,
      reason: `inputs changed since main (${short(commit)}) was generated: ${
        changes.length ? changes.join(", ") : "the inputs key"
      }`,
    };
  }
  if (state.tree !== stamp.codegen.tree) {
    return {
      upToDate: false,
      key,
      reason: `main (${short(commit)}) was changed after it was generated (its files differ ` +
        `from the stamp's tree hash)`,
    };
  }
  return {
    upToDate: true,
    key,
    reason: `main (${short(commit)}) was generated from the same inputs (${
      key.slice(0, 19)
    }…) and is intact`,
  };
}

/** `readStampedCommit`, then `freshness`. `kept`: the paths the tree hash leaves out. */
export async function compareStamp(
  repo: string,
  commit: string | undefined,
  inputs: StampInputs,
  kept: readonly string[],
): Promise<Freshness> {
  return await freshness(await readStampedCommit(repo, commit, kept), inputs);
}
