/**
 * What a generated SDK tree says about itself, read from a commit of the SDK clone (never from its
 * working tree): the origin stamp `.codegen/origin.json` (the inputs it was generated from) and,
 * next to it, `.codegen/openapi.json` (the spec itself), which lets a pull request or a release
 * say what changed in the API between two SDK commits without the trace repository.
 */
import { CodegenError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { git } from "../git/git.ts";
import type { OriginStamp } from "../github/pr_body.ts";
import type { LoadedSpec } from "../spec/spec_input.ts";
import { parseSpec } from "../spec/spec_input.ts";
import { SPEC_COPY_PATH, STAMP_PATH } from "../provenance/stamp.ts";

/** Where generation writes them (lib/provenance/stamp.ts). */
export const ORIGIN_STAMP_PATH = STAMP_PATH;
export const SDK_SPEC_PATH = SPEC_COPY_PATH;

/**
 * The text of `path` at `rev` of `repo`, or undefined when the revision or the path does not
 * exist there (`rev-parse --verify` tells without an error; other git failures throw).
 */
export async function fileAtCommit(
  repo: string,
  rev: string,
  path: string,
): Promise<string | undefined> {
  const blob = await git(repo, ["rev-parse", "--verify", "--quiet", `${rev}:${path}`], {
    check: false,
  });
  const id = blob.stdout.trim();
  if (blob.code !== 0 || !/^[0-9a-f]{40,64}$/.test(id)) return undefined;
  return (await git(repo, ["cat-file", "blob", id], { what: `read ${rev}:${path}` })).stdout;
}

/** The spec the SDK at `rev` was generated from, or undefined when its tree has none. */
export async function sdkSpecAt(
  clone: string,
  rev: string,
  label = `${rev.slice(0, 12)}:${SDK_SPEC_PATH}`,
): Promise<LoadedSpec | undefined> {
  const text = await fileAtCommit(clone, rev, SDK_SPEC_PATH);
  return text === undefined ? undefined : { label, document: parseSpec(text, label) };
}

/**
 * The origin stamp of the SDK at `rev`; undefined when there is none. A stamp that is not a JSON
 * object is reported and left out (the pull request is still worth opening).
 */
export async function originStampAt(
  clone: string,
  rev: string,
): Promise<OriginStamp | undefined> {
  const text = await fileAtCommit(clone, rev, ORIGIN_STAMP_PATH);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    log.warn(`${ORIGIN_STAMP_PATH} of ${rev.slice(0, 12)} is not JSON (${error.message}); ignored`);
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    log.warn(`${ORIGIN_STAMP_PATH} of ${rev.slice(0, 12)} is not a JSON object; ignored`);
    return undefined;
  }
  return parsed as OriginStamp;
}

/** A trailer of a commit message (`Trace-Commit: <sha>`), or undefined. */
export async function commitTrailer(
  repo: string,
  commit: string,
  key: string,
): Promise<string | undefined> {
  const result = await git(repo, [
    "log",
    "-1",
    `--format=%(trailers:key=${key},valueonly,separator=%x00)`,
    commit,
  ], { check: false });
  if (result.code !== 0) {
    throw new CodegenError(`cannot read the message of commit ${commit.slice(0, 12)} in ${repo}`, {
      details: result.stderr.trim(),
    });
  }
  return result.stdout.split("\0")[0].trim() || undefined;
}
