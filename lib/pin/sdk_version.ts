/**
 * The version `--release` pins: read from the files `publish` reads and writes
 * (lib/pin/version_files.ts), `[project].version` of pyproject.toml first, then a literal
 * `version="..."` of setup.py (openapi-python-client's SDKs have their version only there).
 */
import { join } from "../core/paths.ts";
import { CodegenError } from "../core/errors.ts";
import { readTextFile } from "../core/fs.ts";
import { git } from "../git/git.ts";
import { parseToml } from "./pyproject_edit.ts";
import { versionFileFormat } from "./version_files.ts";

/** Where `--release` looks, in order. */
const RELEASE_VERSION_FILES = ["pyproject.toml", "setup.py"] as const;

/** A file's text; undefined when there is no such file. */
type ReadFile = (path: string) => Promise<string | undefined>;

/** The SDK's version in the worktree of the clone (or in `ref`'s commit). */
export async function sdkVersion(sdkRepo: string, ref?: string): Promise<string> {
  const read = ref ? await commitReader(sdkRepo, ref) : worktreeReader(sdkRepo);
  const name = (path: string) => ref ? `${ref}:${path} of ${sdkRepo}` : join(sdkRepo, path);
  const problems: string[] = [];
  for (const path of RELEASE_VERSION_FILES) {
    const text = await read(path);
    if (text === undefined) {
      problems.push(`${name(path)} does not exist`);
      continue;
    }
    const version = versionFileFormat(path, "python")!.read(text, name(path))?.trim();
    if (version) return version;
    problems.push(`${name(path)} has no ${VERSION_IN[path]}${dynamicNote(text, path, name(path))}`);
  }
  throw noVersion(problems.join("; "));
}

const VERSION_IN = { "pyproject.toml": "[project].version", "setup.py": "literal version=" };

function dynamicNote(text: string, path: string, name: string): string {
  if (path !== "pyproject.toml") return "";
  const project = parseToml(text, name).project as Record<string, unknown> | undefined;
  return Array.isArray(project?.dynamic) && project.dynamic.includes("version")
    ? " (it is dynamic)"
    : "";
}

function worktreeReader(sdkRepo: string): ReadFile {
  return async (path) => {
    const file = join(sdkRepo, path);
    try {
      await Deno.lstat(file);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
    return await readTextFile(
      file,
      `the SDK's ${path}`,
      "PYTHON_OUTPUT must be the SDK clone; --release reads its version.",
    );
  };
}

/**
 * Files as committed at `ref` of the SDK clone. A ref that names no commit, a commit without the
 * file, and git failing (a broken repository) are three different outcomes.
 */
async function commitReader(sdkRepo: string, ref: string): Promise<ReadFile> {
  const verify = await git(sdkRepo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
    check: false,
  });
  if (verify.code !== 0 && verify.stderr.trim()) {
    throw new CodegenError(`cannot read ${ref} in the SDK clone ${sdkRepo}: git failed`, {
      hint: "Check that PYTHON_OUTPUT is an intact git clone (git -C <clone> fsck).",
      details: verify.stderr.trim(),
    });
  }
  if (verify.code !== 0) {
    throw new CodegenError(`${ref} is not a commit of the SDK clone ${sdkRepo}`, {
      hint: "--release reads the version from that commit's files; fetch it first.",
    });
  }
  const commit = verify.stdout.trim();
  return async (path) => {
    const listed = await git(sdkRepo, ["ls-tree", "--name-only", commit, "--", path], {
      what: `list ${path} of ${ref}`,
    });
    if (!listed.stdout.trim()) return undefined;
    return (await git(sdkRepo, ["show", `${commit}:${path}`], { what: `read ${path} of ${ref}` }))
      .stdout;
  };
}

/**
 * The SDK has no version `--release` can read (not a broken clone nor a missing commit): `all`
 * says which generator wrote such a tree, and how to get out of it.
 */
export class NoSdkVersionError extends CodegenError {}

function noVersion(message: string): NoSdkVersionError {
  return new NoSdkVersionError(message, {
    hint:
      "--release pins the SDK's released version; set [project].version in the SDK (or a literal version= in its setup.py), or pin a commit without --release.",
  });
}
