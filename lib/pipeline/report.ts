/**
 * What `all` reports: the result object (printed as JSON with `--json`) and its human summary.
 * Both carry the same facts: spec operations and sha256, generator and build id, the branch and
 * commit pushed, and the pyproject.toml entry written. Also the words for a merge plan (the dry
 * run of `all` and of `merge_generated_code`), from the plan's data.
 */
import type { SpecSummary } from "../spec/openapi.ts";
import type { SdkApiRecord, TargetResult } from "../generate/types.ts";
import type { SdkTarget } from "../config/structured_keys.ts";
import type { VendorOutput } from "../generate/vendoring.ts";
import type { TargetPinResult } from "../pin/target_pin.ts";
import { describeSdkApi } from "../generate/review.ts";
import type { MergePlan, PushResult } from "../sync/types.ts";
import type { PinResult } from "../pin/pin.ts";
import { short } from "../git/git.ts";
import { describePullResult, type TargetPullResult } from "../delivery/open_prs.ts";
import { formatWarning, type GeneratorWarning } from "../generate/warnings.ts";
import type { LintJson } from "../inputs/lint.ts";
import type { SpecDiff } from "../spec/diff.ts";
import { formatDiffSummary } from "../spec/diff_format.ts";

export type StageName = "check" | "spec" | "generate" | "vendor" | "merge" | "pin" | "pr";

export const STAGE_TITLES: Record<StageName, string> = {
  check: "check: configuration, generator, SDK clones, pyproject.toml",
  spec: "spec: get the trace server's OpenAPI spec (started, --url or --app) and save it",
  generate: "generate: generate the SDK code onto local main of each SDK clone",
  vendor: "vendor: generate the vendored SDKs and copy them into the trace repository",
  merge: "merge: push each SDK's generated code to its mirror branch, pin that commit",
  pin: "pin: pin each SDK's generated commit (--no-auto-merge: nothing is pushed)",
  pr: "pr: open or update the pull request of the mirror branch (--open-pr)",
};

export interface StageRecord {
  name: StageName;
  title: string;
  /** "skipped": there was nothing to do (generate: every target up to date); `did` says why. */
  status: "pending" | "done" | "planned" | "skipped" | "failed";
  seconds?: number;
  /** One line saying what the stage did (or would do). */
  did?: string;
  /** Why the stage was skipped. */
  reason?: string;
}

/** The mirror branch in the result: what a real run pushed, or (dry run) what it would. */
export interface MergeRecord {
  branch: string;
  traceBranch: string;
  /** The mirror commit; in a dry run only when nothing would be pushed (the tip holding the tree). */
  commit?: string;
  pushed: boolean;
  /** The remote branch already held (dry run: already holds) the generated tree. */
  noop: boolean;
  /** Dry run only: the plan, as data. */
  plan?: MergePlan;
}

/** One target's outcome, whatever it went through (the `targets` object of `--json`). */
export interface TargetRecord {
  /** An SDK clone (generated onto main, pushed, pinned), or a copy in the trace repository. */
  kind: "clone" | "vendored";
  generator?: string;
  clone?: string;
  vendor_dir?: string;
  /** clone: local main after the generate stage. */
  commit?: string;
  /** updated, unchanged, up to date (not regenerated), or planned (dry run). */
  state: "updated" | "unchanged" | "up to date" | "planned";
  /** The mirror branch (auto-merge). */
  merge?: MergeRecord;
  /** The pin written (or planned); none for a target that is not pinned. */
  pin?: TargetPinResult & { written: boolean };
}

