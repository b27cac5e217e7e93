/**
 * The spec diff (lib/spec/diff.ts) and the SDK API comparison (lib/sdk_api/compare.ts) in the
 * shapes the pull request body, its title and `publish` take (changes.ts).
 */
import type { SpecDiff } from "../spec/diff.ts";
import { describeChange, hasApiRemovals, type SdkApiDiff } from "../sdk_api/compare.ts";
import type { SdkApiReport, SpecChanges } from "./changes.ts";

/** Signature changes that break calls written against the previous SDK. */
const BREAKING_SIGNATURE = new Set([
  "removed-param",
  "new-required-param",
  "now-required",
  "kind-changed",
  "order-changed",
  "removed-variant",
]);

export function specChangesOf(diff: SpecDiff): SpecChanges {
  return {
    added: diff.added.map((operation) => ({ operation, breaking: false })),
    removed: diff.removed.map((operation) => ({ operation, breaking: true })),
    changed: diff.changed.map((op) => ({
      operation: op.operation,
      breaking: op.breaking,
      // Breaking changes first: they are what a reviewer must see when the list is long.
      descriptions: [...op.changes].sort((a, b) =>
        Number(b.type === "breaking") - Number(a.type === "breaking")
      ).map((change) => change.description),
    })),
  };
}

export function sdkApiReportOf(diff: SdkApiDiff): SdkApiReport {
  return {
    added: diff.added.map((item) => `${item.name} (${item.kind})`),
    removed: diff.removed.map((item) => `${item.name} (${item.kind})`),
    changed: diff.changed.map((item) =>
      `${item.name}: ${item.changes.map(describeChange).join("; ")}`
    ),
    breaking: hasApiRemovals(diff) ||
      diff.changed.some((item) => item.changes.some((c) => BREAKING_SIGNATURE.has(c.change))),
  };
}
