/**
 * The two structured configuration keys, as data: `targets` (the SDKs to generate: where each
 * goes, how it is generated, pinned or vendored) and `endpoint_groups` (named parts of the API).
 * lib/config/structured.ts reads and merges them; lib/config/targets.ts resolves the targets.
 */
import type { StructuredSpec } from "./structured.ts";

/**
 * The SDK targets. `node` is another name of `typescript` (Stainless' older name for it): one
 * TypeScript target, called as the user called it (that name goes to the generator as
 * `{target}`, to a hosted build, into the stamp and the results).
 */
export const SDK_TARGETS = ["python", "node", "typescript"] as const;
export type SdkTarget = typeof SDK_TARGETS[number];

export type Language = "python" | "typescript";

export function languageOf(target: SdkTarget): Language {
  return target === "python" ? "python" : "typescript";
}

/** How a target's SDK is pinned in the trace repository. */
export const PIN_KINDS = ["pyproject", "package_json", "none"] as const;
export type PinKind = typeof PIN_KINDS[number];

export const TARGETS_SPEC: StructuredSpec = {
  entry: "target",
  names: SDK_TARGETS,
  flagNames: ["*"],
  merge: "field",
  flagSyntax: "TARGET.FIELD=VALUE (e.g. typescript.output=../sdk-ts)",
  parseFlag(text) {
    const match = /^([^.=\s]+)\.([A-Za-z_]+)=(.*)$/s.exec(text.trim());
    return match ? { name: match[1], fields: { [match[2]]: match[3] } } : undefined;
  },
  hint: "Write each target as `python:` or `typescript:` (alias `node:`) under `targets:`, with " +
    "fields such as output, package_name, generator, pin, package_json, vendor_dir (docs/targets.md).",
  fields: {
    output: {
      type: "path",
      description: "Local clone of the target's SDK repository (generated code goes to its main)",
    },
    package_name: {
      type: "string",
      description: "The SDK's package name (Python: as pinned in pyproject.toml; TypeScript: in " +
        "package.json)",
    },
    generator: {
      type: "string",
      description: "The generator of this target (default: the `generator` key)",
    },
    generator_command: {
      type: "argv",
      description: "Argv template of this target's local generator (default: generator_command, " +
        "when the target uses the `generator` key's generator)",
    },
    generator_config: {
      type: "path",
      description: "This target's generator config file (default: generator_config, as above)",
    },
    pin: {
      type: "string",
      choices: PIN_KINDS,
      description: "How the trace repository pins the SDK: pyproject (Python default), " +
        "package_json (TypeScript, with the package_json field) or none",
    },
    package_json: {
      type: "path",
      repoPath: true,
      description: "The package.json of the trace repository that pins a TypeScript SDK",
    },
    vendor_dir: {
      type: "string",
      description: "Vendor the package into this directory of the trace repository instead of " +
        "pushing a mirror branch and pinning it (relative to the repository's top)",
    },
    import_path: {
      type: "string",
      description: "A vendored Python package's import path, when it is not the vendor " +
        "directory's path (a src/ layout: src/weave/vendor/sdk imports as weave.vendor.sdk)",
    },
    github_repo: {
      type: "string",
      description: "The target's SDK repository on GitHub (owner/name), when its clone's origin " +
        "is not a GitHub URL (default: the github_repo key)",
    },
    preserve: {
      type: "strings",
      description: "Paths in the target's clone its local generator must not replace (default: " +
        "the preserve key)",
    },
    post_generate: {
      type: "commands",
      description: "Commands run in the target's generated tree (default: the post_generate key)",
    },
  },
};

export const ENDPOINT_GROUPS_SPEC: StructuredSpec = {
  entry: "endpoint group",
  merge: "entry",
  flagSyntax: "NAME=PATTERN,... with !PATTERN to exclude (e.g. core=tag:Calls,!GET /health)",
  parseFlag(text) {
    const match = /^([^=\s]+)=(.*)$/s.exec(text.trim());
    if (!match) return undefined;
    const patterns = match[2].split(",").map((p) => p.trim()).filter(Boolean);
    return {
      name: match[1],
      fields: {
        include: patterns.filter((p) => !p.startsWith("!")).join(","),
        exclude: patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1)).join(","),
      },
    };
  },
  hint: "Write each group as `name: {include: [patterns], exclude: [patterns]}` under " +
    "`endpoint_groups:`; patterns are `[verb] /path/glob`, `tag:<Tag>` or `operationId:<id>`.",
  fields: {
    include: { type: "strings", description: "Patterns of the operations the group holds" },
    exclude: {
      type: "strings",
      description: "Patterns of operations left out of the group although included",
    },
  },
};
