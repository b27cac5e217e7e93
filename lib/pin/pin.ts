/**
 * Pins the generated SDK in the trace repository's pyproject.toml: a git commit of the SDK clone
 * (`pkg @ git+<url>@<sha>`) or, for releases, its version (`pkg==X.Y.Z`).
 *
 * Everything is read and checked before the file is written (once, atomically): on any error the
 * file is left byte-identical.
 */
import { join, resolve } from "../core/paths.ts";
import { CodegenError, usageError } from "../core/errors.ts";
import { readTextFile, writeFileAtomic } from "../core/fs.ts";
import { git, originUrl, requireGitRoot, resolveCommit } from "../git/git.ts";
import { isValidPackageName } from "./pep503.ts";
import { editPyproject, parseToml } from "./pyproject_edit.ts";
import { registerSecret, stripUrlCredentials } from "../core/redact.ts";

export interface PinOptions {
  /** The trace repository's pyproject.toml. */
  pyprojectPath: string;
  packageName: string;
  /** Optional-dependencies group holding the SDK entry (default "stainless"). */
  extra?: string;
  /** Pin the SDK's version instead of a git commit. */
  release?: boolean;
  /** The SDK clone (PYTHON_OUTPUT). */
  sdkRepo: string;
  /** Commit to pin (default: HEAD of the clone). */
  commit?: string;
  /** With release: read the version from this commit's pyproject.toml, not the worktree's. */
  versionRef?: string;
  /** Compute the change but write nothing. */
  dryRun?: boolean;
}

export interface PinResult {
  /** The requirement written (the first one, when several entries matched). */
  entry: string;
  entries: string[];
  /** Entries it replaced ([] when appended). */
  replaced: string[];
  /** Did the file change (or, with dryRun, would it)? */
  changed: boolean;
  pyprojectPath: string;
}

export const DEFAULT_EXTRA = "stainless";

/** Edits pyproject.toml so that it requires the SDK at `commit` (or its version, with release). */
export async function pinSdk(options: PinOptions): Promise<PinResult> {
  const { pyprojectPath, packageName } = options;
  const extra = options.extra ?? DEFAULT_EXTRA;
  if (!isValidPackageName(packageName)) {
    throw usageError(
      `invalid package name ${JSON.stringify(packageName)}`,
      "Pass the SDK's distribution name, e.g. weave_server_sdk.",
    );
  }
  const text = await readTextFile(
    pyprojectPath,
    "pyproject.toml",
    "Pass --pyproject with the trace repository's pyproject.toml.",
  );
  parseToml(text, pyprojectPath); // an invalid file fails before anything else is looked at
  const spec = options.release
    ? `==${await sdkVersion(options.sdkRepo, options.versionRef)}`
    : ` @ ${await sdkGitUrl(options.sdkRepo)}@${
      options.commit ?? (await sdkHead(options.sdkRepo))
    }`;
  const edit = editPyproject(text, {
    extra,
    packageName,
    spec,
    allowDirectReferences: !options.release,
  }, pyprojectPath);
  const changed = edit.text !== text;
  if (changed && !options.dryRun) {
    await writeFileAtomic(pyprojectPath, edit.text, { what: "pyproject.toml" });
  }
  return {
    entry: edit.entries[0],
    entries: edit.entries,
    replaced: edit.replaced,
    changed,
    pyprojectPath,
  };
}

/** `git+<url>` for the SDK clone's origin, in a form pip and uv install, without credentials. */
export async function sdkGitUrl(sdkRepo: string): Promise<string> {
  await requireGitRoot(sdkRepo, "the SDK clone (PYTHON_OUTPUT)");
  const url = await originUrl(sdkRepo);
  return `git+${installableUrl(url, sdkRepo)}`;
}

/** HEAD of the SDK clone; an error when it has no commit yet. */
export async function sdkHead(sdkRepo: string): Promise<string> {
  await requireGitRoot(sdkRepo, "the SDK clone (PYTHON_OUTPUT)");
  const sha = await resolveCommit(sdkRepo, "HEAD");
  if (!sha) {
    throw new CodegenError(`the SDK clone ${sdkRepo} has no commit yet`, {
      hint: "Commit the generated code (or run merge_generated_code) before pinning it.",
    });
  }
  return sha;
}

/** `[project].version` of the SDK clone's pyproject.toml (or of `ref`'s copy of it). */
export async function sdkVersion(sdkRepo: string, ref?: string): Promise<string> {
  const path = join(sdkRepo, "pyproject.toml");
  let text: string;
  if (ref) {
    await requireGitRoot(sdkRepo, "the SDK clone (PYTHON_OUTPUT)");
    const shown = await git(sdkRepo, ["show", `${ref}:pyproject.toml`], { check: false });
    if (shown.code !== 0) throw noVersion(`${ref}:pyproject.toml does not exist in ${sdkRepo}`);
    text = shown.stdout;
  } else {
    text = await readTextFile(
      path,
      "the SDK's pyproject.toml",
      "PYTHON_OUTPUT must be the SDK clone; --release reads its version.",
    );
  }
  const project = parseToml(text, path).project as Record<string, unknown> | undefined;
  const version = project?.version;
  if (typeof version === "string" && version.trim()) return version.trim();
  const dynamic = Array.isArray(project?.dynamic) && project.dynamic.includes("version");
  throw noVersion(`${path} has no [project].version${dynamic ? " (it is dynamic)" : ""}`);
}

function noVersion(message: string): CodegenError {
  return new CodegenError(message, {
    hint:
      "--release pins the SDK's released version; set [project].version in the SDK, or pin a commit without --release.",
  });
}

/**
 * A remote URL as pip and uv accept it after `git+`:
 * - scp-style `git@host:org/repo.git` becomes `ssh://git@host/org/repo.git`;
 * - credentials (`https://user:token@host`) are removed, and never printed;
 * - a local path becomes a `file://` URL.
 */
export function installableUrl(remote: string, repoDir = "."): string {
  const url = remote.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@]+)@/i.exec(url)?.[1];
    if (userinfo) {
      registerSecret(userinfo);
      registerSecret(userinfo.split(":").slice(1).join(":"));
    }
    return stripUrlCredentials(url);
  }
  const scp = /^(?:([^@/:]+)@)?([^/:]+):(?!\/\/)(.+)$/.exec(url);
  if (scp && !url.startsWith("/") && !url.startsWith(".")) {
    const [, user, host, path] = scp;
    return `ssh://${user ? `${user}@` : ""}${host}/${path.replace(/^\//, "")}`;
  }
  return `file://${resolve(repoDir, url)}`;
}