export interface PipelineResult {
  ok: boolean;
  dryRun: boolean;
  repoRoot: string;
  /** The config file this run wrote before its stages (a first run's answers and flags). */
  configWritten?: string;
  autoMerge: boolean;
  release: boolean;
  spec: { path: string; written: boolean } & Partial<SpecSummary>;
  generate: {
    generator: string;
    buildId?: string;
    targets: Partial<Record<SdkTarget, TargetResult>>;
    /**
     * Warnings of the generation, from the generator and from codegen (shown as they came;
     * `fail_on: warnings` makes them fail the run).
     */
    warnings?: GeneratorWarning[];
    /** The new Python SDK's API against the previous one (lib/generate/review.ts). */
    sdk_api?: SdkApiRecord;
  };
  /** The new spec against the one it replaced; null on a first run (none in a dry run). */
  spec_diff?: SpecDiff | null;
  /** The Stainless config linted against the spec (absent when either file is missing). */
  lint?: LintJson;
  /** The vendored targets (their copies in the trace repository), when there are any. */
  vendor?: VendorOutput;
  /** The mirror branch (auto-merge only) of the Python target, else of the first target. */
  merge?: MergeRecord;
  /**
   * The SDK entry of pyproject.toml (with dryRun: the entry that would be written);
   * `commitOnRemote: false` when the pinned commit is only in the local clone (--no-auto-merge).
   */
  pyproject?: PinResult & { written: boolean; commitOnRemote?: boolean };
  /** Every target: how it was generated, pushed, pinned or vendored. */
  targets: Partial<Record<SdkTarget, TargetRecord>>;
  /** The pull request of each target (`--open-pr`). */
  pullRequests?: TargetPullResult[];
  stages: StageRecord[];
  /** Dry run only: every process, API call, ref update and write it would make. */
  plan?: string[];
  seconds: number;
  /** Set when a stage failed (JSON output of a failed run). */
  error?: { stage: StageName; message: string; hint?: string; kind: "failure" | "usage" };
}

/** The result's record of a real merge's push. */
export function pushRecord(pushed: PushResult): MergeRecord {
  const { branch, traceBranch, commit, pushed: didPush, noop } = pushed;
  return { branch, traceBranch, commit, pushed: didPush, noop };
}

/** The result's record of a planned merge: nothing pushed; `noop` when nothing would be. */
export function planRecord(plan: MergePlan): MergeRecord {
  const noop = plan.push === "no";
  return {
    branch: plan.branch,
    traceBranch: plan.traceBranch,
    commit: noop ? plan.mirrorTip : undefined,
    pushed: false,
    noop,
    plan,
  };
}

/**
 * The merge plan in words, one phrase per step, each reading after "would" (the fetch, the
 * commit and push or why there is none, the ref update, the pin). One push decision, stated once.
 */
export function formatMergePlan(plan: MergePlan): string[] {
  const { branch, baseBranch, sourceRef, mirrorTip } = plan;
  const lines: string[] = [];
  const tree = plan.generated
    ? `tree ${short(plan.generated.tree)} of ${sourceRef}`
    : `the tree the generate stage leaves on ${sourceRef}`;
  const push = [
    `create one commit holding ${tree}, parent origin/${baseBranch} (${short(plan.baseTip)})`,
    `push that commit to refs/heads/${branch} on origin (git push --force-with-lease; main is never pushed)`,
    `update refs/remotes/origin/${branch} in the SDK clone`,
  ];
  switch (plan.push) {
    case "no":
      lines.push(
        `leave ${branch} on origin at ${
          short(mirrorTip)
        }: it already holds ${tree}, so nothing would be pushed`,
      );
      break;
    case "yes":
      lines.push(`fetch ${fetched(plan)} (git fetch)`, ...push);
      break;
    case "unless unchanged":
      lines.push(
        `fetch ${fetched(plan)} (git fetch)`,
        `compare ${tree} with that of ${branch} (${
          short(mirrorTip)
        }): if they are equal, push nothing and pin ${short(mirrorTip)}`,
        ...push.map((step) => `${step}, if the trees differ`),
      );
      break;
  }
  if (plan.pin.result) lines.push(`write ${plan.pin.result.file}: ${pinText(plan)}`);
  return lines;
}

function fetched(plan: MergePlan): string {
  return `origin/${plan.baseBranch}${plan.mirrorTip ? ` and origin/${plan.branch}` : ""}`;
}

