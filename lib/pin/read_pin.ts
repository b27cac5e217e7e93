/**
 * What the trace repository pins an SDK to, read back: for Python, the SDK entry of
 * `[project.optional-dependencies].<extra>` as a git commit (`pkg @ git+<url>@<sha>`), a version
 * (`pkg==1.2.3`), or something else (another specifier, a branch name); for TypeScript, the package's entry in a
 * package.json (`git+<url>#<sha>`, a version, or something else).
 */
import { CodegenError, messageOf } from "../core/errors.ts";
import { readTextFile } from "../core/fs.ts";
import { PINNED_SECTIONS } from "./package_json.ts";
import { parseRequirement, requirementNames } from "./pep503.ts";
import { parseToml } from "./pyproject_edit.ts";

export type PinnedSdk =
  | { kind: "commit"; entry: string; url: string; commit: string }
  | { kind: "version"; entry: string; version: string }
  | { kind: "other"; entry: string };

/** The pin of `packageName` in `extra`; undefined when there is no such entry. */
export async function readPinnedSdk(
  pyprojectPath: string,
  packageName: string,
  extra: string,
): Promise<PinnedSdk | undefined> {
  const text = await readTextFile(pyprojectPath, "pyproject.toml", "Pass --pyproject.");
  const doc = parseToml(text, pyprojectPath) as {
    project?: { "optional-dependencies"?: Record<string, unknown> };
  };
  const list = doc.project?.["optional-dependencies"]?.[extra];
  if (!Array.isArray(list)) return undefined;
  const entry = list.find((item): item is string =>
    typeof item === "string" && requirementNames(item, packageName)
  );
  return entry === undefined ? undefined : classifyPin(entry);
}

/** A requirement string as a commit, version or other pin. */
export function classifyPin(entry: string): PinnedSdk {
  const requirement = parseRequirement(entry);
  const rest = requirement
    ? entry.slice(entry.indexOf(requirement.name) + requirement.name.length)
      .replace(/^\s*\[[^\]]*\]/, "")
    : "";
  const url = /^\s*@\s*git\+(\S+)@([0-9a-f]{40}(?:[0-9a-f]{24})?)(?:\s|$|#)/i.exec(rest);
  if (url) return { kind: "commit", entry, url: url[1], commit: url[2].toLowerCase() };
  const version = /^\s*==\s*([^\s;,]+)\s*(?:;|$)/.exec(rest);
  if (version) return { kind: "version", entry, version: version[1] };
  return { kind: "other", entry };
}

/**
 * What a package.json pins `packageName` to (its first entry in dependencies, devDependencies,
 * optionalDependencies): a commit (`git+<url>#<sha>`), a version (`1.2.3`), or something else.
 * Undefined when it has no such entry.
 */
export async function readPinnedPackage(
  packageJsonPath: string,
  packageName: string,
): Promise<PinnedSdk | undefined> {
  const text = await readTextFile(packageJsonPath, "package.json", "Check the package_json field.");
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new CodegenError(`${packageJsonPath} is not valid JSON: ${messageOf(error)}`);
  }
  for (const section of PINNED_SECTIONS) {
    const deps = doc[section] as Record<string, unknown> | undefined;
    const value = deps?.[packageName];
    if (typeof value !== "string") continue;
    const entry = `${section}: ${JSON.stringify(packageName)}: ${JSON.stringify(value)}`;
    const git = /^git\+(\S+)#([0-9a-f]{40}(?:[0-9a-f]{24})?)$/i.exec(value.trim());
    if (git) return { kind: "commit", entry, url: git[1], commit: git[2].toLowerCase() };
    if (/^\d+\.\d+\.\d+\S*$/.test(value.trim())) {
      return { kind: "version", entry, version: value.trim() };
    }
    return { kind: "other", entry };
  }
  return undefined;
}
