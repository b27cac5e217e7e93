/**
 * Pins the generated SDK in the trace repository's pyproject.toml: a git commit of the SDK clone
 * (`pkg @ git+<url>@<sha>`) or, for releases, its version (`pkg==X.Y.Z`).
 *
 * Everything is read and checked before the file is written (once, atomically): on any error the
 * file is left byte-identical.
 */
import { resolve } from "../core/paths.ts";
import { CodegenError, usageError } from "../core/errors.ts";
import { readTextFile, writeFileAtomic } from "../core/fs.ts";
import { originUrl, resolveCommit } from "../git/git.ts";
import { type CheckedClone, type CloneSetting, ensureClone } from "../git/clone.ts";
import { isValidPackageName, requirementProblem } from "./pep503.ts";
import { pathToFileURL } from "node:url";
import { type Doc, editPyproject, parseToml, requireProjectTable } from "./pyproject_edit.ts";
import { registerSecret, stripUrlCredentials } from "../core/redact.ts";
import { log } from "../core/log.ts";
import { requiresPythonWarning } from "./python_requires.ts";
import { sdkVersion } from "./sdk_version.ts";

/** Where and what to pin. `cloneKey`/`cloneSource` name the clone's setting in messages. */
export interface PinTarget extends CloneSetting {
  /** The trace repository's pyproject.toml. */
  pyprojectPath: string;
  packageName: string;
  /** Optional-dependencies group holding the SDK entry (default "stainless"). */
  extra?: string;
  /** Pin the SDK's version instead of a git commit. */
  release?: boolean;
  /** The SDK clone (PYTHON_OUTPUT): a path, or a clone already checked by the caller. */
  sdkRepo: string | CheckedClone;
}

export interface PinOptions extends PinTarget {
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
  /** What the pin may break (the SDK needs a newer Python than pyproject.toml allows). */
  warnings?: string[];
}

/** What a pin needs apart from the commit or version, checked: writing it cannot fail for these. */
export interface PreparedPin {
  pyprojectPath: string;
  packageName: string;
  extra: string;
  release: boolean;
  /** The SDK clone (checked, except for a release pin read from its worktree). */
  sdkRepo: string;
  /** `git+<url>` of the clone's origin (commit pins only). */
  gitUrl?: string;
  /** pyproject.toml as read when prepared; a later pin reuses the parse while the text is the same. */
  file: { text: string; doc: Doc };
}

/** What the entry pins: a commit of the SDK clone (` @ git+url@sha`) or a version (`==1.2.3`). */
export type PinSpec = { commit: string } | { version: string };

export const DEFAULT_EXTRA = "stainless";

/**
 * Checks everything a pin needs apart from the commit or version: the package name, that
 * pyproject.toml is valid TOML with a [project] table, the SDK clone and (commit pins) its origin.
 */
export async function preparePin(target: PinTarget): Promise<PreparedPin> {
  const { pyprojectPath, packageName } = target;
  if (!isValidPackageName(packageName)) {
    throw usageError(
      `invalid package name ${JSON.stringify(packageName)}`,
      "Pass the SDK's distribution name, e.g. weave_server_sdk.",
    );
  }
  const file = await readPyproject(pyprojectPath);
  const release = target.release ?? false;
  // A release pin without a ref reads the worktree's pyproject.toml: no git needed for that.
  const sdkRepo = typeof target.sdkRepo !== "string"
    ? target.sdkRepo.path
    : release
    ? target.sdkRepo
    : (await ensureClone(target.sdkRepo, {
      target: "python",
      key: target.cloneKey ?? "python_output",
      source: target.cloneSource,
    })).path;
  return {
    pyprojectPath,
    packageName,
    extra: target.extra ?? DEFAULT_EXTRA,
    release,
    sdkRepo,
    gitUrl: release ? undefined : await sdkGitUrl(sdkRepo),
    file,
  };
}

/** pyproject.toml read and checked: valid TOML with a [project] table. */
async function readPyproject(path: string): Promise<PreparedPin["file"]> {
  const text = await readTextFile(
    path,
    "pyproject.toml",
    "Pass --pyproject (config `pyproject`) with the trace repository's pyproject.toml.",
  );
  const doc = parseToml(text, path);
  requireProjectTable(doc, path);
  return { text, doc };
}

/**
 * Edits pyproject.toml so that it requires the SDK as `spec` says; with dryRun, only computes the
 * change. The file is read again (someone may have edited it since it was prepared) and written
 * once, atomically: on any error it is left byte-identical.
 */
export async function writePin(
  prepared: PreparedPin,
  spec: PinSpec,
  options: {
    dryRun?: boolean;
    /** The SDK commit a version pin stands for (a commit pin names its own): its Python is checked. */
    sdkCommit?: string;
  } = {},
): Promise<PinResult> {
  const { pyprojectPath } = prepared;
  const text = await readTextFile(pyprojectPath, "pyproject.toml");
  const parsed = text === prepared.file.text ? prepared.file.doc : parseToml(text, pyprojectPath);
  const requirement = "version" in spec
    ? `==${spec.version}`
    : ` @ ${prepared.gitUrl ?? await sdkGitUrl(prepared.sdkRepo)}@${spec.commit}`;
  const edit = editPyproject(
    text,
    {
      extra: prepared.extra,
      packageName: prepared.packageName,
      spec: requirement,
      allowDirectReferences: !("version" in spec),
    },
    pyprojectPath,
    parsed,
  );
  const changed = edit.text !== text;
  // Placeholders of a dry run (`<new mirror commit>`) are not written: nothing to check then.
  if (changed && !options.dryRun) await assertValidRequirements(edit.entries, pyprojectPath);
  if (changed && !options.dryRun) {
    await writeFileAtomic(pyprojectPath, edit.text, { what: "pyproject.toml" });
  }
  const warnings = options.dryRun
    ? []
    : await pinWarnings(prepared, parsed, spec, options.sdkCommit);
  return {
    entry: edit.entries[0],
    entries: edit.entries,
    replaced: edit.replaced,
    changed,
    pyprojectPath,
    ...(warnings.length ? { warnings } : {}),
  };
}

