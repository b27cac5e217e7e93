/**
 * The API changes a pull request proposes and a release ships, from the OpenAPI specs involved.
 *
 * Pull request (mirror branch into the base branch): the spec each side's SDK was generated from.
 *   before: `.codegen/openapi.json` in the base branch's tree, else the trace repository's spec at
 *           the commit the trace branch forked from (`git merge-base HEAD origin/<default>`);
 *   after:  `.codegen/openapi.json` in the mirror branch's tree, else the trace repository's
 *           current spec file.
 * The SDK trees come first: they say exactly what the pull request changes, whoever generated the
 * base and whenever. The trace repository stands in for trees generated before the spec was kept
 * there. Neither available: no spec diff (the body says why).
 *
 * Release: `.codegen/openapi.json` at the last release tag against the commit being released;
 * when either tree has none, there is no spec diff (an automatic bump is then a patch, with a note).
 */
import { log } from "../core/log.ts";
import { redact } from "../core/redact.ts";
import { exists, readTextFile } from "../core/fs.ts";
import { basename, displayPath, isAbsolute, relative, resolve } from "../core/paths.ts";
import { git, resolveCommit } from "../git/git.ts";
import type { SpecChanges } from "../github/changes.ts";
import { specChangesOf } from "../github/from_diffs.ts";
import type { SpecChangesSince } from "../release/next_version.ts";
import { diffSpecs } from "../spec/diff.ts";
import { type LoadedSpec, parseSpec } from "../spec/spec_input.ts";
import { fileAtCommit, SDK_SPEC_PATH, sdkSpecAt } from "./sdk_tree.ts";

export interface PrSpecInput {
  /** The SDK clone, holding both commits. */
  clone: string;
  baseCommit?: string;
  headCommit?: string;
  /** The trace repository and its spec file (the stand-ins). */
  traceRepo: string;
  specPath: string;
}

/** Compares two specs, logging which; the shapes the body and the changelog take. */
export async function compareSpecs(before: LoadedSpec, after: LoadedSpec): Promise<SpecChanges> {
  const diff = await diffSpecs(before.document, after.document, {
    before: before.label,
    after: after.label,
  });
  log.verbose(
    `spec diff ${before.label} -> ${after.label}: ${diff.counts.added} added, ${diff.counts.removed} removed, ${diff.counts.changed} changed`,
  );
  return specChangesOf(diff);
}

/** The API changes of a pull request (module comment), or why there are none to show. */
export type PrSpecChanges = { changes: SpecChanges } | { notComputed: string };

export async function pullRequestSpecChanges(input: PrSpecInput): Promise<PrSpecChanges> {
  const before = (input.baseCommit && await sdkSpecAt(input.clone, input.baseCommit)) ||
    await traceForkSpec(input.traceRepo, input.specPath);
  const after = (input.headCommit && await sdkSpecAt(input.clone, input.headCommit)) ||
    await currentSpec(input.traceRepo, input.specPath);
  if (before && after) return { changes: await compareSpecs(before, after) };
  // Said in the body, which anyone with access to the repository reads: redacted.
  const why = redact(before ? missingAfter(input) : missingBefore(input));
  log.info(`no spec diff for the pull request: ${why}`);
  return { notComputed: why };
}

function missingBefore(input: PrSpecInput): string {
  const base = input.baseCommit
    ? `the base branch has no ${SDK_SPEC_PATH} (first generation)`
    : "the base branch's commit was not read (dry run)";
  return `${base}, and the trace repository's spec at its fork point was not found`;
}

function missingAfter(input: PrSpecInput): string {
  const head = input.headCommit
    ? `the mirror branch has no ${SDK_SPEC_PATH}`
    : "the mirror branch's commit was not read (dry run)";
  return `${head}, and ${traceSpecLabel(input.traceRepo, input.specPath)} does not exist`;
}

/**
 * The spec file as the body names it: relative to the trace repository, never a local absolute
 * path (a CI runner's home says nothing to a reviewer); one outside it by its file name.
 */
function traceSpecLabel(traceRepo: string, specPath: string): string {
  const shown = displayPath(resolve(traceRepo, specPath), traceRepo);
  return isAbsolute(shown) ? `${basename(shown)} (outside the trace repository)` : shown;
}

/** publish's `specChanges`: the SDK tree's spec at the last release tag and at the commit. */
export function releaseSpecChanges(clone: string): SpecChangesSince {
  return async (lastRelease, commit) => {
    if (!lastRelease) return undefined;
    const before = await sdkSpecAt(
      clone,
      lastRelease.commit,
      `${lastRelease.tag}:${SDK_SPEC_PATH}`,
    );
    const after = await sdkSpecAt(clone, commit, `${commit.slice(0, 12)}:${SDK_SPEC_PATH}`);
    if (!before || !after) {
      const missing = [!before && lastRelease.tag, !after && `the commit released`]
        .filter(Boolean).join(" and ");
      const has = !before && !after ? "have" : "has";
      log.info(`no spec diff since ${lastRelease.tag}: ${missing} ${has} no ${SDK_SPEC_PATH}`);
      return undefined;
    }
    return await compareSpecs(before, after);
  };
}

/** The branch origin's HEAD names in the trace repository (`origin/main`), else a usual one. */
async function traceDefaultBranch(traceRepo: string): Promise<string | undefined> {
  const head = await git(traceRepo, ["rev-parse", "--abbrev-ref", "origin/HEAD"], {
    check: false,
  });
  if (head.code === 0 && head.stdout.trim().startsWith("origin/")) return head.stdout.trim();
  for (const candidate of ["origin/main", "origin/master"]) {
    if (await resolveCommit(traceRepo, candidate)) return candidate;
  }
  return undefined;
}

/** The trace repository's spec at the commit its current branch forked from the default one. */
async function traceForkSpec(traceRepo: string, specPath: string) {
  const inRepo = relative(traceRepo, resolve(traceRepo, specPath));
  if (inRepo.startsWith("..") || isAbsolute(inRepo)) return undefined;
  const defaultBranch = await traceDefaultBranch(traceRepo);
  if (!defaultBranch) return undefined;
  const base = await git(traceRepo, ["merge-base", "HEAD", defaultBranch], { check: false });
  const fork = base.stdout.trim();
  if (base.code !== 0 || !fork) return undefined;
  const text = await fileAtCommit(traceRepo, fork, inRepo);
  const label = `${fork.slice(0, 12)}:${inRepo} (fork point of ${defaultBranch})`;
  return text === undefined ? undefined : { label, document: parseSpec(text, label) };
}

async function currentSpec(traceRepo: string, specPath: string): Promise<LoadedSpec | undefined> {
  if (!await exists(specPath)) return undefined;
  const label = traceSpecLabel(traceRepo, specPath);
  return { label, document: parseSpec(await readTextFile(specPath, "spec"), label) };
}
