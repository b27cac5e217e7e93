/**
 * Title and body of the pull request that proposes regenerated SDK code.
 *
 * The body starts with a marker comment (`<!-- codegen:pr target=... head=... -->`) by which the
 * tool recognizes its own pull requests, then says where the code came from (trace repository,
 * branch, commit), what changed in the API (breaking changes first), what changed in the SDK's
 * public names, the inputs (hashes from the origin stamp, generator and version), which files
 * changed, and how to reproduce the run. GitHub rejects bodies over 65,536 characters: long
 * lists are shortened, least important first (files, SDK report, API changes, inputs, breaking
 * changes), with a notice saying so.
 */
import {
  breakingChanges,
  changeLevel,
  type OperationChange,
  type SdkApiReport,
  type SpecChanges,
} from "./changes.ts";
import { bullets, code, codeBlock, plain } from "./markdown.ts";

/** GitHub's limit on a pull request body, in characters. */
export const GITHUB_BODY_LIMIT = 65_536;
export const PR_MARKER = "codegen:pr";
/** GitHub's limit on a title. */
const TITLE_LIMIT = 256;

/** The origin stamp: `"<input path>": "sha256:<hex>"` entries plus a `codegen` object. */
export interface OriginStamp {
  codegen?: Record<string, unknown>;
  [input: string]: unknown;
}

/** The trace repository commit the code was generated from. */
export interface PrSource {
  /** Display name (`wandb/weave`) or URL of the trace repository. */
  repository: string;
  branch: string;
  commit: string;
  /** Web URL of the trace repository, for commit links (`https://github.com/wandb/weave`). */
  webUrl?: string;
}

export interface PullRequestContent {
  /** "python", "typescript". */
  target: string;
  packageName: string;
  /** The pull request's head branch (the mirror branch). */
  head: string;
  source: PrSource;
  stamp?: OriginStamp;
  /** Said in the "Inputs" section when there is no stamp (else the section is left out). */
  stampNote?: string;
  specChanges?: SpecChanges;
  /** Why there are no `specChanges` (said in the "API changes" section). */
  specNotComputed?: string;
  apiReport?: SdkApiReport;
  /** `git diff --stat` output. */
  diffStat?: string;
  /** The command that reproduces this run. */
  reproduce: string;
}

/** Conventional-commit title: `feat(api)!:` when breaking, `feat`, `fix` or `chore` otherwise. */
export function pullRequestTitle(content: PullRequestContent): string {
  const level = changeLevel(content.specChanges, content.apiReport);
  const prefix =
    { breaking: "feat(api)!", feature: "feat(api)", fix: "fix(api)", chore: "chore(api)" }[
      level
    ];
  const title = `${prefix}: update ${content.packageName} from ${content.source.branch}@${
    content.source.commit.slice(0, 7)
  }`;
  return title.length <= TITLE_LIMIT ? title : `${title.slice(0, TITLE_LIMIT - 1)}…`;
}

/** The marker comment's fields, or undefined when the body has no marker (not our PR). */
export function readMarker(body: string | null | undefined): Record<string, string> | undefined {
  const match = /<!--\s*codegen:pr\b([^>]*?)-->/.exec(body ?? "");
  if (!match) return undefined;
  const fields: Record<string, string> = {};
  for (const [, key, value] of match[1].matchAll(/(\w+)=(\S+)/g)) {
    fields[key] = decodeURIComponent(value);
  }
  return fields;
}

