/**
 * Publishes the generated SDK code on a mirror branch (`weave/<trace branch>`) of the SDK
 * repository, then pins the trace repository's pyproject.toml to the pushed commit.
 *
 * Only git plumbing is used: the commit is made from the tree of the generated branch with
 * `commit-tree`, and pushed by sha. The SDK clone's working tree, index, HEAD and local branches
 * are never touched, so uncommitted work there survives and the clone stays where it was.
 */
import { CodegenError, usageError } from "../core/errors.ts";
import {
  currentBranch,
  git,
  gitOutput,
  isHttpsRemote,
  isLegalBranchName,
  lsRemote,
  originUrl,
  requireGitRoot,
  resolveCommit,
  tokenForRemote,
  treeOf,
} from "../git/git.ts";
import { assertNotTraceRepo } from "../git/clone.ts";
import { lockClones } from "../git/main_branch.ts";
import { log } from "../core/log.ts";
import { type PinResult, pinSdk } from "../pin/pin.ts";
import { exists } from "../core/fs.ts";
import { sha256Hex } from "../core/sha256.ts";
import { dryRunPlan } from "./mirror_plan.ts";
import type { MergeResult, PinTarget, PushResult } from "./types.ts";

export const GENERATED_BY = "Generated-By: codegen";
export const DEFAULT_MIRROR_PREFIX = "weave/";
export const DEFAULT_SOURCE_REF = "main";

