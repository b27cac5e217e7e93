/**
 * What pyproject.toml pins the SDK to, read back: the SDK entry of
 * `[project.optional-dependencies].<extra>` as a git commit (`pkg @ git+<url>@<sha>`), a version
 * (`pkg==1.2.3`), or something else (another specifier, a branch name).
 */
import { readTextFile } from "../core/fs.ts";
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