function marker(content: PullRequestContent): string {
  // The stamp's inputs key (lib/provenance/stamp.ts `codegen.inputs`): what the PR was made from.
  const inputsKey = content.stamp?.codegen?.inputs;
  const fields = { target: content.target, head: content.head, inputs_key: inputsKey };
  const text = Object.entries(fields).filter(([, v]) => typeof v === "string" && v)
    .map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`).join(" ");
  return `<!-- ${PR_MARKER} ${text} -->`;
}

interface Block {
  label?: string;
  items: string[];
  /** Items are the lines of a code block; the last `keepLast` lines are never cut. */
  code?: boolean;
  keepLast?: number;
}

interface Section {
  title: string;
  /** Shortened first when the body is too long (lowest first); undefined: never. */
  cutRank?: number;
  intro?: string;
  blocks: Block[];
}

/** The whole body, at most `limit` characters. */
export function pullRequestBody(content: PullRequestContent, limit = GITHUB_BODY_LIMIT): string {
  const sections = [
    breakingSection(content.specChanges),
    apiChangesSection(content.specChanges, content.specNotComputed),
    sdkReportSection(content.apiReport),
    inputsSection(content.stamp, content.stampNote),
    filesSection(content.diffStat),
    { title: "Reproduce", blocks: [], intro: codeBlock(content.reproduce, "sh") },
  ].filter((s): s is Section => s !== undefined);
  return fit(header(content), sections, limit);
}

function header(content: PullRequestContent): string {
  const { source } = content;
  const repo = source.webUrl
    ? `[${plain(source.repository)}](${source.webUrl})`
    : code(source.repository);
  const commit = source.webUrl
    ? `[${code(source.commit.slice(0, 12))}](${source.webUrl}/commit/${source.commit})`
    : code(source.commit.slice(0, 12));
  return [
    marker(content),
    `## Regenerated ${code(content.packageName)} (${plain(content.target)})`,
    "",
    `Generated by codegen from ${repo}, branch ${code(source.branch)}, commit ${commit}.`,
  ].join("\n");
}

function operationLine(change: OperationChange, withFlag: boolean): string {
  const flag = withFlag && change.breaking ? " **(breaking)**" : "";
  const why = change.descriptions?.length ? `: ${change.descriptions.map(plain).join("; ")}` : "";
  return `${code(change.operation)}${flag}${why}`;
}

function breakingSection(spec?: SpecChanges): Section | undefined {
  const breaking = breakingChanges(spec);
  if (breaking.length === 0) return undefined;
  const removed = new Set(spec!.removed);
  return {
    title: "⚠️ Breaking changes",
    cutRank: 5,
    blocks: [{
      items: breaking.map((c) =>
        removed.has(c) && !c.descriptions?.length
          ? `${code(c.operation)}: removed`
          : operationLine(c, false)
      ),
    }],
  };
}

function apiChangesSection(spec?: SpecChanges, notComputed?: string): Section {
  if (!spec || spec.added.length + spec.removed.length + spec.changed.length === 0) {
    return {
      title: "API changes",
      blocks: [],
      intro: spec
        ? "None: the OpenAPI operations are unchanged."
        : `The spec diff was not computed${notComputed ? `: ${notComputed}` : ""}.`,
    };
  }
  const block = (label: string, changes: OperationChange[]): Block => ({
    label: `${label} (${changes.length})`,
    items: changes.map((c) => operationLine(c, true)),
  });
  return {
    title: "API changes",
    cutRank: 3,
    blocks: [
      block("Added", spec.added),
      block("Removed", spec.removed),
      block("Changed", spec.changed),
    ]
      .filter((b) => b.items.length > 0),
  };
}

function sdkReportSection(report?: SdkApiReport): Section | undefined {
  if (!report) return undefined;
  const block = (label: string, names: string[]): Block => ({
    label: `${label} (${names.length})`,
    items: names.map(code),
  });
  const blocks = [
    block("Added", report.added),
    block("Removed", report.removed),
    block("Changed", report.changed),
  ].filter((b) => b.items.length > 0);
  return {
    title: "SDK API report",
    cutRank: 2,
    blocks,
    intro: blocks.length ? undefined : "No public name of the SDK was added, removed or changed.",
  };
}

