/**
 * The distribution name an SDK clone declares for itself: `[project].name` of its pyproject.toml,
 * else the literal `name="..."` argument of `setup(...)` in its setup.py (openapi-python-client's
 * `--meta setup` projects). Read from the clone's work tree; undefined when neither says (no such
 * file, a dynamic or computed name).
 */
import { join } from "node:path";
import { readTextFile } from "../core/fs.ts";
import { normalizeName } from "./pep503.ts";
import { parseToml } from "./pyproject_edit.ts";

/** `name="x"` as `setup(`'s own keyword argument (no parenthesis before it in the call). */
const SETUP_NAME = /\bsetup\s*\((?:[^()]*?[,\s])?name\s*=\s*(["'])([^"'\r\n\\]+)\1(?=\s*[,)])/;

async function readIfPresent(path: string, what: string): Promise<string | undefined> {
  try {
    return (await Deno.stat(path)).isFile ? await readTextFile(path, what) : undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
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

export function setupPyName(text: string): string | undefined {
  return SETUP_NAME.exec(text)?.[2];
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
