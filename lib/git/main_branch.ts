/**
 * Moving local branch `main` of an SDK clone to newly generated code, without losing work.
 *
 * Generators leave their result on local `main`, where `merge_generated_code` picks it up.
 * Rules: a `main` that is not checked out only has its ref moved; a checked-out `main` is moved
 * with its worktree when the worktree is clean, and refused when it is dirty. Commits that only
 * the old `main` had are kept on a backup branch, so nothing becomes unreachable.
 */
import { CodegenError } from "../core/errors.ts";
import {
  currentBranch,
  git,
  gitOutput,
  isClean,
  isHttpsRemote,
  resolveCommit,
  short,
  treeOf,
} from "./git.ts";
import { commitIdentityEnv } from "./identity.ts";
import { log } from "../core/log.ts";
import { onCleanup } from "../core/cleanup.ts";
import { removeIfExists } from "../core/fs.ts";
import { join } from "../core/paths.ts";

export const MAIN_REF = "refs/heads/main";
/** Start of the reflog message of every move of main made by codegen. */
export const REFLOG_PREFIX = "codegen generate_code";

export interface MainState {
  /** Current tip of local main; undefined when the branch does not exist yet. */
  tip?: string;
  /** Worktree that has main checked out (this clone or a linked worktree), if any. */
  checkedOutIn?: string;
  /** Only meaningful when checked out. */
  clean: boolean;
}

/** Where local main stands: its tip, and which worktree has it checked out. */
export async function mainState(clone: string): Promise<MainState> {
  const tip = await resolveCommit(clone, MAIN_REF);
  let checkedOutIn: string | undefined;
  if ((await currentBranch(clone)) === "main") {
    checkedOutIn = clone;
  } else {
    // `git worktree list` knows about linked worktrees; main may be checked out in one of them.
    const list = await gitOutput(clone, ["worktree", "list", "--porcelain"]);
    let worktree: string | undefined;
    for (const line of list.split("\n")) {
      if (line.startsWith("worktree ")) worktree = line.slice("worktree ".length);
      if (line === `branch ${MAIN_REF}`) checkedOutIn = worktree;
    }
  }
  const clean = checkedOutIn ? await isClean(checkedOutIn) : true;
  return { tip, checkedOutIn, clean };
}

export interface MoveResult {
  previous?: string;
  current: string;
  /** False when main already pointed there. */
  changed: boolean;
  /** The worktree whose files were updated, when main was checked out. */
  worktree?: string;
  /** Branch keeping commits that only the old main had. */
  backup?: string;
}

export interface MoveOptions {
  /** Reflog message ("codegen generate_code: stainless build bui_123"). */
  reason: string;
  target: string;
  dryRun?: boolean;
}

/** Refuses early (before generating) when local main cannot be moved. */
export async function assertMainMovable(clone: string, target: string): Promise<MainState> {
  const state = await mainState(clone);
  if (state.checkedOutIn && !state.clean) {
    throw new CodegenError(
      `${target} SDK clone: \`main\` is checked out in ${state.checkedOutIn} and has uncommitted changes`,
      {
        hint:
          `Commit or stash them (git -C ${state.checkedOutIn} stash --include-untracked), or switch that worktree to another branch; then run again. Nothing was changed.`,
      },
    );
  }
  return state;
}