export interface MergeOptions {
  /** The trace repository (its current branch names the mirror branch). */
  traceRepo: string;
  /** The SDK clone (PYTHON_OUTPUT). */
  sdkRepo: string;
  packageName: string;
  pyprojectPath: string;
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
  dryRun?: boolean;
  /**
   * Called as soon as the mirror branch holds the generated code (pushed, or already there),
   * before pyproject.toml is pinned: a failing pin must not hide that the push happened.
   */
  onPushed?: (pushed: PushResult) => void;
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

/** Author/committer from the clone's own config, else a default identity (never written). */
async function identityEnv(repo: string): Promise<Record<string, string>> {
  const get = async (key: string) =>
    (await git(repo, ["config", "--get", key], { check: false })).stdout.trim() || undefined;
  const name = (await get("user.name")) ?? "weave codegen";
  const email = (await get("user.email")) ?? "codegen@localhost";
  const env: Record<string, string> = {};
  for (const role of ["AUTHOR", "COMMITTER"]) {
    if (!Deno.env.get(`GIT_${role}_NAME`)) env[`GIT_${role}_NAME`] = name;
    if (!Deno.env.get(`GIT_${role}_EMAIL`)) env[`GIT_${role}_EMAIL`] = email;
  }
  return env;
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

export async function mergeGeneratedCode(options: MergeOptions): Promise<MergeResult> {
  const env = options.env ?? Deno.env.toObject();
  const { sdkRepo, traceRepo } = options;
  const sourceRef = options.sourceRef ?? DEFAULT_SOURCE_REF;
  const baseBranch = options.baseBranch ?? "main";
  await requireGitRoot(sdkRepo, "the SDK clone (PYTHON_OUTPUT)");
  await assertNotTraceRepo(sdkRepo, traceRepo, "python", " (PYTHON_OUTPUT)");
  const traceBranch = await resolveTraceBranch(traceRepo, options.traceBranch, env);
  const branch = await mirrorBranchName(
    sdkRepo,
    options.mirrorPrefix ?? DEFAULT_MIRROR_PREFIX,
    traceBranch,
  );
  const traceCommit = await resolveCommit(traceRepo, "HEAD");
  if (!traceCommit) {
    throw new CodegenError(`the trace repository ${traceRepo} has no commit`, {
      hint: "Run from a checkout of the trace repository (or pass --repo-root).",
    });
  }
  const generated = await resolveCommit(sdkRepo, `refs/heads/${sourceRef}`) ??
    await resolveCommit(sdkRepo, sourceRef);
  if (!generated) {
    throw new CodegenError(
      `the SDK clone ${sdkRepo} has no branch \`${sourceRef}\` with generated code`,
      {
        hint:
          "Run the generation step first (it leaves the code on that branch), or set source_ref.",
      },
    );
  }
  // Check the pin can be written before anything is pushed (file, package name, origin, version).
  await pinSdk({ ...pinOptions(options), commit: generated, versionRef: generated, dryRun: true });
  const url = await originUrl(sdkRepo);
  const token = await tokenForRemote(sdkRepo, url, env.GITHUB_TOKEN || undefined);
  const access = accessHint(url, env);

  // A dry run changes nothing, so it takes no lock.
  const unlock = options.dryRun ? undefined : await lockClones([sdkRepo]);
  try {
    const remote = await lsRemote(sdkRepo, "origin", [
      `refs/heads/${baseBranch}`,
      `refs/heads/${branch}`,
    ], { token, ...(access ? { hint: access } : {}) });
    const baseTip = remote.get(`refs/heads/${baseBranch}`);
    const mirrorTip = remote.get(`refs/heads/${branch}`);
    if (!baseTip) {
      throw new CodegenError(`origin has no branch \`${baseBranch}\` to base ${branch} on`, {
        hint: "Push the SDK repository's main branch first.",
      });
    }
    const tree = await treeOf(sdkRepo, generated);
    if (options.dryRun) {
      return await dryRunPlan({
        pin: pinOptions(options),
        sourceRef,
        baseBranch,
        branch,
        traceBranch,
        baseTip,
        mirrorTip,
        tree,
        generated,
      });
    }
    const refspecs = [`+refs/heads/${baseBranch}:refs/remotes/origin/${baseBranch}`];
    if (mirrorTip) refspecs.push(`+refs/heads/${branch}:refs/remotes/origin/${branch}`);
    await git(sdkRepo, ["fetch", "--no-tags", "--quiet", "origin", ...refspecs], {
      token,
      what: "fetch origin",
      hint: access ?? "Check the network and your access to the SDK repository.",
      timeoutMs: 300_000,
    });
    // The lease and the comparisons use exactly what was just fetched.
    const base = (await resolveCommit(sdkRepo, `refs/remotes/origin/${baseBranch}`))!;
    const current = mirrorTip
      ? await resolveCommit(sdkRepo, `refs/remotes/origin/${branch}`)
      : undefined;

    let commit: string;
    let pushed = false;
    const noop = current !== undefined && (await treeOf(sdkRepo, current)) === tree;
    if (noop) {
      commit = current!;
      log.info(
        `${branch} on origin already holds the generated code (${
          commit.slice(0, 12)
        }); nothing to push`,
      );
    } else {
      if (current) {
        const foreign = await foreignCommits(sdkRepo, current, base);
        if (foreign.length > 0 && !options.force) {
          throw new CodegenError(
            `${branch} on origin has ${foreign.length} commit(s) that codegen did not make; refusing to overwrite them`,
            {
              details: foreign.join("\n"),
              hint: `Move that work elsewhere, or pass --force to replace the branch anyway.`,
            },
          );
        }
        if (foreign.length > 0) {
          log.warn(
            `--force: replacing ${foreign.length} commit(s) on ${branch}:\n  ${
              foreign.join("\n  ")
            }`,
          );
        }
      }
      const specSha = options.specPath && (await exists(options.specPath))
        ? await sha256Hex(await Deno.readFile(options.specPath))
        : undefined;
      if (!specSha) {
        log.warn(
          `no OpenAPI spec at ${
            options.specPath ?? "(not set)"
          }; the commit will not record its sha256`,
        );
      }
      const message = [
        `Update generated code from weave branch: ${traceBranch}`,
        "",
        `Generated from trace commit ${traceCommit} of branch ${traceBranch}.`,
        "",
        `Trace-Commit: ${traceCommit}`,
        ...(specSha ? [`Spec-Sha256: ${specSha}`] : []),
        GENERATED_BY,
        "",
      ].join("\n");
      commit = await gitOutput(sdkRepo, ["commit-tree", tree, "-p", base, "-F", "-"], {
        input: message,
        env: await identityEnv(sdkRepo),
        what: "create the mirror commit",
      });
      await git(sdkRepo, [
        "push",
        "--porcelain",
        `--force-with-lease=refs/heads/${branch}:${current ?? ""}`,
        "origin",
        `${commit}:refs/heads/${branch}`,
      ], {
        token,
        what: `push ${branch} to origin`,
        hint: `Nothing was pinned. ${
          access ??
            "Check your push access to the SDK repository; if someone pushed meanwhile, run again."
        }`,
        timeoutMs: 300_000,
      });
      await git(sdkRepo, ["update-ref", `refs/remotes/origin/${branch}`, commit]);
      pushed = true;
      log.info(`pushed ${commit.slice(0, 12)} to ${branch} on origin`);
    }
    options.onPushed?.({ branch, traceBranch, commit, pushed, noop });
    let pin: PinResult;
    try {
      pin = await pinSdk({ ...pinOptions(options), commit, versionRef: commit });
    } catch (error) {
      if (!(error instanceof CodegenError)) throw error;
      // The push stands: say so, or the user would believe nothing happened.
      const did = pushed
        ? `pushed ${commit.slice(0, 12)} to ${branch} on origin`
        : `${branch} on origin already holds ${commit.slice(0, 12)}`;
      throw new CodegenError(`${did}, but pinning pyproject.toml failed: ${error.message}`, {
        kind: error.kind,
        details: error.details,
        hint: [
          error.hint,
          `pyproject.toml was not changed; once that is fixed, run again: nothing new is pushed and the pin is written.`,
        ].filter(Boolean).join(" "),
        cause: error,
      });
    }
    return { branch, traceBranch, commit, pushed, noop, pin };
  } finally {
    await unlock?.();
  }
}

/**
 * The hint for a failed request to origin when GITHUB_TOKEN was not the reason it could have
 * worked: a plaintext http remote never gets the token.
 */
function accessHint(url: string, env: Record<string, string | undefined>): string | undefined {
  if (!env.GITHUB_TOKEN || isHttpsRemote(url) || !/^http:\/\//i.test(url.trim())) return undefined;
  return "origin is a plain http:// URL, and GITHUB_TOKEN is only ever sent to https:// remotes. Use the repository's https:// URL (git remote set-url origin https://...), or give the clone credentials of its own (a credential helper).";
}

function pinOptions(options: MergeOptions): PinTarget {
  return {
    pyprojectPath: options.pyprojectPath,
    packageName: options.packageName,
    extra: options.extra,
    release: options.release,
    sdkRepo: options.sdkRepo,
  };
}