/** The planned entry, and what its placeholder (if any) stands for. */
function pinText(plan: MergePlan): string {
  const entry = plan.pin.result?.entry ?? "";
  switch (plan.pin.pins.kind) {
    case "known sha":
    case "version":
      return entry;
    case "new mirror commit":
      return plan.push === "unless unchanged"
        ? `${entry} (the sha of the new commit; ${short(plan.mirrorTip)}'s if nothing is pushed)`
        : `${entry} (the sha of the new commit)`;
    case "version of the generated code":
      return plan.pin.result?.kind === "package_json"
        ? `${entry} ("version" of the generated package.json)`
        : `${entry} ([project].version, else setup.py's version=, of the generated code)`;
  }
}

/**
 * The mirror branch in a dry run, from the plan's push decision: where it is on origin (if it
 * exists) and whether a new commit would be pushed. (`all`'s summary, `merge_generated_code -n`.)
 */
export function plannedBranch(plan: MergePlan): string {
  switch (plan.push) {
    case "yes":
      return plan.mirrorTip
        ? `${plan.branch} (at ${short(plan.mirrorTip)} on origin; a new commit would be pushed)`
        : `${plan.branch} (not on origin yet; a new commit would be pushed to create it)`;
    case "no":
      return `${plan.branch} (already holds the generated code at ${
        short(plan.mirrorTip)
      }; nothing would be pushed)`;
    case "unless unchanged":
      return `${plan.branch} (a new commit would be pushed only if the generated code differs from ${
        short(plan.mirrorTip)
      })`;
  }
}

const row = (label: string, text: string) => `  ${label.padEnd(10)} ${text}`;

/** The human summary printed on stdout at the end of `all`. */
export function formatSummary(result: PipelineResult): string[] {
  if (result.dryRun) return dryRunSummary(result);
  return [
    `codegen all: done in ${result.seconds.toFixed(1)} s`,
    ...specRows(result),
    ...generationRows(result),
    ...vendorRows(result),
    ...publishRows(result),
  ];
}

/** The targets published (with a clone), in order. */
function cloneTargets(result: PipelineResult): [string, TargetRecord][] {
  return Object.entries(result.targets).filter(([, t]) => t?.kind === "clone") as [
    string,
    TargetRecord,
  ][];
}

function dryRunSummary(result: PipelineResult): string[] {
  const lines = ["codegen all --dry-run: nothing was changed. The plan:"];
  for (const step of result.plan ?? []) lines.push(`  - ${step}`);
  lines.push(row("generator", result.generate.generator));
  const clones = cloneTargets(result);
  const label = (target: string) => clones.length > 1 ? `${target}: ` : "";
  for (const [target, t] of clones) {
    if (t.merge?.plan) lines.push(row("branch", `${label(target)}${plannedBranch(t.merge.plan)}`));
  }
  if (result.pyproject) {
    lines.push(row("pyproject", `${result.pyproject.pyprojectPath}: would pin as above`));
  }
  for (const [target, t] of clones) {
    if (t.pin?.kind === "package_json") {
      lines.push(row("pin", `${target}: ${t.pin.file}: would pin as above`));
    }
  }
  for (const [target, t] of Object.entries(result.targets)) {
    if (t?.kind === "vendored") lines.push(row(target, `${t.vendor_dir}: would vendor as above`));
  }
  for (const pr of result.pullRequests ?? []) lines.push(row("pr", describePullResult(pr)));
  return lines;
}

/** The spec written, what changed in the API, and the config lint's counts. */
function specRows(result: PipelineResult): string[] {
  const s = result.spec;
  const lines = [row(
    "spec",
    `${s.path}: ${s.operations} operations, ${s.paths} paths, OpenAPI ${s.openapiVersion}, sha256 ${s.sha256}`,
  )];
  if (result.spec_diff !== undefined) {
    const diff = result.spec_diff;
    const summary = diff ? formatDiffSummary(diff) : undefined;
    lines.push(row(
      "changes",
      !diff
        ? "first spec (nothing to compare with)"
        : summary === "no changes"
        ? `no API changes since ${diff.before}`
        : `${summary} since ${diff.before}`,
    ));
  }
  if (result.lint && result.lint.errors + result.lint.warnings > 0) {
    const { errors, warnings } = result.lint;
    lines.push(row("lint", `${errors} error(s), ${warnings} warning(s) in the Stainless config`));
  }
  return lines;
}