/** Makes local main hold `commit`, moving the worktree too when main is checked out (and clean). */
export async function moveLocalMain(
  clone: string,
  commit: string,
  options: MoveOptions,
): Promise<MoveResult> {
  const state = await assertMainMovable(clone, options.target);
  const previous = state.tip;
  if (previous === commit) return { previous, current: commit, changed: false };
  const where = state.checkedOutIn
    ? `checked out in ${state.checkedOutIn}, clean`
    : "not checked out";
  if (options.dryRun) {
    log.info(
      `[dry-run] would move ${options.target} main ${short(previous) ?? "(new branch)"} -> ${
        short(commit)
      } (${where})`,
    );
    return { previous, current: commit, changed: true, worktree: state.checkedOutIn };
  }
  const backup = previous ? await backupIfUnreachable(clone, previous, commit) : undefined;
  if (state.checkedOutIn) {
    // HEAD points at main: reset moves the ref and the files together; the worktree is clean.
    await git(state.checkedOutIn, ["reset", "--quiet", "--hard", commit], {
      what: `move main of ${state.checkedOutIn}`,
      env: { GIT_REFLOG_ACTION: options.reason },
    });
  } else {
    // Compare-and-swap: fails if someone moved main since we looked.
    await git(clone, ["update-ref", "-m", options.reason, MAIN_REF, commit, previous ?? ""], {
      what: `update ${MAIN_REF} in ${clone}`,
    });
  }
  return { previous, current: commit, changed: true, worktree: state.checkedOutIn, backup };
}

/**
 * Saves the old tip on a branch when moving main would leave commits reachable from nothing
 * else (local commits someone made on main). Regenerated history from the hosted service is
 * usually unrelated to the old tip, so this check matters.
 */
async function backupIfUnreachable(
  clone: string,
  previous: string,
  next: string,
): Promise<string | undefined> {
  const ancestor = await git(clone, ["merge-base", "--is-ancestor", previous, next], {
    check: false,
  });
  if (ancestor.code === 0) return undefined;
  const others = await gitOutput(clone, [
    "for-each-ref",
    "--contains",
    previous,
    "--format=%(refname)",
    "refs/heads",
    "refs/remotes",
    "refs/tags",
  ]);
  if (others.split("\n").some((ref) => ref && ref !== MAIN_REF)) return undefined;
  // A tip that codegen itself put there (and nobody committed on since) holds no one's work.
  const last = await git(clone, ["reflog", "-n", "1", "--format=%H %gs", MAIN_REF], {
    check: false,
  });
  if (last.code === 0 && last.stdout.startsWith(`${previous} ${REFLOG_PREFIX}`)) return undefined;
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  const branch = `codegen/backup/main-${stamp}-${previous.slice(0, 8)}`;
  await git(clone, ["branch", branch, previous], { what: `save the old main on ${branch}` });
  log.warn(
    `the old main of ${clone} had commits found on no other branch; they are kept on ${branch}`,
  );
  return branch;
}

export interface ReplacementOptions {
  /** Paths (relative to the clone root) whose content is taken from the current main. */
  preserve: readonly string[];
  message: string;
  /** Exclude pathspecs (`:(exclude,glob)...`): files of `dir` left out of the tree. */
  exclude?: readonly string[];
  /**
   * Files to add last (path relative to the clone root → text or bytes), computed from the tree
   * staged so far (generated files and preserved paths): the origin stamp, which records that
   * tree's hash, and the spec copy beside it. They are written into `dir` and staged over
   * anything there; `exclude` does not apply to them.
   */
  addLast?: (stagedTree: string) => Promise<Record<string, string | Uint8Array>>;
}

/**
 * Makes a commit whose tree is exactly the files of `dir` (stale files of main are gone),
 * except the `preserve` paths, which keep main's version. The commit's parent is main; the
 * clone's index and worktree are not touched. Returns undefined when the tree equals main's.
 */
