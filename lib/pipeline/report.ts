/**
 * What `all` reports: the result object (printed as JSON with `--json`) and its human summary.
 * Both carry the same facts: spec operations and sha256, generator and build id, the branch and
 * commit pushed, and the pyproject.toml entry written.
 */
import type { SpecSummary } from "../spec/openapi.ts";
import type { SdkTarget, TargetResult } from "../generate/types.ts";
import { type MergeResult, NEW_MIRROR_COMMIT } from "../sync/types.ts";
import type { PinResult } from "../pin/pin.ts";

export type StageName = "check" | "spec" | "generate" | "merge" | "pin";

export const STAGE_TITLES: Record<StageName, string> = {
  check: "check: configuration, generator, SDK clones, pyproject.toml",
  spec: "spec: start the trace server and save its OpenAPI spec",
  generate: "generate: generate the SDK code onto local main of each SDK clone",
  merge: "merge: push the generated code to the mirror branch, pin pyproject.toml to it",
  pin: "pin: pin pyproject.toml to the generated commit (--no-auto-merge: nothing is pushed)",
};

export interface StageRecord {
  name: StageName;
  title: string;
  status: "pending" | "done" | "planned" | "failed";
  seconds?: number;
  /** One line saying what the stage did (or would do). */
  did?: string;
}

export interface PipelineResult {
  ok: boolean;
  dryRun: boolean;
  repoRoot: string;
  autoMerge: boolean;
  release: boolean;
  spec: { path: string; written: boolean } & Partial<SpecSummary>;
  generate: {
    generator: string;
    buildId?: string;
    targets: Partial<Record<SdkTarget, TargetResult>>;
  };
  /** The mirror branch (auto-merge only). */
  merge?: Pick<MergeResult, "branch" | "traceBranch" | "commit" | "pushed" | "noop">;
  /** The SDK entry of pyproject.toml (with dryRun: the entry that would be written). */
  pyproject?: PinResult & { written: boolean };
  stages: StageRecord[];
  /** Dry run only: every process, API call, ref update and write it would make. */
  plan?: string[];
  seconds: number;
  /** Set when a stage failed (JSON output of a failed run). */
  error?: { stage: StageName; message: string; hint?: string; kind: "failure" | "usage" };
}

/** Plan lines of the merge stage, from mergeGeneratedCode's dry-run result. */
export function describeMergePlan(
  merged: MergeResult,
  sourceRef: string,
  release: boolean,
): string[] {
  const lines = [
    `fetch main and ${merged.branch} from origin (git fetch)`,
    `create one commit holding the tree of the SDK clone's ${sourceRef} (as generated), parent origin/main`,
    `push that commit to refs/heads/${merged.branch} on origin (git push --force-with-lease; main is never pushed)`,
    `update refs/remotes/origin/${merged.branch} in the SDK clone`,
  ];
  if (merged.pin) {
    const entry = release ? merged.pin.entry : withUnknownCommit(merged.pin, "<that commit>").entry;
    lines.push(`write ${merged.pin.pyprojectPath}: ${entry}`);
  }
  return lines;
}

/**
 * A dry-run pin of `all` names the mirror commit that does not exist yet (generation has not run):
 * whatever sha or placeholder the merge's dry run put there becomes `@<name>`.
 */
export function withUnknownCommit(pin: PinResult, name = NEW_MIRROR_COMMIT): PinResult {
  const swap = (entry: string) => entry.replace(/@(?:[0-9a-f]{40}\b|<[^>]+>)/, `@${name}`);
  return { ...pin, entry: swap(pin.entry), entries: pin.entries.map(swap) };
}

/** The human summary printed on stdout at the end of `all`. */
export function formatSummary(result: PipelineResult): string[] {
  const row = (label: string, text: string) => `  ${label.padEnd(10)} ${text}`;
  const lines: string[] = [];
  if (result.dryRun) {
    lines.push("codegen all --dry-run: nothing was changed. The plan:");
    for (const step of result.plan ?? []) lines.push(`  - ${step}`);
    lines.push(row("generator", result.generate.generator));
    if (result.merge) lines.push(row("branch", `${result.merge.branch} (would be pushed)`));
    if (result.pyproject) {
      lines.push(row("pyproject", `${result.pyproject.pyprojectPath}: would pin as above`));
    }
    return lines;
  }
  lines.push(`codegen all: done in ${result.seconds.toFixed(1)} s`);
  const s = result.spec;
  lines.push(
    row(
      "spec",
      `${s.path}: ${s.operations} operations, ${s.paths} paths, OpenAPI ${s.openapiVersion}, sha256 ${s.sha256}`,
    ),
  );
  const build = result.generate.buildId ? ` (build ${result.generate.buildId})` : "";
  lines.push(row("generator", `${result.generate.generator}${build}`));
  for (const [target, r] of Object.entries(result.generate.targets)) {
    if (!r) continue;
    const state = r.changed ? "updated" : "unchanged";
    const backup = r.backup ? `; old main kept on ${r.backup}` : "";
    lines.push(row(target, `${r.clone}: main ${r.commit ?? "-"} (${state}${backup})`));
  }
  if (result.merge) {
    const m = result.merge;
    const state = m.noop ? "already on origin; nothing pushed" : m.pushed ? "pushed" : "not pushed";
    lines.push(row("pushed", `${m.branch} ${m.commit ?? "-"} (${state})`));
  } else {
    lines.push(
      row("pushed", "nothing (--no-auto-merge): the pin names the local generated commit"),
    );
  }
  if (result.pyproject) {
    const p = result.pyproject;
    const state = p.changed ? "written" : "already pinned; unchanged";
    lines.push(row("pyproject", `${p.pyprojectPath}: ${p.entry} (${state})`));
  }
  return lines;
}
