/**
 * `check` for a vendored copy (`vendor_dir`) against its stamp `<vendor_dir>.origin.json` and the
 * current inputs (drift.ts).
 *
 *   codegen's stamp  the files on disk must be the ones it lists (each file edited, added or
 *                    removed by hand is named; lib/vendor/check.ts) and its inputs key must be the
 *                    current one (each input that differs is named: spec, config, generator,
 *                    version, argv, hooks, package name, groups, ...)
 *   a foreign stamp  one codegen did not write (Weave's own: `core_commit` and the sha256 of the
 *                    spec and the config, keyed by their paths in *its* repository, no file list)
 *                    proves nothing about the files. Its hashes are compared where a key names a
 *                    current input: the same path, or a path ending in `/<that path>` (the stamp
 *                    was written in a repository that holds this one as a subdirectory, as
 *                    `services/weave-trace/` in Weave's). A stale matched hash is drift (the copy
 *                    is stale whatever its files are); otherwise the copy is "not checked", saying
 *                    which hashes are current and which keys name no input here.
 */
import { CodegenError, messageOf } from "../core/errors.ts";
import { join } from "../core/paths.ts";
import { checkVendoredCopy, describeVendorCheck } from "../vendor/check.ts";
import { type ReadStamp, readStamp, stampPathFor } from "../vendor/stamp.ts";
import type { StampStatus } from "./commit_check.ts";
import type { OriginStamp, Sha256Ref, StampInputs } from "./stamp.ts";
import { compareWithStamp } from "./up_to_date.ts";

export interface VendoredCheckInput {
  target: string;
  /** Relative to the trace repository. */
  vendorDir: string;
}

/** A vendored copy against its stamp and the current inputs. */
export interface VendoredCheck {
  target: string;
  vendor_dir: string;
  status: StampStatus;
  /** One line per problem (hand edits, stale inputs), or what was found. */
  details: string[];
  /** What could not be compared (a generator that cannot tell its version here). */
  notes?: string[];
}

/** A vendored stamp as an origin stamp: its file hashes by path, and its codegen object. */
export function originStampOf(read: ReadStamp): OriginStamp {
  const files: OriginStamp["files"] = {};
  for (const [key, value] of Object.entries(read.stamp)) {
    if (key !== "codegen" && (value === null || typeof value === "string")) {
      files[key] = value as Sha256Ref | null;
    }
  }
  return { files, codegen: read.codegen as unknown as OriginStamp["codegen"] };
}

export async function checkVendored(
  repoRoot: string,
  copy: VendoredCheckInput,
  current: StampInputs,
): Promise<VendoredCheck> {
  const base = { target: copy.target, vendor_dir: copy.vendorDir };
  const check = await checkVendoredCopy({ repoRoot, vendorDir: copy.vendorDir });
  if (check.stamp === "missing" || check.stamp === "invalid") {
    return { ...base, status: "differs", details: describeVendorCheck(check, repoRoot) };
  }
  let read: ReadStamp | undefined;
  try {
    read = await readStamp(stampPathFor(join(repoRoot, copy.vendorDir)));
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    return { ...base, status: "differs", details: [messageOf(error)] };
  }
  if (!read) return { ...base, status: "differs", details: describeVendorCheck(check, repoRoot) };
  if (check.stamp === "foreign") {
    return { ...base, ...foreignVerdict(copy.vendorDir, read, current) };
  }
  const problems = check.tree?.stamped === check.tree?.actual
    ? []
    : describeVendorCheck(check, repoRoot);
  const { changes, notes } = await compareWithStamp(originStampOf(read), current);
  if (changes.length) {
    problems.push(`${copy.vendorDir}: it was vendored from other inputs: ${changes.join(", ")}`);
  }
  const noted = notes.length ? { notes } : {};
  if (problems.length) return { ...base, status: "differs", details: problems, ...noted };
  return {
    ...base,
    status: "in sync",
    details: [`${copy.vendorDir} was vendored from the current inputs; its files are intact`],
    ...noted,
  };
}

/** A stamp codegen did not write (module comment). */
export function foreignVerdict(
  vendorDir: string,
  read: ReadStamp,
  current: StampInputs,
): Pick<VendoredCheck, "status" | "details"> {
  const inputs = [current.spec, current.config];
  const matching: string[] = [];
  const stale: string[] = [];
  const unmatched: string[] = [];
  for (const [key, value] of Object.entries(read.stamp)) {
    if (typeof value !== "string" || !value.startsWith("sha256:")) continue;
    const input = inputs.find((i) => key === i.path || key.endsWith(`/${i.path}`));
    const named = input && input.path !== key ? `${key} (${input.path} here)` : key;
    if (!input) unmatched.push(key);
    else if (input.sha256 === value) matching.push(named);
    else {
      stale.push(
        `${vendorDir}: its stamp (not written by codegen) has ${named} ${value.slice(0, 19)}…, ` +
          `but ${input.path} is now ${
            input.sha256 ? `${input.sha256.slice(0, 19)}…` : "missing"
          }: the copy is stale`,
      );
    }
  }
  if (stale.length) return { status: "differs", details: stale };
  const said = [
    `${vendorDir}: vendored by other means (its stamp has no file list), so its files cannot ` +
    "be checked; `codegen vendor` replaces it with a stamp that lists them",
    matching.length
      ? `current: its hash${matching.length === 1 ? "" : "es"} of ${matching.join(", ")}`
      : "none of its hashes names an input of this repository",
  ];
  if (unmatched.length) {
    said.push(`not compared (no such input here): ${unmatched.join(", ")}`);
  }
  return { status: "not checked", details: said };
}
