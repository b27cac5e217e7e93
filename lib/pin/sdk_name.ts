/**
 * The distribution name an SDK clone declares for itself: `[project].name` of its pyproject.toml,
 * else the literal `name="..."` argument of `setup(...)` in its setup.py (openapi-python-client's
 * `--meta setup` projects). Read from the clone's work tree; undefined when neither says (no such
 * file, a dynamic or computed name).
 */
import { CodegenError } from "../core/errors.ts";
import { readTextFile } from "../core/fs.ts";
import { join } from "../core/paths.ts";
import { normalizeName } from "./pep503.ts";
import { parseToml } from "./pyproject_edit.ts";

/** The file's text; undefined when there is no such file. Throws a CodegenError when unreadable. */
async function readIfPresent(path: string, what: string): Promise<string | undefined> {
  let isFile: boolean;
  try {
    isFile = (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new CodegenError(`cannot read ${what} ${path}: ${(error as Error).message}`, {
      hint: "Check the SDK clone's permissions.",
      cause: error,
    });
  }
  return isFile ? await readTextFile(path, what) : undefined;
}

export async function sdkDistributionName(sdkRepo: string): Promise<string | undefined> {
  const pyprojectPath = join(sdkRepo, "pyproject.toml");
  const pyproject = await readIfPresent(pyprojectPath, "the SDK's pyproject.toml");
  if (pyproject !== undefined) {
    const project = parseToml(pyproject, pyprojectPath).project as
      | Record<string, unknown>
      | undefined;
    if (typeof project?.name === "string") return project.name;
  }
  const setup = await readIfPresent(join(sdkRepo, "setup.py"), "the SDK's setup.py");
  return setup === undefined ? undefined : setupPyName(setup);
}

/**
 * The literal `name="x"` keyword argument of the first `setup(` call, else undefined. Read from the
 * code only: comments are blanked and string contents masked first (the same offsets), so neither
 * `# name="x"`, `# setup(name="x")` nor a description mentioning `name = 'x'` counts; an argument
 * of a nested call (`author=dict(name=...)`) does not either. Written by hand: a Python parser for
 * one keyword argument would cost more than it checks.
 */
export function setupPyName(text: string): string | undefined {
  const code = maskPython(text);
  const call = /\bsetup\s*\(/.exec(code);
  if (!call) return undefined;
  let depth = 0;
  for (let i = call.index + call[0].length - 1; i < code.length; i++) {
    const char = code[i];
    if ("([{".includes(char)) depth++;
    else if (")]}".includes(char) && --depth === 0) return undefined;
    if (depth !== 1 || (char !== "(" && char !== ",")) continue;
    // An argument starts here: is it name="..." (a literal string, then the argument's end)?
    const argument = /\s*name\s*=\s*(["'])([^"'\r\n]*)\1\s*(?=[,)])/y;
    argument.lastIndex = i + 1;
    const match = argument.exec(code);
    if (match) {
      const start = match.index + match[0].indexOf(match[1]) + 1;
      const name = text.slice(start, start + match[2].length);
      return /^[^"'\s\\]+$/.test(name) ? name : undefined;
    }
  }
  return undefined;
}

/**
 * Python source with each comment blanked and each string literal's contents replaced by `x` (its
 * quotes kept; same length and offsets), so that a pattern matched on it sees only code.
 */
function maskPython(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === "#") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      out += " ".repeat(stop - i);
      i = stop;
    } else if (char === '"' || char === "'") {
      const quote = text.startsWith(char.repeat(3), i) ? char.repeat(3) : char;
      let j = i + quote.length;
      while (j < text.length && !text.startsWith(quote, j)) {
        // A single-quoted string ends at the line's end (unterminated: Python refuses it anyway).
        if (quote.length === 1 && text[j] === "\n") break;
        j += text[j] === "\\" ? 2 : 1;
      }
      j = Math.min(j, text.length);
      out += quote + text.slice(i + quote.length, j).replace(/[^\n]/g, "x");
      if (text.startsWith(quote, j)) out += quote;
      i = text.startsWith(quote, j) ? j + quote.length : j;
    } else {
      out += char;
      i++;
    }
  }
  return out;
}

/**
 * The warning when the name to pin is not the SDK's own (PEP 503: `Weave.Server-SDK` is
 * `weave_server_sdk`), else undefined. `newEntry`: no entry of that name was in the file.
 */
export function nameMismatchWarning(
  given: string,
  sdkName: string | undefined,
  sdkRepo: string,
  newEntry: boolean,
): string | undefined {
  if (sdkName === undefined || normalizeName(given) === normalizeName(sdkName)) return undefined;
  return `the SDK in ${sdkRepo} is named ${sdkName}; pinning ${given}` +
    `${newEntry ? " (a new entry)" : ""}: did you mean ${sdkName}? ` +
    `pip and uv refuse to install a requirement whose name differs from the package's own.`;
}