function inputsSection(stamp?: OriginStamp, note?: string): Section | undefined {
  if (!stamp) return note ? { title: "Inputs", blocks: [], intro: plain(note) } : undefined;
  const hashes = Object.entries(stamp).filter(([key, v]) =>
    key !== "codegen" && typeof v === "string"
  )
    .map(([path, hash]) => `${code(path)}: ${code(hash as string)}`);
  const info = stamp.codegen ?? {};
  const generator = typeof info.generator === "string"
    ? `Generator: ${code(info.generator)}${
      typeof info.generator_version === "string" ? ` ${code(info.generator_version)}` : ""
    }`
    : undefined;
  const others = Object.entries(info)
    .filter(([key, value]) => !["generator", "generator_version"].includes(key) && value !== null)
    .map(([key, value]) =>
      `${plain(key)}: ${code(typeof value === "string" ? value : JSON.stringify(value))}`
    );
  return {
    title: "Inputs",
    cutRank: 4,
    intro: generator,
    blocks: [{ items: [...hashes, ...others] }],
  };
}

function filesSection(diffStat?: string): Section | undefined {
  const lines = diffStat?.replace(/\n+$/, "").split("\n").filter((l) => l.trim()) ?? [];
  if (lines.length === 0) return undefined;
  return {
    title: "Files changed",
    cutRank: 1,
    blocks: [{ items: lines, code: true, keepLast: 1 }],
  };
}

/** A section with at most `cap` items per list; `cap < 0` leaves only a line saying it was cut. */
function renderSection(section: Section, cap: number): string {
  const parts = [`### ${section.title}`];
  if (cap < 0) {
    return [...parts, "_Left out: the description would exceed GitHub's limit._"].join("\n\n");
  }
  if (section.intro) parts.push(section.intro);
  for (const block of section.blocks) {
    if (block.code) {
      const keep = block.keepLast ?? 0;
      const body = block.items.slice(0, block.items.length - keep);
      const shown = body.slice(0, cap);
      const more = body.length - shown.length;
      const lines = [
        ...shown,
        ...(more > 0 ? [` … and ${more} more`] : []),
        ...block.items.slice(body.length),
      ];
      parts.push(codeBlock(lines.join("\n")));
    } else {
      parts.push(
        [block.label ? `**${block.label}**` : "", bullets(block.items, cap)].filter(Boolean).join(
          "\n\n",
        ),
      );
    }
  }
  return parts.join("\n\n");
}

const FOOTER =
  "<sub>Opened by codegen; it rewrites this description on every run (comment instead of editing it).</sub>";

function compose(
  head: string,
  sections: Section[],
  caps: Map<Section, number>,
  cut: string[],
  limit: number,
): string {
  const notice = cut.length
    ? [
      `> [!NOTE]\n> Shortened to fit GitHub's limit of ${
        limit.toLocaleString("en-US")
      } characters (cut: ${
        cut.join(", ")
      }). Run the command under "Reproduce" for the full report.`,
    ]
    : [];
  return [
    head,
    ...notice,
    ...sections.map((s) => renderSection(s, caps.get(s) ?? Infinity)),
    FOOTER,
  ]
    .join("\n\n") + "\n";
}

function itemCount(section: Section): number {
  return Math.max(0, ...section.blocks.map((b) => b.items.length));
}

function fit(head: string, sections: Section[], limit: number): string {
  const caps = new Map<Section, number>();
  const cut: string[] = [];
  const text = () => compose(head, sections, caps, cut, limit);
  if (text().length <= limit) return text();
  const order = sections.filter((s) => s.cutRank !== undefined).sort((a, b) =>
    a.cutRank! - b.cutRank!
  );
  // First shorten each list, least important section first (down to none of its items)...
  for (const section of order) {
    cut.push(section.title.replace(/^\W+/, "").toLowerCase());
    let low = 0;
    let high = itemCount(section);
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      caps.set(section, mid);
      if (text().length <= limit) low = mid;
      else high = mid - 1;
    }
    caps.set(section, low);
    if (text().length <= limit) return text();
  }
  // ...then leave whole sections out, in the same order.
  for (const section of order) {
    caps.set(section, -1);
    if (text().length <= limit) return text();
  }
  // Only the parts that are never cut are left, and they are too long (a huge command line).
  const ending = "\n\n… (cut at GitHub's limit)\n";
  return text().slice(0, limit - ending.length) + ending;
}
