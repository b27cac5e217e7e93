/**
 * The review of each generated commit, made before local main moves to it (GenerateInput.review,
 * called by every backend between "the commit exists" and "main moves"):
 *
 *   - The SDK API report (Python targets): the new SDK's public API (lib/sdk_api, read with
 *     Python's `ast`) against the previous SDK: the tree of `origin/main`, else local `main` as it
 *     stands before this run (the review comes before the move, so main is still the previous
 *     tip). Logged as a short summary with the removed names; `sdk_api` in `--json`. Skipped with a
 *     note when neither holds an SDK package, or the new tree has no layout the reader knows.
 *   - `--fail-on api-removals`: a removal stops the run here, so local main does not move and, in
 *     `all`, nothing is merged, pushed or pinned. The clone is as it was; the generated commit is
 *     left unreferenced (git's garbage collection drops it).
 *
 * A target left as it is because its main is up to date (lib/generate/provenance.ts) is not
 * reviewed: nothing new to compare; `sdk_api` says so.
 */
import { CodegenError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import type { Settings } from "../config/settings.ts";
import { resolveCommit, short } from "../git/git.ts";
import { extractSdkApiAtCommit, sdkApiPython, SdkLayoutError } from "../sdk_api/extract.ts";
import {
  compareSdkApis,
  hasApiRemovals,
  type SdkApiDiff,
  summarizeSdkApiDiff,
} from "../sdk_api/compare.ts";
import type { SdkApi } from "../sdk_api/model.ts";
import { parseFailOn } from "./fail_on.ts";
import type { SdkApiBase, SdkApiRecord, TargetClone } from "./types.ts";

/** Where the previous SDK is looked for, in order (labels as shown, refs as resolved). */
export const PREVIOUS_SDK = [
  { label: "origin/main", ref: "refs/remotes/origin/main" },
  { label: "main", ref: "refs/heads/main" },
] as const;

/** `--fail-on api-removals` stopped the run; `record` is the report (for `--json`). */
export class ApiRemovalsError extends CodegenError {
  constructor(message: string, readonly record: SdkApiRecord, options: { hint: string }) {
    super(message, options);
  }
}

interface Previous {
  label: string;
  commit: string;
  api: SdkApi;
}

/** What a dry run says the review would do for a target, reading after "would". */
export function planReview(settings: Settings, target: TargetClone): string[] {
  if (target.target !== "python") return [];
  const stop = parseFailOn(settings.get("fail_on") ?? []).apiRemovals
    ? "; stop before main moves if anything was removed (--fail-on api-removals)"
    : "";
  return [
    `compare the public API of the generated python SDK with origin/main (else main before this run)${stop}`,
  ];
}

export class GenerationReview {
  #record: SdkApiRecord | undefined;
  readonly #failOnRemovals: boolean;
  readonly #python: string;

  constructor(settings: Settings) {
    this.#failOnRemovals = parseFailOn(settings.get("fail_on") ?? []).apiRemovals;
    this.#python = sdkApiPython();
  }

  /** Notes that `target` was not generated (up to date): a Python target has no report then. */
  skipped(target: TargetClone): void {
    if (target.target !== "python") return;
    this.#record = skip(
      "python is up to date with its inputs: not regenerated, so there is no new SDK to compare " +
        "(--regenerate makes one)",
    );
  }

  /** Reviews one target's generated commit; throws (main not moved) on api-removals. */
  async review(target: TargetClone, commit: string): Promise<void> {
    if (target.target === "python") this.#record = await this.#reportApi(target, commit);
  }

  /** The `sdk_api` record of the run. */
  record(): SdkApiRecord {
    return this.#record ??
      { skipped: "no Python SDK was generated (the report reads Python SDKs)" };
  }

  async #reportApi(target: TargetClone, commit: string): Promise<SdkApiRecord> {
    const packageName = target.spec.packageName;
    let after: SdkApi;
    try {
      after = await extractSdkApiAtCommit(target.clone, commit, {
        python: this.#python,
        packageName,
      });
    } catch (error) {
      return unreadableSdk(error, this.#python, this.#failOnRemovals);
    }
    const previous = await this.#previous(target.clone, packageName ?? after.package);
    if ("skipped" in previous) return skip(previous.skipped);
    return compareWithBaseline(after, {
      base: { rev: previous.label, commit: previous.commit },
      api: previous.api,
    }, {
      failOnRemovals: this.#failOnRemovals,
      untouched: `Local main of ${target.clone} did not move; nothing was pushed or pinned.`,
    });
  }

  /** The previous SDK: the first of PREVIOUS_SDK that exists and holds an SDK package. */
  async #previous(clone: string, packageName: string): Promise<Previous | { skipped: string }> {
    const notes: string[] = [];
    const tried = new Set<string>();
    for (const { label, ref } of PREVIOUS_SDK) {
      const commit = await resolveCommit(clone, ref);
      if (!commit || tried.has(commit)) {
        notes.push(commit ? `${label} is the same commit` : `no ${label}`);
        continue;
      }
      tried.add(commit);
      try {
        const api = await extractSdkApiAtCommit(clone, commit, {
          python: this.#python,
          packageName,
        });
        return { label, commit, api };
      } catch (error) {
        if (!(error instanceof SdkLayoutError)) throw error;
        notes.push(`${label} (${short(commit)}) holds no SDK package`);
      }
    }
    return { skipped: `no previous SDK to compare with: ${notes.join(", ")}` };
  }
}

