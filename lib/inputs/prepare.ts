/**
 * What a local generator is given, prepared in one place, in this order:
 *   1. the config's `openapi.transformations` applied to a copy of the spec (lint does it and
 *      checks the config against the result);
 *   2. for a generator that reads the config: methods and models the transformed spec lacks are
 *      dropped from a copy of the config, with a warning each (an error with `strictConfig`);
 *   3. with endpoint groups: the spec keeps the selected operations and what they reach, and the
 *      config copy loses the methods of the rest.
 * Transformations come before groups because their targets name places in the whole spec.
 * Nothing on disk changes; `writePreparedInputs` writes the copies for `{oas}` and `{config}`.
 */
import { usageError } from "../core/errors.ts";
import { writeFileAtomic } from "../core/fs.ts";
import { join } from "../core/paths.ts";
import type { OpenApiDocument } from "../spec/openapi.ts";
import { filterSpec, type GroupSelection } from "./groups.ts";
import { lintConfig, type LintFinding, type LintResult } from "./lint.ts";
import { type ConfigEntry, entriesMissingFrom, pruneDrift, removeFromConfig } from "./prune.ts";
import type { StainlessConfig } from "./stainless_config.ts";
import type { SpecOperation } from "./operations.ts";

export interface PrepareOptions {
  /** The generator reads the Stainless config (stainful, stlc, a command using `{config}`). */
  readsConfig: boolean;
  /** `strict_config` / `--strict-config`: drift in the config is an error, not a warning. */
  strictConfig?: boolean;
  /** Endpoint groups; undefined = the whole spec. */
  selection?: GroupSelection;
}

export interface PreparedInputs {
  /** The spec for the generator: transformed, then filtered by groups. */
  spec: OpenApiDocument;
  /** The config text for the generator (only when it reads the config and there is one). */
  configText?: string;
  /** To show the user: transformation targets that matched nothing, config entries dropped. */
  warnings: LintFinding[];
  /** The lint of the config against the spec (undefined without a config). */
  lint?: LintResult;
  /** With groups: the operations kept and removed, components and config entries dropped. */
  groups?: {
    kept: SpecOperation[];
    removed: SpecOperation[];
    removedComponents: string[];
    removedConfigEntries: ConfigEntry[];
  };
}

export async function prepareInputs(
  spec: OpenApiDocument,
  specFile: string,
  config: StainlessConfig | undefined,
  options: PrepareOptions,
): Promise<PreparedInputs> {
  let prepared: OpenApiDocument = spec;
  let lint: LintResult | undefined;
  const warnings: LintFinding[] = [];
  let removed: ConfigEntry[] = []; // from the config copy
  if (config) {
    lint = await lintConfig(config, spec, specFile);
    const failed = lint.findings.find((f) => f.code === "transformation-failed");
    if (failed) {
      throw usageError(
        `${failed.file}:${failed.line}: ${failed.message}`,
        "Fix the transformation in the Stainless config (`codegen lint` shows every problem).",
      );
    }
    prepared = lint.transformedSpec;
    warnings.push(...lint.findings.filter((f) => f.code === "transformation-matches-nothing"));
    if (options.readsConfig) {
      const pruned = pruneDrift(config, lint, { strict: options.strictConfig });
      removed = pruned.entries;
      warnings.push(...pruned.warnings);
    }
  }
  let groups: PreparedInputs["groups"];
  if (options.selection) {
    const filtered = filterSpec(prepared, options.selection);
    prepared = filtered.spec;
    const alreadyRemoved = new Set(removed.map(entryKey));
    const missing = config ? entriesMissingFrom(config, prepared) : [];
    groups = {
      kept: filtered.kept,
      removed: filtered.removed,
      removedComponents: filtered.removedComponents,
      removedConfigEntries: missing.filter((e) => !alreadyRemoved.has(entryKey(e))),
    };
    removed = [...removed, ...groups.removedConfigEntries];
  }
  const configText = config && options.readsConfig ? removeFromConfig(config, removed) : undefined;
  return { spec: prepared, configText, warnings, lint, groups };
}

function entryKey(entry: ConfigEntry): string {
  return JSON.stringify([...entry.resourcePath, entry.kind, entry.name]);
}

/**
 * Writes the prepared spec (`openapi.json`) and config (`openapi.stainless.yml`) into `dir`, a
 * temporary directory the caller owns; returns the paths for `{oas}` and `{config}`.
 */
export async function writePreparedInputs(
  prepared: PreparedInputs,
  dir: string,
): Promise<{ oas: string; config?: string }> {
  const oas = join(dir, "openapi.json");
  await writeFileAtomic(oas, JSON.stringify(prepared.spec, null, 2) + "\n", {
    what: "prepared OpenAPI spec",
  });
  if (prepared.configText === undefined) return { oas };
  const config = join(dir, "openapi.stainless.yml");
  await writeFileAtomic(config, prepared.configText, { what: "prepared Stainless config" });
  return { oas, config };
}
