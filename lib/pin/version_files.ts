/**
 * The files of an SDK that carry its version, read from a commit and edited byte-minimally (only
 * the version literal changes; quoting, comments, layout and line endings stay).
 *
 * - Python: `[project].version` of pyproject.toml (when not dynamic), `__version__` in
 *   `<package>/_version.py` and `<package>/__init__.py` (also under `src/`), and a literal
 *   `version="..."` argument of `setup(...)` in setup.py (openapi-python-client's `--meta setup`
 *   projects have their version only there; a computed `version=` is not read).
 * - TypeScript: `"version"` of package.json, `VERSION` in `src/version.ts`.
 *
 * All of them must agree: a release writes one version everywhere.
 */
import { CodegenError } from "../core/errors.ts";
import { git, gitOutput } from "../git/git.ts";
import { parseToml } from "./pyproject_edit.ts";
import { findEntry, scanToml } from "./toml_spans.ts";

export type Language = "python" | "typescript";

export interface VersionFile {
  /** Path in the repository. */
  path: string;
  text: string;
  version: string;
}

export interface Format {
  /** Which repository paths may hold a version in this format. */
  matches: (path: string) => boolean;
  read: (text: string, path: string) => string | undefined;
  /** The text with the version replaced (only the literal changes). */
  write: (text: string, version: string, path: string) => string;
}