/** Notes on stderr why there is no report; the `sdk_api` record saying so. */
export function skip(reason: string): SdkApiRecord {
  log.info(`python: SDK API report skipped: ${reason}`);
  return { skipped: reason };
}

/**
 * The new SDK could not be read (no layout the reader knows, or no Python to run it): a note,
 * unless --fail-on api-removals asked for the check. Other errors are rethrown.
 */
export function unreadableSdk(
  error: unknown,
  python: string,
  failOnRemovals: boolean,
): SdkApiRecord {
  const noPython = error instanceof CodegenError && error.cause instanceof Deno.errors.NotFound;
  if (!(error instanceof SdkLayoutError) && !noPython) throw error;
  const why = noPython
    ? `no Python to read it with (${python}; set CODEGEN_PYTHON)`
    : (error as SdkLayoutError).message;
  if (failOnRemovals) {
    throw new CodegenError(
      `--fail-on api-removals: cannot read the generated SDK's API: ${why}`,
      {
        hint: (error as CodegenError).hint ??
          "Leave api-removals out of --fail-on for this generator.",
      },
    );
  }
  return skip(`cannot read the generated SDK's API: ${why}`);
}

/** The previous SDK's API and where it came from (the `base` of the record). */
export interface ApiBaseline {
  base: SdkApiBase;
  api: SdkApi;
}

/**
 * Compares the new SDK's API with the baseline and logs the summary (with the removed names).
 * With failOnRemovals, a removal throws ApiRemovalsError; `untouched` (its hint) says what the
 * run left as it was.
 */
export function compareWithBaseline(
  after: SdkApi,
  baseline: ApiBaseline,
  options: { failOnRemovals: boolean; untouched: string },
): SdkApiRecord {
  const diff = compareSdkApis(baseline.api, after);
  const removals = hasApiRemovals(diff);
  const record: SdkApiRecord = { base: baseline.base, removals, ...diff };
  const summary = summarizeSdkApiDiff(diff, describeBase(baseline.base));
  for (const line of summary.split("\n")) log.info(`python: ${line}`);
  if (removals && options.failOnRemovals) throw removalsError(record, diff, options.untouched);
  return record;
}

/** `origin/main (1a2b3c4d5e6f)`, `the vendored copy weave/vendor/sdk (tree 1a2b3c4d5e6f)`. */
function describeBase(base: SdkApiBase): string {
  return "rev" in base
    ? `${base.rev} (${short(base.commit)})`
    : `the vendored copy ${base.vendor_dir} (tree ${short(base.tree)})`;
}

function removalsError(
  record: SdkApiRecord,
  diff: SdkApiDiff,
  untouched: string,
): ApiRemovalsError {
  const lostParams = diff.changed.filter((c) =>
    c.changes.some((x) => x.change === "removed-param" || x.change === "removed-variant")
  );
  const counts = [
    diff.removed.length && `${diff.removed.length} name(s) removed`,
    lostParams.length && `${lostParams.length} method(s) or client(s) lost a parameter or variant`,
  ].filter(Boolean).join(", ");
  const names = [...diff.removed, ...lostParams].map((i) => i.name);
  const listed = names.length > 8 ? `${names.slice(0, 8).join(", ")}, …` : names.join(", ");
  return new ApiRemovalsError(
    `the generated python SDK removes public API (--fail-on api-removals): ${counts}: ${listed}`,
    record,
    {
      hint: `${untouched} Check the removals (--json lists them all under sdk_api), then run ` +
        "without api-removals in --fail-on to accept them.",
    },
  );
}

/** "vs origin/main (1a2b3c4): methods 1 added, 1 removed" from an `sdk_api` record. */
export function describeSdkApi(record: SdkApiRecord): string {
  if ("skipped" in record) return `not compared: ${record.skipped}`;
  const count = (list: { kind: string }[], kind: string) =>
    list.filter((i) => i.kind === kind).length;
  const parts = (["client", "resource", "method", "type"] as const).map((kind) => {
    const numbers = [
      [count(record.added, kind), "added"],
      [count(record.removed, kind), "removed"],
      [count(record.changed, kind), "changed"],
    ].filter(([n]) => n).map(([n, what]) => `${n} ${what}`);
    return numbers.length ? `${kind}s ${numbers.join(", ")}` : "";
  }).filter(Boolean);
  const removed = record.removed.filter((i) => i.kind === "method" || i.kind === "resource");
  const names = removed.length
    ? `; removed: ${removed.slice(0, 5).map((i) => i.name).join(", ")}${
      removed.length > 5 ? ", …" : ""
    }`
    : "";
  return `vs ${describeBase(record.base)}: ${
    parts.length ? parts.join("; ") : "no change"
  }${names}`;
}
