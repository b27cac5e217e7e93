/** Filling in a local generator's argv template: placeholders, package name, tool directories. */
import { dirname, fromFileUrl } from "../../core/paths.ts";
import { messageOf, usageError } from "../../core/errors.ts";
import type { GenerateInput, GenerationTarget } from "../types.ts";
import { codegenPython } from "../../os/user_env.ts";

/** Replaces `{name}` placeholders in every argument; unknown placeholders are an error. */
export function expandArgv(template: readonly string[], values: Record<string, string>): string[] {
  return template.map((arg) =>
    arg.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
      if (name in values) return values[name];
      throw usageError(
        `generator argv: unknown placeholder ${whole} in "${arg}"`,
        `Known placeholders: ${Object.keys(values).map((k) => `{${k}}`).join(" ")}.`,
      );
    })
  );
}

/**
 * The package name of a target: its `package_name` (`targets.<t>.package_name`, or for Python
 * the `package_name` key), else `targets.<t>.package_name` of the Stainless config (for a
 * TypeScript target, its `typescript` or `node` entry).
 */
export async function packageNameFor(
  { target, spec }: GenerationTarget,
  input: Pick<GenerateInput<GenerationTarget>, "stainlessConfigPath">,
): Promise<string> {
  if (spec.packageName) return spec.packageName;
  let unreadable: string | undefined;
  try {
    const { parse: parseYaml } = await import("../../core/yaml.ts"); // see lib/core/yaml.ts
    const parsed = parseYaml(await Deno.readTextFile(input.stainlessConfigPath)) as {
      targets?: Record<string, { package_name?: string }>;
    };
    // `node` and `typescript` are the same target: either entry of the config names it.
    const names = spec.language === "typescript" ? [target, "typescript", "node"] : [target];
    const name = names.map((t) => parsed?.targets?.[t]?.package_name).find(Boolean);
    if (name) return name;
  } catch (error) {
    // Unreadable config: the error below says how to set the name, and shows why.
    unreadable = messageOf(error);
  }
  throw usageError(
    `cannot tell the ${target} package name`,
    `Set targets.${target}.package_name in the codegen config${
      target === "python" ? " (or --package-name)" : ""
    }, or targets.${target}.package_name in ${input.stainlessConfigPath}.`,
    unreadable && `reading ${input.stainlessConfigPath}: ${unreadable}`,
  );
}

/** Directories searched first for generator executables: the project's Python environment. */
export function toolDirs(): string[] {
  const dirs: string[] = [];
  const python = codegenPython();
  if (python?.includes("/")) dirs.push(dirname(python));
  const projectVenv = new URL("../../../.venv/bin", import.meta.url);
  if (projectVenv.protocol === "file:") dirs.push(fromFileUrl(projectVenv));
  return dirs;
}
