/**
 * Is a generation needed? Reads the stamp on a commit (local `main` of an SDK clone, or a pinned
 * commit) and compares it with the inputs of the generation about to run.
 *
 * Up to date means both:
 *   - the stamp's `inputs` key equals the key of the current inputs (same spec and config bytes,
 *     same generator and version, same generator config, groups, codegen version), and
 *   - the commit is intact (intact.ts): its tree hash (tree.ts, every file but the stamp and the
 *     kept paths) equals the stamp's `tree`, so nobody edited, added or deleted a generated file
 *     since, or it is a `publish` release commit on top of such a commit.
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
import { describeReleases, type Intactness, intactness } from "./intact.ts";

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
  // Both sides' fields: one a stamp has and the inputs lack (or the reverse) is a change too.
  const derived = new Set(["inputs", "tree", "vendor"]);
  const fields = [...new Set([...Object.keys(inputs.fields), ...Object.keys(stamp.codegen)])]
    .filter((field) => !derived.has(field)) as (keyof StampFields)[];
  for (const field of fields) {
    const was = JSON.stringify(stamp.codegen[field] ?? null);
    const now = JSON.stringify(inputs.fields[field] ?? null);
    if (was !== now) {
      changes.push(was.length + now.length < 80 ? `${field} ${was} → ${now}` : field);
    }
  }
  return changes;
}

/** A stamp against the current inputs, as `check` compares them. */
export interface InputsComparison {
  /** The inputs that differ, one phrase each (inputChanges); empty when the keys are equal. */
  changes: string[];
  /** What could not be compared here, one sentence each. */
  notes: string[];
}

/**
 * Compares a stamp with the current inputs by their inputs key, naming what differs. A local
 * generator that cannot tell its version here (not installed where `check` runs) is compared
 * without its version, which a note says.
 */
export async function compareWithStamp(
  stamp: OriginStamp,
  current: StampInputs,
): Promise<InputsComparison> {
  const notes: string[] = [];
  let inputs = current;
  const stamped = stamp.codegen.generator_version;
  const fields = current.fields;
  if (
    fields.generator_version === null && stamped && stamp.codegen.generator === fields.generator
  ) {
    inputs = { ...current, fields: { ...fields, generator_version: stamped } };
    notes.push(
      `${fields.generator} did not tell its version here (is it installed?): the stamp's ` +
        `generator_version ${JSON.stringify(stamped)} was not compared`,
    );
  }
  if (stamp.codegen.inputs === (await inputsKey(inputs))) return { changes: [], notes };
  const changes = inputChanges(stamp, inputs);
  return { changes: changes.length ? changes : ["the inputs key"], notes };
}

export type Freshness =
  | { upToDate: true; key: Sha256Ref; reason: string }
  | { upToDate: false; key: Sha256Ref; reason: string };

/** A commit's stamp and (when it has one) whether it is intact: what a skip decision reads. */
export interface StampedCommit {
  /** Undefined when the branch does not exist yet. */
  commit?: string;
  found?: StampAt;
  /** Whether its files are the ones it was generated with (intact.ts); only with a stamp. */
  intact?: Intactness;
}

/**
 * Reads the stamp on `commit` and whether it is intact (`kept`: the current `preserve`, for a
 * stamp that does not record its own; two git reads when intact).
 */
export async function readStampedCommit(
  repo: string,
  commit: string | undefined,
  kept: readonly string[],
): Promise<StampedCommit> {
  if (!commit) return {};
  const found = await readStampAt(repo, commit);
  if (found.kind !== "stamp") return { commit, found };
  return { commit, found, intact: await intactness(repo, commit, found.stamp, kept) };
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
  if (!state.intact?.intact) {
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
    }…) and is intact${describeReleases(state.intact)}`,
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
