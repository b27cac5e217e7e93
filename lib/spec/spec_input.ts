/**
 * Where the specs to compare come from: a file, or `REV:path`, a file at a git revision of the
 * trace repository (`HEAD:tools/codegen/openapi.json`, `main~3:tools/codegen/openapi.json`), read
 * with `git show`. And, for `all`/`get_openapi_spec`, the spec a new one replaces.
 */
import { CodegenError } from "../core/errors.ts";
import { exists, readTextFile } from "../core/fs.ts";
import { displayPath, isAbsolute, relative, resolve } from "../core/paths.ts";
import { git } from "../git/git.ts";
import { type OpenApiDocument, validateSpec } from "./openapi.ts";

export interface LoadedSpec {
  /** What it is, for messages and the diff's labels: a path, or "REV:path". */
  label: string;
  document: OpenApiDocument;
}

export interface SpecInputOptions {
  /** The trace repository: `REV:path` is read from it, `path` relative to its top. */
  repoRoot: string;
  /** Directory relative file paths start from (the user's working directory). */
  cwd: string;
}

/** "REV:path": a revision without spaces or colons, then a path. */
const GIT_SPEC = /^([^:\s]+):(.+)$/;

/**
 * A `codegen diff` argument as a spec: an existing file, else `REV:path` from the trace repo's
 * git history. Errors name the argument and say what was tried.
 */
export async function loadSpecInput(arg: string, options: SpecInputOptions): Promise<LoadedSpec> {
  const file = resolve(options.cwd, arg);
  const gitSpec = GIT_SPEC.exec(arg);
  if (!gitSpec || await exists(file)) {
    const label = displayPath(file, options.cwd);
    const text = await readTextFile(
      file,
      "OpenAPI spec",
      "Give a spec file, or REV:path for a git revision of the trace repository (HEAD:tools/codegen/openapi.json).",
    );
    return { label, document: parseSpec(text, label) };
  }
  const [, rev, path] = gitSpec;
  const shown = await gitShow(options.repoRoot, rev, path);
  if (shown.kind === "no repository") {
    throw new CodegenError(
      `${arg}: no such file, and the trace repository ${options.repoRoot} is not a git repository to read REV:path from`,
      { hint: "Give an existing spec file, or run from the trace repository (--repo-root)." },
    );
  }
  if (shown.kind === "missing") {
    throw new CodegenError(`${arg}: no file ${path} at revision ${rev} of ${options.repoRoot}`, {
      hint:
        "REV:path reads the trace repository's history (path from its top, e.g. HEAD:tools/codegen/openapi.json); check the revision (git log) and the path (git ls-tree -r REV).",
    });
  }
  return { label: arg, document: parseSpec(shown.text, arg) };
}

/**
 * The spec that writing `specFile` replaces: its committed version (`HEAD:<path>` in the trace
 * repo), else the file on disk, else undefined (a first run). Call it before the file is written.
 */
export async function previousSpec(
  repoRoot: string,
  specFile: string,
  cwd = repoRoot,
): Promise<LoadedSpec | undefined> {
  const inRepo = relative(repoRoot, resolve(repoRoot, specFile));
  if (!inRepo.startsWith("..") && !isAbsolute(inRepo)) {
    const shown = await gitShow(repoRoot, "HEAD", `./${inRepo}`);
    if (shown.kind === "text") {
      const label = `HEAD:${inRepo}`;
      return { label, document: parseSpec(shown.text, label) };
    }
  }
  const file = resolve(repoRoot, specFile);
  if (!await exists(file)) return undefined;
  const label = displayPath(file, cwd);
  return { label, document: parseSpec(await readTextFile(file, "OpenAPI spec"), label) };
}

/** Parses and checks a spec's text; `label` names it in errors. */
export function parseSpec(text: string, label: string): OpenApiDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new CodegenError(`${label} is not JSON: ${error.message}`, {
      hint: "Give the OpenAPI spec as JSON (as get_openapi_spec writes it).",
      details: text.slice(0, 300),
    });
  }
  return validateSpec(parsed, label, text);
}

type Shown = { kind: "text"; text: string } | { kind: "missing" } | { kind: "no repository" };

/**
 * The text of `path` at `rev` (from the repository's top; `./path` from `repo`) in one
 * `git cat-file --batch` (it runs on every spec stage): "missing" when the revision or the path
 * does not exist (also before the first commit), "no repository" outside a git work tree. A
 * directory instead of a file, or another git failure, throws.
 */
async function gitShow(repo: string, rev: string, path: string): Promise<Shown> {
  const result = await git(repo, ["cat-file", "--batch"], {
    input: `${rev}:${path}\n`,
    check: false,
  });
  if (result.code !== 0) {
    if (/not a git repository/i.test(result.stderr)) return { kind: "no repository" };
    throw new CodegenError(`reading ${rev}:${path} from ${repo} failed`, {
      details: result.stderr.trim(),
    });
  }
  const newline = result.stdout.indexOf("\n");
  const type = result.stdout.slice(0, newline).split(" ")[1];
  if (type === undefined || newline < 0 || result.stdout.slice(0, newline).endsWith(" missing")) {
    return { kind: "missing" };
  }
  if (type !== "blob") {
    throw new CodegenError(`${rev}:${path} in ${repo} is a ${type}, not a file`);
  }
  // The object's content, then one newline that --batch adds.
  return { kind: "text", text: result.stdout.slice(newline + 1, -1) };
}
