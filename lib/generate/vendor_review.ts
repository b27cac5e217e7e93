/**
 * The SDK API report of a vendored Python target: vendoring's counterpart of review.ts, with the
 * same comparison, summary, `sdk_api` record and `--fail-on api-removals` (review.ts's helpers).
 *
 * The new package is the staged copy (copied and rewritten, not yet swapped in); the previous one
 * is the copy on disk before this run. Both are read as package directories under the generator's
 * package name (lib/sdk_api/extract.ts extractPackageApi) and both carry the same rewrites of that
 * name (to `weave.vendor.weave_server_sdk`...), so the same API has the same names on both sides.
 * vendorPackage calls `review` before the swap: a removal under `--fail-on api-removals` stops the
 * run there, with the vendored copy and its stamp as they were.
 */
import { extractPackageApi, sdkApiPython, SdkLayoutError } from "../sdk_api/extract.ts";
import type { SdkApi } from "../sdk_api/model.ts";
import type { Settings } from "../config/settings.ts";
import type { PreviousCopy } from "../vendor/vendor.ts";
import { parseFailOn } from "./fail_on.ts";
import { compareWithBaseline, skip, unreadableSdk } from "./review.ts";
import type { GenerationTarget, SdkApiRecord } from "./types.ts";

/** What a vendored target's review needs to know of it. */
interface ReviewedTarget extends GenerationTarget {
  vendorDir: string;
  packageName: string;
}

/** What a dry run says the review would do for a vendored target, reading after "would". */
export function planVendorReview(settings: Settings, target: ReviewedTarget): string[] {
  if (target.target !== "python") return [];
  const stop = parseFailOn(settings.get("fail_on") ?? []).apiRemovals
    ? "; stop before the swap if anything was removed (--fail-on api-removals)"
    : "";
  return [
    `compare the public API of the new python package with the copy in ${target.vendorDir} ` +
    `(when there is one)${stop}`,
  ];
}

export class VendorReview {
  #record: SdkApiRecord | undefined;
  readonly #failOnRemovals: boolean;
  readonly #python: string;

  constructor(settings: Settings) {
    this.#failOnRemovals = parseFailOn(settings.get("fail_on") ?? []).apiRemovals;
    this.#python = sdkApiPython();
  }

  /** Notes that `target` was not vendored again (up to date): no new SDK, no report. */
  skipped(target: ReviewedTarget): void {
    if (target.target !== "python") return;
    this.#record = skip(
      `${target.vendorDir} is up to date with its inputs: not vendored again, so there is no ` +
        "new SDK to compare (--regenerate makes one)",
    );
  }

  /** Reviews a Python target's staged copy; throws (nothing swapped) on api-removals. */
  async review(
    target: ReviewedTarget,
    staged: string,
    previous: PreviousCopy | undefined,
  ): Promise<void> {
    if (target.target !== "python") return;
    const read = (dir: string) =>
      extractPackageApi(dir, target.packageName, { python: this.#python });
    let after: SdkApi;
    try {
      after = await read(staged);
    } catch (error) {
      this.#record = unreadableSdk(error, this.#python, this.#failOnRemovals);
      return;
    }
    if (!previous) {
      this.#record = skip(
        `no previous SDK to compare with: ${target.vendorDir} did not exist (a first vendoring)`,
      );
      return;
    }
    let before: SdkApi;
    try {
      before = await read(previous.dir);
    } catch (error) {
      if (!(error instanceof SdkLayoutError)) throw error;
      this.#record = skip(`no previous SDK to compare with: ${error.message}`);
      return;
    }
    this.#record = compareWithBaseline(after, {
      base: { vendor_dir: target.vendorDir, tree: previous.tree },
      api: before,
    }, {
      failOnRemovals: this.#failOnRemovals,
      untouched: `${target.vendorDir} and its stamp were left as they were.`,
    });
  }

  /** The `sdk_api` record of the run; undefined when no Python target was vendored. */
  record(): SdkApiRecord | undefined {
    return this.#record;
  }
}
