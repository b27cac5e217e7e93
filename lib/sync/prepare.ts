/**
 * Step 1 of a merge: everything that does not depend on the generated code, resolved and checked
 * once (in `all`: in its check stage, before the spec is written): the SDK clone, the trace branch
 * and commit, the mirror branch name, how to reach origin, the pin, the clone's lock. Also the
 * read-only lookups both the run and the plan make (generated commit, remote tips).
 */
import { CodegenError, usageError } from "../core/errors.ts";
import {
  currentBranch,
  isHttpsRemote,
  isLegalBranchName,
  lsRemote,
  originUrl,
  resolveCommit,
  tokenForRemote,
  treeOf,
} from "../git/git.ts";
import { type CheckedClone, ensureClone, lockClones } from "../git/clone.ts";
import { log } from "../core/log.ts";
import {
  type PreparedTargetPin,
  prepareTargetPin,
  type TargetPinOptions,
} from "../pin/target_pin.ts";

export const DEFAULT_MIRROR_PREFIX = "weave/";
export const DEFAULT_SOURCE_REF = "main";

export interface MergeOptions {
  /** The trace repository (its current branch names the mirror branch). */
  traceRepo: string;
  /**
   * The SDK clone (PYTHON_OUTPUT). A path is checked and locked by prepareMerge; a CheckedClone
   * was checked by the caller, who also holds its lock (`all`: its prepared generation).
   */
  sdkRepo: string | CheckedClone;
  /** The target ("python", "typescript"), named in messages (default python). */
  target?: string;
  /** The config key of the clone's path, named in messages (default python_output). */
  cloneKey?: string;
  /** Where the path was given (the flag typed, argument, variable, file line), for messages. */
  cloneSource?: string;
  /** How the pushed commit is pinned (default: pyproject.toml, from the four fields below). */
  pin?: TargetPinOptions;
  packageName?: string;
  pyprojectPath?: string;
  extra?: string;
  release?: boolean;
  /** Branch name to use when the trace repository is in detached HEAD. */
  traceBranch?: string;
  /** Environment to read GITHUB_HEAD_REF / GITHUB_REF_NAME / GITHUB_TOKEN from. */
  env?: Record<string, string | undefined>;
  mirrorPrefix?: string;
  /** Local ref of the SDK clone holding the generated code (default "main"). */
  sourceRef?: string;
  /** Branch of origin the mirror commit is based on (default "main"). */
  baseBranch?: string;
  /** The OpenAPI spec, whose sha256 is recorded in the commit. */
  specPath?: string;
  /** Overwrite commits someone else pushed to the mirror branch. */
  force?: boolean;
  /** Prepare a plan only: no lock is taken. */
  dryRun?: boolean;
}

/** How to reach origin: its URL, the token to give git (if any), the hint when access fails. */
export interface OriginAccess {
  url: string;
  token?: string;
  hint?: string;
}

/** Everything a merge needs that does not depend on the generated code, resolved once. */
export interface PreparedMerge {
  readonly sdkRepo: string;
  readonly traceRepo: string;
  readonly traceBranch: string;
  readonly traceCommit: string;
  /** The mirror branch. */
  readonly branch: string;
  readonly sourceRef: string;
  readonly baseBranch: string;
  readonly specPath?: string;
  readonly force: boolean;
  readonly origin: OriginAccess;
  /** The target, named in messages. */
  readonly target: string;
  readonly pin: PreparedTargetPin;
  /** Gives up the lock prepareMerge took (none for a CheckedClone, nor in a dry run). */
  release(): Promise<void>;
}

/** The trace branch: the checked-out branch, else (detached HEAD) flag, then CI variables. */
export async function resolveTraceBranch(
  traceRepo: string,
  flag: string | undefined,
  env: Record<string, string | undefined>,
): Promise<string> {
  if (flag) return flag;
  const branch = await currentBranch(traceRepo);
  if (branch) return branch;
  for (const name of ["GITHUB_HEAD_REF", "GITHUB_REF_NAME"]) {
    const value = env[name]?.trim();
    if (value) {
      log.verbose(`trace repository is in detached HEAD; using ${name}=${value}`);
      return value;
    }
  }
  throw usageError(
    `the trace repository ${traceRepo} is in detached HEAD, so it has no branch to name the mirror branch after`,
    "Pass --trace-branch <name>, or set GITHUB_HEAD_REF or GITHUB_REF_NAME (GitHub Actions sets them).",
  );
}

export async function mirrorBranchName(
  repo: string,
  prefix: string,
  traceBranch: string,
): Promise<string> {
  const branch = `${prefix}${traceBranch}`;
  if (!(await isLegalBranchName(repo, branch))) {
    throw usageError(
      `${JSON.stringify(branch)} is not a legal git branch name`,
      "Use a trace branch name (and mirror prefix) without spaces, `..`, `~^:?*[\\`, or a trailing `.lock` or `/`.",
    );
  }
  return branch;
}

/**
 * Step 1: resolves and checks everything that does not depend on the generated code, before
 * anything is fetched or pushed (in `all`: in its check stage, before the spec is written).
 */
