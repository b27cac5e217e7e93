/**
 * Publishes the generated SDK code on a mirror branch (`weave/<trace branch>`) of the SDK
 * repository, then pins the trace repository's pyproject.toml to the pushed commit.
 *
 * Only git plumbing is used: the commit is made from the tree of the generated branch with
 * `commit-tree`, and pushed by sha. The SDK clone's working tree, index, HEAD and local branches
 * are never touched, so uncommitted work there survives and the clone stays where it was.
 *
 * The steps, each a function with typed input and output:
 *   prepareMerge (prepare.ts)  clone, trace branch, mirror branch, origin access, pin, lock
 *   runMerge                   generated commit + pin check, fetch + decide, commit + push, pin
 *   planMerge (mirror_plan.ts) what runMerge would do, without fetching or writing anything
 */
import { CodegenError } from "../core/errors.ts";
import { git, gitOutput, resolveCommit, short, treeOf } from "../git/git.ts";
import { commitIdentityEnv } from "../git/identity.ts";
import { log } from "../core/log.ts";
import type { PinSpec } from "../pin/pin.ts";
import { releaseVersion, type TargetPinResult, writeTargetPin } from "../pin/target_pin.ts";
import { exists } from "../core/fs.ts";
import { sha256Hex } from "../core/sha256.ts";
import {
  type MergeOptions,
  type PreparedMerge,
  prepareMerge,
  remoteTips,
  resolveGenerated,
} from "./prepare.ts";
import { planMerge } from "./mirror_plan.ts";
import { stripUrlCredentials } from "../core/redact.ts";
import { readStampAt } from "../provenance/up_to_date.ts";
import { type MergePlan, type MergeResult, PinAfterPushError, type PushResult } from "./types.ts";

export const GENERATED_BY = "Generated-By: codegen";

/** Origin after the fetch: the base to build on, and the mirror tip if it already holds the tree. */
type FetchedState =
  | { kind: "up to date"; base: string; current: string }
  | { kind: "push"; base: string; current?: string };

/** Origin's base and mirror branches, fetched into the clone: their tips. */
export interface FetchedRemote {
  base: string;
  /** Undefined when the mirror branch does not exist on origin yet. */
  current?: string;
}

/** The clone's remote-tracking refs (`refs/remotes/origin/<name>` → sha), in one git call. */
async function trackingRefs(repo: string, names: string[]): Promise<Map<string, string>> {
  const refs = names.map((name) => `refs/remotes/origin/${name}`);
  const listed = await gitOutput(repo, [
    "for-each-ref",
    "--format=%(refname) %(objectname)",
    ...refs,
  ]);
  return new Map(
    listed.split("\n").filter(Boolean).map((line) => {
      const [ref, sha] = line.split(" ");
      return [ref.slice("refs/remotes/origin/".length), sha];
    }),
  );
}

/**
 * Step 2a: origin's tips (`git ls-remote`), fetched into the clone unless its remote-tracking refs
 * already point there (an unchanged rerun fetches nothing). Reads origin only; the lease and the
 * comparisons use exactly these tips. `all` starts it early, while the spec stage runs.
 */
export async function fetchRemote(prepared: PreparedMerge): Promise<FetchedRemote> {
  const { sdkRepo, baseBranch, branch, origin } = prepared;
  const { baseTip, mirrorTip } = await remoteTips(prepared);
  const local = await trackingRefs(sdkRepo, [baseBranch, branch]);
  const wanted: [string, string | undefined][] = [[baseBranch, baseTip], [branch, mirrorTip]];
  if (wanted.every(([name, tip]) => tip === undefined || local.get(name) === tip)) {
    log.verbose(`origin/${baseBranch} and origin/${branch} are already fetched`);
    return { base: baseTip, current: mirrorTip };
  }
  const refspecs = wanted.filter(([, tip]) => tip !== undefined)
    .map(([name]) => `+refs/heads/${name}:refs/remotes/origin/${name}`);
  // Into origin's remote-tracking refs only: no FETCH_HEAD (nothing reads it; a failed run then
  // leaves nothing in the clone but origin's tips).
  const args = ["fetch", "--no-tags", "--no-write-fetch-head", "--quiet", "origin", ...refspecs];
  await git(sdkRepo, args, {
    token: origin.token,
    what: "fetch origin",
    hint: origin.hint ?? "Check the network and your access to the SDK repository.",
    timeoutMs: 300_000,
  });
  // The lease and the comparisons use exactly what was just fetched.
  const base = await resolveCommit(sdkRepo, `refs/remotes/origin/${baseBranch}`);
  if (!base) throw new CodegenError(`fetching origin gave no ${baseBranch} in ${sdkRepo}`);
  const current = mirrorTip
    ? await resolveCommit(sdkRepo, `refs/remotes/origin/${branch}`)
    : undefined;
  return { base, current };
}