export async function commitDirectoryOnMain(
  clone: string,
  dir: string,
  options: ReplacementOptions,
): Promise<{ commit: string; tree: string } | undefined> {
  const gitDir = await gitOutput(clone, ["rev-parse", "--absolute-git-dir"]);
  const index = await Deno.makeTempFile({ prefix: "codegen-index-" });
  await Deno.remove(index); // git wants to create the index itself
  const unregister = onCleanup(`temporary index ${index}`, () => removeIfExists(index));
  try {
    // A nested .git would become an embedded repository instead of files.
    await removeIfExists(join(dir, ".git"));
    const env = { GIT_DIR: gitDir, GIT_WORK_TREE: dir, GIT_INDEX_FILE: index };
    // The user's global excludes must not silently drop generated files.
    const pathspecs = [".", ...(options.exclude ?? [])];
    await git(dir, ["-c", "core.excludesFile=/dev/null", "add", "--all", "--", ...pathspecs], {
      env,
      what: "stage the generated files",
    });
    const tip = await resolveCommit(clone, MAIN_REF);
    if (tip) {
      for (const path of options.preserve) {
        const clean = path.replace(/^\.\//, "").replace(/\/+$/, "");
        const kept = await gitOutput(clone, ["ls-tree", "-r", "--full-tree", tip, "--", clean]);
        if (!kept) continue; // main has nothing there yet: keep what the generator wrote, if anything
        await git(dir, ["rm", "-r", "--cached", "--quiet", "--ignore-unmatch", "--", clean], {
          env,
        });
        await git(dir, ["update-index", "--index-info"], {
          env,
          input: kept + "\n",
          what: `keep ${clean}`,
        });
      }
    }
    let tree = await gitOutput(dir, ["write-tree"], { env });
    const files = options.addLast ? await options.addLast(tree) : {};
    if (Object.keys(files).length > 0) {
      for (const [path, content] of Object.entries(files)) {
        await Deno.mkdir(join(dir, path, ".."), { recursive: true });
        if (typeof content === "string") await Deno.writeTextFile(join(dir, path), content);
        else await Deno.writeFile(join(dir, path), content);
      }
      // -f: a .gitignore among the generated files (or `exclude`) must not drop them.
      await git(dir, ["add", "-f", "--", ...Object.keys(files)], {
        env,
        what: `stage ${Object.keys(files).join(", ")}`,
      });
      tree = await gitOutput(dir, ["write-tree"], { env });
    }
    if (tip && (await treeOf(clone, tip)) === tree) return undefined;
    const commit = await gitOutput(clone, [
      "commit-tree",
      tree,
      ...(tip ? ["-p", tip] : []),
      "-m",
      options.message,
    ], {
      env: await commitIdentityEnv(clone),
      what: "commit the generated tree",
    });
    return { commit, tree };
  } finally {
    await removeIfExists(index);
    unregister();
  }
}

export interface FetchOptions {
  target: string;
  /** Credential for an https `url` (ignored for any other): given to git for this one command. */
  token?: string;
  timeoutMs?: number;
}

/**
 * Fetches `ref` (branch, tag or sha) from `url` into the clone and returns the commit. Nothing
 * about the remote is persisted: no remote is added, FETCH_HEAD (which would record the URL) is
 * not written, and the temporary ref is deleted again.
 */
export async function fetchCommit(
  clone: string,
  url: string,
  ref: string,
  options: FetchOptions,
): Promise<string> {
  // Directly under refs/: git leaves the directories of a nested ref (refs/codegen/...) behind
  // once it is deleted, or when deleting it finds none (after a failed fetch).
  const incoming = `refs/codegen-incoming-${options.target}`;
  try {
    await git(
      clone,
      [
        "fetch",
        "--quiet",
        "--no-tags",
        "--no-write-fetch-head",
        "--no-recurse-submodules",
        url,
        `+${ref}:${incoming}`,
      ],
      {
        token: isHttpsRemote(url) ? options.token : undefined, // never over plaintext http
        timeoutMs: options.timeoutMs ?? 10 * 60_000,
        what: `fetch the generated ${options.target} code`,
        hint:
          "The generated commit could not be fetched; check the network and GITHUB_TOKEN's access, then run again. Local main was not changed.",
      },
    );
    const commit = await resolveCommit(clone, incoming);
    if (!commit) throw new CodegenError(`fetching ${ref} gave no commit for ${options.target}`);
    return commit;
  } finally {
    await git(clone, ["update-ref", "-d", incoming], { check: false });
  }
}

/** "main (at 1a2b3c, checked out in /x, clean)", for dry-run reports. */
export function describeMain(state: MainState): string {
  const at = state.tip ? `at ${short(state.tip)}` : "not created yet";
  const where = state.checkedOutIn
    ? `checked out in ${state.checkedOutIn}, clean`
    : "not checked out";
  return `main (${at}, ${where})`;
}
