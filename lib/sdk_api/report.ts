/**
 * The SDK API report of a generation: the new SDK's public API compared with the previous one
 * (the clone's origin/main, else its local main, or any revisions the caller names).
 */
import { resolveCommit } from "../git/git.ts";
import {
  type ExtractOptions,
  extractSdkApi,
  extractSdkApiAtCommit,
  SdkLayoutError,
} from "./extract.ts";
import { compareSdkApis, type SdkApiDiff, summarizeSdkApiDiff } from "./compare.ts";
import { countSdkApi, type SdkApi } from "./model.ts";

/** Revisions tried, in order, for the SDK the new one is compared with. */
export const BASE_REVISIONS: readonly string[] = ["origin/main", "main"];

export interface SdkApiBase {
  /** The revision as named (`origin/main`). */
  rev: string;
  commit: string;
}

/** The first of `candidates` that names a commit in `clone`, or undefined. */
export async function findBaseRevision(
  clone: string,
  candidates: readonly string[] = BASE_REVISIONS,
): Promise<SdkApiBase | undefined> {
  for (const rev of candidates) {
    const commit = await resolveCommit(clone, rev);
    if (commit) return { rev, commit };
  }
  return undefined;
}

export interface SdkApiReportInput extends ExtractOptions {
  /** The SDK clone (its git history holds the previous SDK). */
  clone: string;
  /** The new SDK: the generator's output directory, or a commit of the clone. */
  next: { dir: string } | { commit: string };
  /**
   * Revisions tried for the previous SDK (default BASE_REVISIONS). Generation moves local main,
   * so without an origin/main pass the commit main had before (TargetResult.previous).
   */
  base?: readonly string[];
}

export interface SdkApiReport {
  /** The previous SDK's revision; null when none of the revisions exists (a first generation). */
  base: SdkApiBase | null;
  /** The previous SDK's API; null without a base or when its tree holds no SDK package. */
  before: SdkApi | null;
  /** Why `before` is null although there is a base (the layout error's message). */
  baseNote?: string;
  after: SdkApi;
  /** The `sdk_api` object of `--json`: everything in `after` counts as added when `before` is null. */
  diff: SdkApiDiff;
  /** The human summary (a few lines), for stdout. */
  summary: string;
}

function emptyLike(api: SdkApi): SdkApi {
  return { ...api, packageDir: "", clients: [], resources: [], types: [] };
}

function describeApi(api: SdkApi): string {
  const { resources, methods, types } = countSdkApi(api);
  return `${api.package} (${api.layout}): ${resources} resources, ${methods} methods, ${types} types`;
}

/** Extracts both APIs and compares them. Throws SdkLayoutError when the new tree has no SDK. */
export async function reportSdkApi(input: SdkApiReportInput): Promise<SdkApiReport> {
  const { clone, next, base: candidates, ...options } = input;
  const after = "dir" in next
    ? await extractSdkApi(next.dir, options)
    : await extractSdkApiAtCommit(clone, next.commit, options);
  const base = await findBaseRevision(clone, candidates) ?? null;
  let before: SdkApi | null = null;
  let baseNote: string | undefined;
  if (base) {
    try {
      before = await extractSdkApiAtCommit(clone, base.commit, {
        ...options,
        packageName: options.packageName ?? after.package,
      });
    } catch (error) {
      if (!(error instanceof SdkLayoutError)) throw error;
      baseNote = error.message;
    }
  }
  const diff = compareSdkApis(before ?? emptyLike(after), after);
  const label = base
    ? `${base.rev} (${base.commit.slice(0, 7)}${before ? "" : ", no SDK package"})`
    : "no previous SDK";
  const summary = `${describeApi(after)}\n${summarizeSdkApiDiff(diff, label)}`;
  return { base, before, ...(baseNote ? { baseNote } : {}), after, diff, summary };
}