export async function prepareMerge(options: MergeOptions): Promise<PreparedMerge> {
  const env = options.env ?? Deno.env.toObject();
  const { traceRepo } = options;
  const given = options.sdkRepo;
  const checkedByCaller = typeof given !== "string";
  const target = options.target ?? "python";
  const clone = typeof given !== "string" ? given : await ensureClone(given, {
    target,
    key: options.cloneKey ?? "python_output",
    source: options.cloneSource,
    traceRepo,
  });
  const sdkRepo = clone.path;
  // Independent reads, at the same time (each is a git process or a file); their errors are
  // reported in this order whatever finishes first.
  const [branchRead, commitRead, pinRead, urlRead] = await Promise.allSettled([
    resolveTraceBranch(traceRepo, options.traceBranch, env).then((traceBranch) =>
      mirrorBranchName(sdkRepo, options.mirrorPrefix ?? DEFAULT_MIRROR_PREFIX, traceBranch)
        .then((branch) => ({ traceBranch, branch }))
    ),
    resolveCommit(traceRepo, "HEAD"),
    prepareTargetPin(options.pin ?? pyprojectPin(options), clone),
    originUrl(sdkRepo),
  ]);
  const { traceBranch, branch } = settled(branchRead);
  const traceCommit = settled(commitRead);
  if (!traceCommit) {
    throw new CodegenError(`the trace repository ${traceRepo} has no commit`, {
      hint: "Run from a checkout of the trace repository (or pass --repo-root).",
    });
  }
  const pin = settled(pinRead);
  const url = settled(urlRead);
  const origin = {
    url,
    token: await tokenForRemote(sdkRepo, url, env.GITHUB_TOKEN || undefined),
    hint: accessHint(url, env),
  };
  // One run at a time pushes and pins for a clone. Whoever checked a CheckedClone holds its lock
  // already; a dry run changes nothing and takes none.
  const release = checkedByCaller || options.dryRun ? async () => {} : await lockClones([sdkRepo]);
  return {
    sdkRepo,
    traceRepo,
    traceBranch,
    traceCommit,
    branch,
    sourceRef: options.sourceRef ?? DEFAULT_SOURCE_REF,
    baseBranch: options.baseBranch ?? "main",
    specPath: options.specPath,
    force: options.force ?? false,
    origin,
    target,
    pin,
    release,
  };
}

/** The pyproject.toml pin of merge_generated_code's own options. */
function pyprojectPin(options: MergeOptions): TargetPinOptions {
  if (!options.packageName || !options.pyprojectPath) {
    throw new CodegenError("prepareMerge: no pin given, and no package name or pyproject.toml");
  }
  return {
    kind: "pyproject",
    pyprojectPath: options.pyprojectPath,
    packageName: options.packageName,
    extra: options.extra,
    release: options.release,
  };
}

/** The value of a settled promise, or its error thrown. */
function settled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === "rejected") throw result.reason;
  return result.value;
}

/** The generated commit (tip of the source ref) and its tree. */
export async function resolveGenerated(
  prepared: PreparedMerge,
): Promise<{ commit: string; tree: string }> {
  const { sdkRepo, sourceRef } = prepared;
  const commit = await resolveCommit(sdkRepo, `refs/heads/${sourceRef}`) ??
    await resolveCommit(sdkRepo, sourceRef);
  if (!commit) {
    throw new CodegenError(
      `the SDK clone ${sdkRepo} has no branch \`${sourceRef}\` with generated code`,
      {
        hint:
          "Run the generation step first (it leaves the code on that branch), or set source_ref.",
      },
    );
  }
  return { commit, tree: await treeOf(sdkRepo, commit) };
}

/** Tips of the base and mirror branches on origin (`git ls-remote`); the base must exist. */
export async function remoteTips(
  prepared: PreparedMerge,
): Promise<{ baseTip: string; mirrorTip?: string }> {
  const { baseBranch, branch, origin } = prepared;
  const remote = await lsRemote(prepared.sdkRepo, "origin", [
    `refs/heads/${baseBranch}`,
    `refs/heads/${branch}`,
  ], { token: origin.token, ...(origin.hint ? { hint: origin.hint } : {}) });
  const baseTip = remote.get(`refs/heads/${baseBranch}`);
  if (!baseTip) {
    throw new CodegenError(`origin has no branch \`${baseBranch}\` to base ${branch} on`, {
      hint: "Push the SDK repository's main branch first.",
    });
  }
  return { baseTip, mirrorTip: remote.get(`refs/heads/${branch}`) };
}

/**
 * The hint for a failed request to origin when GITHUB_TOKEN was not the reason it could have
 * worked: a plaintext http remote never gets the token.
 */
function accessHint(url: string, env: Record<string, string | undefined>): string | undefined {
  if (!env.GITHUB_TOKEN || isHttpsRemote(url) || !/^http:\/\//i.test(url.trim())) return undefined;
  return "origin is a plain http:// URL, and GITHUB_TOKEN is only ever sent to https:// remotes. Use the repository's https:// URL (git remote set-url origin https://...), or give the clone credentials of its own (a credential helper).";
}
