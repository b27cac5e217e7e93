/**
 * What the pull request of one target says (lib/github/pr_body.ts renders it): the source (the
 * trace repository, branch and commit: the mirror commit's `Trace-Commit:` trailer, else the
 * trace repository's HEAD), the origin stamp of the mirror tree, the API changes
 * (spec_changes.ts), the SDK API report between the base and mirror trees, and the command that
 * reproduces the generated tree. The diff stat is added by openPullRequest.
 */
import { log } from "../core/log.ts";
import { basename } from "../core/paths.ts";
import { stripUrlCredentials } from "../core/redact.ts";
import { git, resolveCommit } from "../git/git.ts";
import type { SdkApiReport, SpecChanges } from "../github/changes.ts";
import { sdkApiReportOf } from "../github/from_diffs.ts";
import type { PrSource, PullRequestContent } from "../github/pr_body.ts";
import type { BranchComparison } from "../github/remote.ts";
import { fullName } from "../github/types.ts";
import { repoFromRemoteUrl, webUrlOf } from "../github/repo.ts";
import { SdkLayoutError } from "../sdk_api/extract.ts";
import { reportSdkApi } from "../sdk_api/report.ts";
import { commitTrailer, ORIGIN_STAMP_PATH, originStampAt } from "./sdk_tree.ts";
import { pullRequestSpecChanges } from "./spec_changes.ts";

export interface PrContentInput {
  /** "python", "typescript". */
  target: string;
  /** The SDK API report reads Python SDKs only (default python). */
  language?: "python" | "typescript";
  packageName: string;
  /** The SDK clone (path), and the pull request's head branch in it (the mirror branch). */
  clone: string;
  head: string;
  /** Name of the SDK repository (for the reproduce command's clone directory). */
  sdkRepoName: string;
  traceRepo: string;
  traceBranch: string;
  /** The trace repository's spec file (absolute). */
  specPath: string;
  /** The GitHub API base (which host links point at). */
  apiUrl: string;
  /** The generator of the run, when the stamp does not name it. */
  generator?: string;
  /** API changes the caller already has; else they are computed (spec_changes.ts). */
  specChanges?: SpecChanges;
}

/** The body's parts known before the branches are compared. */
export async function baseContent(
  input: PrContentInput,
): Promise<Omit<PullRequestContent, "diffStat">> {
  const source = await baseSource(input);
  return {
    target: input.target,
    packageName: input.packageName,
    head: input.head,
    source,
    reproduce: reproduceCommand(input, source, input.generator),
  };
}

/** openPullRequest's `describe`: the parts read from the compared commits. */
export function describePullRequest(
  input: PrContentInput,
): (comparison: BranchComparison | undefined) => Promise<Partial<PullRequestContent>> {
  return async (comparison) => {
    const known = comparison?.identical !== undefined;
    const head = known ? comparison!.headCommit : undefined;
    const base = known ? comparison!.baseCommit : undefined;
    const stamp = head ? await originStampAt(input.clone, head) : undefined;
    const traceCommit = head ? await commitTrailer(input.clone, head, "Trace-Commit") : undefined;
    const source = traceCommit ? await traceSource(input, traceCommit) : undefined;
    const spec = input.specChanges ? { changes: input.specChanges } : await pullRequestSpecChanges({
      clone: input.clone,
      baseCommit: base,
      headCommit: head,
      traceRepo: input.traceRepo,
      specPath: input.specPath,
    });
    const generator = typeof stamp?.codegen?.generator === "string"
      ? stamp.codegen.generator
      : input.generator;
    return {
      ...(source ? { source } : {}),
      stamp,
      stampNote: head
        ? `The generated tree has no origin stamp (\`${ORIGIN_STAMP_PATH}\`): its inputs are not recorded.`
        : "The origin stamp was not read (a dry run without the mirror branch's commit).",
      ...("changes" in spec
        ? { specChanges: spec.changes }
        : { specNotComputed: spec.notComputed }),
      apiReport: head && base && (input.language ?? "python") === "python"
        ? await sdkReport(input.clone, base, head, input.packageName)
        : undefined,
      reproduce: reproduceCommand(input, source ?? await baseSource(input), generator),
    };
  };
}

/** The source before the mirror commit is read: the trace repository's HEAD. */
async function baseSource(input: PrContentInput): Promise<PrSource> {
  return await traceSource(input, await resolveCommit(input.traceRepo, "HEAD"));
}

/** The trace repository as GitHub names it (and its web URL), else its origin or folder name. */
async function traceSource(input: PrContentInput, commit: string | undefined): Promise<PrSource> {
  const remote = await git(input.traceRepo, ["remote", "get-url", "origin"], { check: false });
  const url = remote.code === 0 ? remote.stdout.trim() : "";
  const repo = url ? repoFromRemoteUrl(url, input.apiUrl) : undefined;
  return {
    repository: repo ? fullName(repo) : url ? stripUrlCredentials(url) : basename(input.traceRepo),
    branch: input.traceBranch,
    commit: commit ?? "(no commit)",
    ...(repo ? { webUrl: webUrlOf(repo, input.apiUrl) } : {}),
  };
}

/** The public API of the SDK at `base` and at `head`, compared; undefined without an SDK. */
async function sdkReport(
  clone: string,
  base: string,
  head: string,
  packageName: string,
): Promise<SdkApiReport | undefined> {
  try {
    const report = await reportSdkApi({
      clone,
      next: { commit: head },
      base: [base],
      packageName,
    });
    if (report.baseNote) log.verbose(`SDK API report: the base has no SDK (${report.baseNote})`);
    return sdkApiReportOf(report.diff);
  } catch (error) {
    if (!(error instanceof SdkLayoutError)) throw error;
    log.warn(`no SDK API report: the mirror branch holds no SDK package (${error.message})`);
    return undefined;
  }
}

/** How to generate the same tree again: the trace commit, then `all` without pushing. */
function reproduceCommand(input: PrContentInput, source: PrSource, generator?: string): string {
  const python = input.target === "python";
  const flags = [
    "--no-auto-merge",
    ...(generator ? [`--generator ${generator}`] : []),
    python
      ? `--python-output ../${input.sdkRepoName}`
      : `--target ${input.target}.output=../${input.sdkRepoName}`,
    python
      ? `--package-name ${input.packageName}`
      : `--target ${input.target}.package_name=${input.packageName}`,
  ];
  return [
    `# in a clone of ${source.repository}, next to a clone of the SDK repository:`,
    `git checkout ${source.commit}`,
    `codegen all ${flags.join(" ")}`,
  ].join("\n");
}