/** The generator, each target's main, the SDK API report and the warnings. */
function generationRows(result: PipelineResult): string[] {
  const { generate } = result;
  if (cloneTargets(result).length === 0) return [];
  const build = generate.buildId ? ` (build ${generate.buildId})` : "";
  const lines = [row("generator", `${generate.generator}${build}`)];
  const several = new Set(Object.values(generate.targets).map((r) => r?.generator)).size > 1;
  for (const [target, r] of Object.entries(generate.targets)) {
    if (!r) continue;
    const state = r.skipped ? "up to date; not regenerated" : r.changed ? "updated" : "unchanged";
    const backup = r.backup ? `; old main kept on ${r.backup}` : "";
    const by = several && r.generator ? `; ${r.generator}` : "";
    lines.push(row(target, `${r.clone}: main ${r.commit ?? "-"} (${state}${backup}${by})`));
  }
  if (generate.sdk_api) lines.push(row("sdk api", describeSdkApi(generate.sdk_api)));
  lines.push(...warningRows(generate.warnings ?? [], "generate.warnings"));
  return lines;
}

function warningRows(warnings: GeneratorWarning[], field: string): string[] {
  if (warnings.length === 0) return [];
  return [
    row("warnings", `${warnings.length} (--json: ${field})`),
    ...warnings.map((w) => `             ${formatWarning(w)}`),
  ];
}

/** Each vendored target: where its copy is, and what changed in it. */
function vendorRows(result: PipelineResult): string[] {
  const vendor = result.vendor;
  if (!vendor) return [];
  const lines = [
    row(
      "vendored",
      `with ${vendor.generator}${vendor.buildId ? ` (build ${vendor.buildId})` : ""}`,
    ),
  ];
  for (const [target, v] of Object.entries(vendor.targets)) {
    if (!v) continue;
    const state = v.skipped
      ? "up to date; not regenerated"
      : v.changed
      ? `updated: ${v.files} files, ${v.changes?.added.length ?? 0} added, ${
        v.changes?.changed.length ?? 0
      } changed, ${v.changes?.removed.length ?? 0} removed`
      : "unchanged";
    lines.push(row(target, `${v.vendor_dir} (${state}); stamp ${v.stamp}`));
  }
  if (vendor.sdk_api) lines.push(row("sdk api", describeSdkApi(vendor.sdk_api)));
  lines.push(...warningRows(vendor.warnings, "vendor.warnings"));
  return lines;
}

/** The mirror branches pushed (or not), the pins, and the pull requests. */
function publishRows(result: PipelineResult): string[] {
  const lines: string[] = [];
  const clones = cloneTargets(result);
  if (clones.length === 0) return lines;
  const label = (target: string) => clones.length > 1 ? `${target}: ` : "";
  if (!result.autoMerge) {
    lines.push(
      row("pushed", "nothing (--no-auto-merge): the pin names the local generated commit"),
    );
  }
  for (const [target, t] of clones) {
    const m = t.merge;
    if (!m) continue;
    const state = m.noop ? "already on origin; nothing pushed" : m.pushed ? "pushed" : "not pushed";
    lines.push(row("pushed", `${label(target)}${m.branch} ${m.commit ?? "-"} (${state})`));
  }
  for (const [target, t] of clones) {
    const p = t.pin;
    if (!p) continue;
    const state = p.changed ? "written" : "already pinned; unchanged";
    const local = p.commitOnRemote === false ? "; the commit is not on any remote yet" : "";
    const text = `${p.file}: ${p.entry} (${state}${local})`;
    lines.push(p.kind === "pyproject" ? row("pyproject", text) : row("pin", `${target}: ${text}`));
  }
  for (const [, t] of clones) {
    for (const warning of t.pin?.warnings ?? []) lines.push(row("warning", warning));
  }
  for (const pr of result.pullRequests ?? []) lines.push(row("pr", describePullResult(pr)));
  return lines;
}