/** Warnings about a pin just written: the SDK needing a newer Python than the project allows. */
async function pinWarnings(
  prepared: PreparedPin,
  parsed: Doc,
  spec: PinSpec,
  sdkCommit: string | undefined,
): Promise<string[]> {
  const commit = "commit" in spec ? spec.commit : sdkCommit;
  if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) return [];
  const traceSpec = (parsed.project as Record<string, unknown> | undefined)?.["requires-python"];
  const warning = await requiresPythonWarning(
    prepared.sdkRepo,
    commit,
    traceSpec,
    prepared.pyprojectPath,
  );
  if (warning) log.warn(warning);
  return warning ? [warning] : [];
}

/** Edits pyproject.toml so that it requires the SDK at `commit` (or its version, with release). */
export async function pinSdk(options: PinOptions): Promise<PinResult> {
  const prepared = await preparePin(options);
  const spec: PinSpec = prepared.release
    ? { version: await sdkVersion(prepared.sdkRepo, options.versionRef) }
    : { commit: options.commit ?? await sdkHead(prepared.sdkRepo) };
  const sdkCommit = await resolveCommit(prepared.sdkRepo, options.versionRef ?? "HEAD");
  return await writePin(prepared, spec, { dryRun: options.dryRun, sdkCommit });
}

/** `git+<url>` for the SDK clone's origin, in a form pip and uv install, without credentials. */
async function sdkGitUrl(sdkRepo: string): Promise<string> {
  return `git+${installableUrl(await originUrl(sdkRepo), sdkRepo)}`;
}

/** HEAD of the SDK clone; an error when it has no commit yet. */
export async function sdkHead(sdkRepo: string): Promise<string> {
  const sha = await resolveCommit(sdkRepo, "HEAD");
  if (!sha) {
    throw new CodegenError(`the SDK clone ${sdkRepo} has no commit yet`, {
      hint: "Commit the generated code (or run merge_generated_code) before pinning it.",
    });
  }
  return sha;
}

/**
 * A remote URL as pip and uv accept it after `git+`:
 * - scp-style `git@host:org/repo.git` becomes `ssh://git@host/org/repo.git`;
 * - credentials (`https://user:token@host`) are removed, and never printed;
 * - a local path becomes a `file://` URL;
 * - characters a URL may not hold (spaces, non-ASCII letters) are percent-encoded, as RFC 3986
 *   and PEP 508 require (`file:///a b` would be refused by every installer).
 */
export function installableUrl(remote: string, repoDir = "."): string {
  const url = remote.trim();
  if (/^file:\/\//i.test(url)) {
    // A file URL as git prints it may hold raw spaces; re-encode its path from scratch.
    return pathToFileURL(decodePath(new URL(encodeUriChars(url)).pathname)).href;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@]+)@/i.exec(url)?.[1];
    if (userinfo) {
      registerSecret(userinfo);
      registerSecret(userinfo.split(":").slice(1).join(":"));
    }
    return encodeUriChars(stripUrlCredentials(url));
  }
  const scp = /^(?:([^@/:]+)@)?([^/:]+):(?!\/\/)(.+)$/.exec(url);
  if (scp && !url.startsWith("/") && !url.startsWith(".")) {
    const [, user, host, path] = scp;
    return encodeUriChars(`ssh://${user ? `${user}@` : ""}${host}/${path.replace(/^\//, "")}`);
  }
  return pathToFileURL(resolve(repoDir, url)).href;
}

/** Percent-encodes (as UTF-8) every character a URI may not contain; keeps existing escapes. */
function encodeUriChars(url: string): string {
  return url.replace(
    /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu,
    (c) =>
      [...new TextEncoder().encode(c)].map((b) =>
        `%${b.toString(16).toUpperCase().padStart(2, "0")}`
      )
        .join(""),
  );
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch (error) {
    if (error instanceof URIError) return path; // a stray `%`: take the path as written
    throw error;
  }
}

/**
 * Refuses to write entries that are not valid PEP 508 requirements: no installer would take them
 * (a URL with a space, say), and the trace repository would not install at all.
 */
async function assertValidRequirements(entries: string[], pyprojectPath: string): Promise<void> {
  for (const entry of entries) {
    const problem = await requirementProblem(entry);
    if (!problem) continue;
    throw new CodegenError(
      `refusing to write ${pyprojectPath}: \`${entry}\` is not a valid PEP 508 requirement (${problem})`,
      {
        hint:
          "No installer (pip, uv) would accept it. Check the SDK clone's origin URL (git remote get-url origin) " +
          "and the entry already in pyproject.toml; pyproject.toml was left unchanged.",
      },
    );
  }
}