/** Step 2b: does the mirror branch already hold the generated tree? */
async function decide(
  prepared: PreparedMerge,
  tree: string,
  remote: FetchedRemote,
): Promise<FetchedState> {
  const { base, current } = remote;
  if (current !== undefined && (await treeOf(prepared.sdkRepo, current)) === tree) {
    return { kind: "up to date", base, current };
  }
  return { kind: "push", base, current };
}

/** Refuses (unless forced) to replace commits on the mirror branch that codegen did not make. */
async function refuseForeignCommits(prepared: PreparedMerge, state: FetchedState): Promise<void> {
  if (!state.current) return;
  const { branch } = prepared;
  const foreign = await foreignCommits(prepared.sdkRepo, state.current, state.base);
  if (foreign.length === 0) return;
  if (!prepared.force) {
    throw new CodegenError(
      `${branch} on origin has ${foreign.length} commit(s) that codegen did not make; refusing to overwrite them`,
      {
        details: foreign.join("\n"),
        hint: `Move that work elsewhere, or pass --force to replace the branch anyway.`,
      },
    );
  }
  log.warn(
    `--force: replacing ${foreign.length} commit(s) on ${branch}:\n  ${foreign.join("\n  ")}`,
  );
}

/** Step 3: one commit holding the generated tree on top of origin's base, pushed with a lease. */
async function commitAndPush(
  prepared: PreparedMerge,
  { commit: generated, tree }: { commit: string; tree: string },
  state: FetchedState,
): Promise<string> {
  const { sdkRepo, branch, origin } = prepared;
  const commit = await gitOutput(sdkRepo, ["commit-tree", tree, "-p", state.base, "-F", "-"], {
    input: await commitMessage(prepared, generated),
    env: await commitIdentityEnv(sdkRepo),
    what: "create the mirror commit",
  });
  await git(sdkRepo, [
    "push",
    "--porcelain",
    `--force-with-lease=refs/heads/${branch}:${state.current ?? ""}`,
    "origin",
    `${commit}:refs/heads/${branch}`,
  ], {
    token: origin.token,
    what: `push ${branch} to origin`,
    hint: `Nothing was pinned. ${
      origin.hint ??
        "Check your push access to the SDK repository; if someone pushed meanwhile, run again."
    }`,
    timeoutMs: 300_000,
  });
  await git(sdkRepo, ["update-ref", `refs/remotes/origin/${branch}`, commit]);
  log.info(`pushed ${short(commit)} to ${branch} on origin`);
  return commit;
}

/**
 * The mirror commit's message. Its trailers say where the code came from: the trace repository
 * (its origin URL, without credentials; absent when it has no origin), branch and commit, the
 * spec's sha256, the inputs key of the origin stamp (which holds only inputs, never these), and
 * `Generated-By: codegen` (how codegen knows its own commits).
 */
async function commitMessage(prepared: PreparedMerge, generatedCommit: string): Promise<string> {
  const { specPath, traceBranch, traceCommit } = prepared;
  const specSha = specPath && (await exists(specPath))
    ? await sha256Hex(await Deno.readFile(specPath))
    : undefined;
  if (!specSha) {
    log.warn(
      `no OpenAPI spec at ${specPath ?? "(not set)"}; the commit will not record its sha256`,
    );
  }
  const traceUrl = await traceRepositoryUrl(prepared.traceRepo);
  const stamp = await readStampAt(prepared.sdkRepo, generatedCommit);
  return [
    `Update generated code from weave branch: ${traceBranch}`,
    "",
    `Generated from trace commit ${traceCommit} of branch ${traceBranch}.`,
    "",
    ...(traceUrl ? [`Trace-Repository: ${traceUrl}`] : []),
    `Trace-Branch: ${traceBranch}`,
    `Trace-Commit: ${traceCommit}`,
    ...(specSha ? [`Spec-Sha256: ${specSha}`] : []),
    ...(stamp.kind === "stamp" ? [`Codegen-Inputs: ${stamp.stamp.codegen.inputs}`] : []),
    GENERATED_BY,
    "",
  ].join("\n");
}