/** `__version__ = "1.2.3"` (also annotated) and `export const VERSION = '1.2.3'`. */
const PY_VERSION = /^(__version__\s*(?::\s*str\s*)?=\s*)(["'])([^"'\r\n]*)\2/m;
const TS_VERSION = /^(export\s+const\s+VERSION\s*(?::\s*string\s*)?=\s*)(["'])([^"'\r\n]*)\2/m;
/**
 * A `version="1.2.3"` keyword argument of `setup(`, a plain literal (`,` or `)` next), with no
 * parenthesis before it in the call: so it is `setup`'s own argument, not one of a nested call.
 */
const SETUP_VERSION =
  /(\bsetup\s*\((?:[^()]*?[,\s])?version\s*=\s*)(["'])([^"'\r\n\\]*)\2(?=\s*[,)])/;

function regexFormat(pattern: RegExp, matches: (path: string) => boolean): Format {
  return {
    matches,
    read: (text) => pattern.exec(text)?.[3],
    write: (text, version) =>
      text.replace(pattern, (_all, lead, quote) => `${lead}${quote}${version}${quote}`),
  };
}

const PYPROJECT: Format = {
  matches: (path) => path === "pyproject.toml",
  read: (text, path) => {
    const project = parseToml(text, path).project as Record<string, unknown> | undefined;
    return typeof project?.version === "string" ? project.version : undefined;
  },
  write: (text, version, path) => {
    const entry = findEntry(scanToml(text), ["project", "version"]);
    if (!entry || entry.value.kind !== "string") {
      throw new CodegenError(`${path}: [project].version is not a plain string`);
    }
    const literal = text.slice(entry.value.start, entry.value.end);
    const quote = literal.startsWith("'") ? "'" : '"';
    const edited = text.slice(0, entry.value.start) + quote + version + quote +
      text.slice(entry.value.end);
    const check = parseToml(edited, path).project as Record<string, unknown>;
    if (check.version !== version) throw new CodegenError(`${path}: the version edit did not take`);
    return edited;
  },
};

const PACKAGE_JSON: Format = {
  matches: (path) => path === "package.json",
  read: (text, path) => {
    const parsed = parseJson(text, path);
    return typeof parsed.version === "string" ? parsed.version : undefined;
  },
  write: (text, version, path) => {
    const span = topLevelStringSpan(text, "version");
    if (!span) throw new CodegenError(`${path}: no top-level "version" string`);
    const edited = text.slice(0, span.start) + JSON.stringify(version) + text.slice(span.end);
    const before = { ...parseJson(text, path), version };
    if (JSON.stringify(parseJson(edited, path)) !== JSON.stringify(before)) {
      throw new CodegenError(`${path}: the version edit changed more than the version`);
    }
    return edited;
  },
};

const PACKAGE_DIR = /^(?:src\/)?[A-Za-z_][A-Za-z0-9_]*\//;
const FORMATS: Record<Language, Format[]> = {
  python: [
    PYPROJECT,
    regexFormat(
      PY_VERSION,
      (p) => new RegExp(`${PACKAGE_DIR.source}(_version|__init__)\\.py$`).test(p),
    ),
    regexFormat(SETUP_VERSION, (p) => p === "setup.py"),
  ],
  typescript: [PACKAGE_JSON, regexFormat(TS_VERSION, (p) => p === "src/version.ts")],
};

function parseJson(text: string, path: string): Record<string, unknown> {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new CodegenError(`${path} is not valid JSON: ${error.message}`);
  }
}

/** Span of the string value (with its quotes) of a top-level key of a JSON object text. */
export function topLevelStringSpan(
  text: string,
  key: string,
): { start: number; end: number } | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") depth--;
    else if (ch === '"') {
      const end = stringEnd(text, i);
      const after = /^\s*:\s*/.exec(text.slice(end));
      if (depth === 1 && after && JSON.parse(text.slice(i, end)) === key) {
        const start = end + after[0].length;
        return text[start] === '"' ? { start, end: stringEnd(text, start) } : undefined;
      }
      i = end - 1;
    }
  }
  return undefined;
}

/** Index just after the closing quote of the JSON string starting at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** The version files of `language` at `commit` of `repo` (none found is an error). */
export async function readVersionFiles(
  repo: string,
  commit: string,
  language: Language,
): Promise<VersionFile[]> {
  const paths = (await gitOutput(repo, ["ls-tree", "-r", "--name-only", commit])).split("\n");
  const files: VersionFile[] = [];
  for (const format of FORMATS[language]) {
    for (const path of paths.filter(format.matches)) {
      const text = (await git(repo, ["show", `${commit}:${path}`])).stdout;
      const version = format.read(text, path);
      if (version !== undefined) files.push({ path, text, version });
    }
  }
  if (files.length === 0) {
    const where = language === "python"
      ? "[project].version in pyproject.toml, __version__ in <package>/_version.py or __init__.py, or a literal version= in setup.py"
      : `"version" in package.json`;
    throw new CodegenError(
      `the SDK has no version at ${commit.slice(0, 12)}: looked for ${where}`,
      {
        hint: language === "python"
          ? "The generator wrote none of them (a computed version= in setup.py is not read). Commit a " +
            "pyproject.toml with [project].version to the SDK and keep it through regenerations " +
            "(preserve: [pyproject.toml], or --preserve pyproject.toml), or add the version in a " +
            "post_generate hook, or generate with stainful or stainless (their SDKs have " +
            "[project].version); then publish."
          : `Add "version" to package.json (and keep it through regenerations: preserve, or a ` +
            "post_generate hook), then publish.",
      },
    );
  }
  return files;
}

/** The one version all files agree on. */
export function agreedVersion(files: VersionFile[]): string {
  const versions = new Set(files.map((f) => f.version));
  if (versions.size === 1) return files[0].version;
  throw new CodegenError("the SDK's version files disagree", {
    details: files.map((f) => `${f.path}: ${f.version}`).join("\n"),
    hint: "Make them agree in a commit on the default branch (or pass --version to set them all).",
  });
}

/** The format of the version file at `path` (undefined: `path` holds no version of `language`). */
export function versionFileFormat(path: string, language: Language): Format | undefined {
  return FORMATS[language].find((f) => f.matches(path));
}

/** The text of `file` with its version set to `version`. */
export function withVersion(file: VersionFile, version: string, language: Language): string {
  const format = FORMATS[language].find((f) => f.matches(file.path))!;
  return format.write(file.text, version, file.path);
}
