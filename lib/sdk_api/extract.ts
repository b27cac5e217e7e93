/**
 * Reads the public API of a generated Python SDK (lib/sdk_api/model.ts) from a directory or from
 * a commit of an SDK clone. The reading is done by extract.py with Python's `ast`, run in the
 * project's Python: the generated code is never imported. The script is imported as text, so the
 * bundle and the compiled executable carry it.
 */
import EXTRACT_SCRIPT from "./extract.py" with { type: "text" };
import { CodegenError } from "../core/errors.ts";
import { makeTempDir } from "../core/fs.ts";
import { join } from "../core/paths.ts";
import { run, which } from "../os/process.ts";
import { codegenPython } from "../os/user_env.ts";
import { git, resolveCommit } from "../git/git.ts";
import { SDK_LAYOUTS, type SdkApi } from "./model.ts";

export interface ExtractOptions {
  /** The Python that runs extract.py; default: sdkApiPython(). */
  python?: string;
  /** The package to read when a tree holds several SDK packages (targets.python.package_name). */
  packageName?: string;
  timeoutMs?: number;
}

/** The tree holds no SDK layout extract.py knows (or several, and none is the one named). */
export class SdkLayoutError extends CodegenError {}

/** `CODEGEN_PYTHON`, else python3 on PATH (as for `get_spec --app`, minus the trace repo's .venv). */
export function sdkApiPython(): string {
  return codegenPython() ?? which("python3") ?? "python3";
}

async function requireDirectory(dir: string): Promise<void> {
  try {
    if ((await Deno.stat(dir)).isDirectory) return;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  throw new CodegenError(`cannot read the SDK API: ${dir} is not a directory`);
}

function isSdkApi(value: unknown): value is SdkApi {
  const api = value as SdkApi;
  return typeof api === "object" && api !== null && SDK_LAYOUTS.includes(api.layout) &&
    Array.isArray(api.clients) && Array.isArray(api.resources) && Array.isArray(api.types);
}

/** The API of the SDK package in `dir` (a generator's output or a checkout). */
export function extractSdkApi(dir: string, options: ExtractOptions = {}): Promise<SdkApi> {
  return runExtract(dir, [dir, ...(options.packageName ? [options.packageName] : [])], options);
}

/**
 * The API of the package directory `dir` itself, read as the package `packageName` (a vendored
 * copy: its directory may be a staged one with another name, and it has no src/ above it).
 */
export function extractPackageApi(
  dir: string,
  packageName: string,
  options: Omit<ExtractOptions, "packageName"> = {},
): Promise<SdkApi> {
  return runExtract(dir, ["--package", dir, packageName], options);
}

async function runExtract(dir: string, argv: string[], options: ExtractOptions): Promise<SdkApi> {
  await requireDirectory(dir);
  const python = options.python ?? sdkApiPython();
  const args = ["-c", EXTRACT_SCRIPT, ...argv];
  const result = await run(python, args, {
    timeoutMs: options.timeoutMs ?? 60_000,
    what: `read the SDK API in ${dir} with ${python}`,
    hint: "Set CODEGEN_PYTHON to a Python 3.9 or newer.",
  });
  let parsed: { api?: unknown; error?: string; hint?: string };
  try {
    parsed = JSON.parse(result.stdout);
  } catch (error) {
    throw new CodegenError(`the SDK API reader printed no JSON: ${(error as Error).message}`, {
      details: result.stdout.slice(0, 300) + result.stderr.slice(0, 300),
    });
  }
  if (parsed.error) throw new SdkLayoutError(parsed.error, { hint: parsed.hint ?? undefined });
  if (!isSdkApi(parsed.api)) {
    throw new CodegenError("the SDK API reader printed an unexpected JSON shape", {
      details: result.stdout.slice(0, 300),
    });
  }
  return parsed.api;
}

/**
 * The API of the SDK at commit `rev` of `repo`, read without touching the repository's worktree,
 * index or branches: the commit's tree is written into a temporary directory through a temporary
 * index file (GIT_INDEX_FILE), and the directory is removed afterwards (also on Ctrl-C).
 */
export async function extractSdkApiAtCommit(
  repo: string,
  rev: string,
  options: ExtractOptions = {},
): Promise<SdkApi> {
  const commit = await resolveCommit(repo, rev);
  if (!commit) {
    throw new CodegenError(`cannot read the SDK API of ${rev}: no such commit in ${repo}`);
  }
  const { path: temp, remove } = await makeTempDir("codegen-sdk-api-", "the SDK API report");
  try {
    const tree = join(temp, "tree");
    const env = { GIT_INDEX_FILE: join(temp, "index") };
    const what = `write the tree of ${rev} into ${tree}`;
    await Deno.mkdir(tree);
    await git(repo, [`--work-tree=${tree}`, "read-tree", commit], { env, what });
    await git(repo, [`--work-tree=${tree}`, "checkout-index", "--all"], { env, what });
    return await extractSdkApi(tree, options);
  } finally {
    await remove();
  }
}