/** The trace repository's origin URL without credentials; undefined when it has no origin. */
async function traceRepositoryUrl(traceRepo: string): Promise<string | undefined> {
  const result = await git(traceRepo, ["remote", "get-url", "origin"], { check: false });
  const url = result.stdout.trim();
  return result.code === 0 && url ? stripUrlCredentials(url) : undefined;
}

/**
 * The merge itself, once the generated code is on the source ref: checks the pin can be written
 * (file, package name, version) before anything is pushed, pushes the mirror branch unless it
 * already holds the generated tree, then pins. A failing pin after the push throws
 * PinAfterPushError, which says what origin holds.
 */
export async function runMerge(
  prepared: PreparedMerge,
  options: { remote?: Promise<FetchedRemote> } = {},
): Promise<MergeResult> {
  const generated = await resolveGenerated(prepared);
  const version = prepared.pin.release
    ? await releaseVersion(prepared.pin, prepared.sdkRepo, generated.commit)
    : undefined;
  const spec = (commit: string): PinSpec => version ? { version } : { commit };
  await writeTargetPin(prepared.pin, spec(generated.commit), { dryRun: true });
  const remote = await (options.remote ?? fetchRemote(prepared));
  const state = await decide(prepared, generated.tree, remote);
  let pushed: PushResult;
  if (state.kind === "up to date") {
    log.info(
      `${prepared.branch} on origin already holds the generated code (${
        short(state.current)
      }); nothing to push`,
    );
    pushed = pushResult(prepared, state.current, false);
  } else {
    await refuseForeignCommits(prepared, state);
    pushed = pushResult(prepared, await commitAndPush(prepared, generated, state), true);
  }
  let pin: TargetPinResult | undefined;
  try {
    pin = await writeTargetPin(prepared.pin, spec(pushed.commit), {
      sdkCommit: generated.commit,
    });
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    // The push stands: say so, or the user would believe nothing happened.
    const file = prepared.pin.kind === "package_json" ? "package.json" : "pyproject.toml";
    throw new PinAfterPushError(pushed, error, file);
  }
  return { ...pushed, pin };
}

function pushResult(prepared: PreparedMerge, commit: string, pushed: boolean): PushResult {
  return {
    branch: prepared.branch,
    traceBranch: prepared.traceBranch,
    commit,
    pushed,
    noop: !pushed,
  };
}

/** What merge_generated_code did (or, with dryRun, would do). */
export type MergeOutcome =
  | { dryRun: true; plan: MergePlan }
  | { dryRun: false; result: MergeResult };

/** `merge_generated_code`: prepare, then push and pin (with dryRun: plan). Entry point for commands. */
export async function mergeGeneratedCode(options: MergeOptions): Promise<MergeOutcome> {
  const prepared = await prepareMerge(options);
  try {
    return options.dryRun
      ? { dryRun: true, plan: await planMerge(prepared) }
      : { dryRun: false, result: await runMerge(prepared) };
  } finally {
    await prepared.release();
  }
}

/** Commits on the remote mirror branch that this tool did not make: `sha subject (author)`. */
async function foreignCommits(repo: string, mirror: string, base: string): Promise<string[]> {
  const log = await gitOutput(repo, [
    "log",
    "--format=%H%x00%h %s (%an, %ad)%x00%(trailers:key=Generated-By,valueonly,separator=%x2c)%x1e",
    "--date=short",
    mirror,
    "--not",
    base,
  ]);
  return log.split("\x1e").map((record) => record.trim()).filter(Boolean)
    .map((record) => record.split("\x00"))
    .filter(([, , by]) => !by.split(",").some((v) => v.trim() === "codegen"))
    .map(([, line]) => line);
}
