/**
 * What a local generator is given, prepared in one place, in this order:
 *   1. the config's `openapi.transformations` applied to a copy of the spec (lint does it and
 *      checks the config against the result);
 *   2. with endpoint groups: the spec keeps the selected operations and what they reach;
 *   3. for a generator that reads the config, a copy of it (config_copy.ts) without: the methods
 *      and models the transformed spec lacks (drift: a warning each, an error with
 *      `strictConfig`, for those the groups keep; the others are left out with the groups'),
 *      the methods and models of the operations the groups removed, the transformations (the
 *      spec copy has them applied), and references to endpoints the spec copy lacks.
 * Transformations come before groups because their targets name places in the whole spec. With
 * groups, a method whose endpoint the spec lacks is kept by a group only through an endpoint glob
 * (`get /v2/**`): a `tag:` or `operationId:` pattern describes an operation, and there is none.
 * Nothing on disk changes; `writePreparedInputs` writes the copies for `{oas}` and `{config}`.
 */
import { usageError } from "../core/errors.ts";
import { writeFileAtomic } from "../core/fs.ts";
import { join } from "../core/paths.ts";
import type { OpenApiDocument } from "../spec/openapi.ts";
import { configCopy, type DroppedReference } from "./config_copy.ts";
import { filterSpec, type GroupSelection, selectsMissingEndpoint } from "./groups.ts";
import { lintConfig, type LintFinding, type LintResult } from "./lint.ts";
import { type ConfigEntry, entriesMissingFrom, pruneDrift } from "./prune.ts";
import type { StainlessConfig } from "./stainless_config.ts";
import { listOperations, type SpecOperation } from "./operations.ts";

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
  /**
   * To show the user: transformation targets that matched nothing; config entries and endpoint
   * references dropped because the spec lacks their endpoint (drift) and the groups keep them.
   */
  warnings: LintFinding[];
  /** The lint of the config against the spec (undefined without a config). */
  lint?: LintResult;
  /**
   * With groups: the operations kept and removed, components dropped, and what the config copy
   * lost besides the drift warnings (methods, models, endpoint references), without warnings.
   */
  groups?: {
    kept: SpecOperation[];
    removed: SpecOperation[];
    removedComponents: string[];
    removedConfigEntries: ConfigEntry[];
    removedReferences: DroppedReference[];
  };
}

export async function prepareInputs(
  spec: OpenApiDocument,
  specFile: string,
  config: StainlessConfig | undefined,
  options: PrepareOptions,
): Promise<PreparedInputs> {
  let transformed: OpenApiDocument = spec;
  let lint: LintResult | undefined;
  const warnings: LintFinding[] = [];
  if (config) {
    lint = await lintConfig(config, spec, specFile);
    const failed = lint.findings.find((f) => f.code === "transformation-failed");
    if (failed) {
      throw usageError(
        `${failed.file}:${failed.line}: ${failed.message}`,
        "Fix the transformation in the Stainless config (`codegen lint` shows every problem).",
      );
    }
    transformed = lint.transformedSpec;
    warnings.push(...lint.findings.filter((f) => f.code === "transformation-matches-nothing"));
  }
  const { selection } = options;
  const filtered = selection ? filterSpec(transformed, selection) : undefined;
  const prepared = filtered?.spec ?? transformed;
  let groups: PreparedInputs["groups"] = filtered && {
    kept: filtered.kept,
    removed: filtered.removed,
    removedComponents: filtered.removedComponents,
    removedConfigEntries: [],
    removedReferences: [],
  };
  let configText: string | undefined;
  if (config && options.readsConfig) {
    const inSpec = new Set(listOperations(transformed).map((op) => op.endpoint));
    const kept = new Set(listOperations(prepared).map((op) => op.endpoint));
    // An endpoint the run generates: in the filtered spec, or (missing from the spec) matched
    // by the groups' endpoint globs.
    const selected = (endpoint: string) =>
      !selection || kept.has(endpoint) || (!inSpec.has(endpoint) &&
        selectsMissingEndpoint(selection, endpoint));
    const drift = pruneDrift(config, lint!, {
      strict: options.strictConfig,
      selected: (finding, entry) =>
        entry.kind === "methods"
          ? selected(finding.endpoint!)
          : resourceSelected(config, entry.resourcePath, selected),
    });
    warnings.push(...drift.warnings);
    const reported = new Set(drift.entries.map(entryKey));
    const rest = entriesMissingFrom(config, prepared).filter((e) => !reported.has(entryKey(e)));
    const copy = await configCopy(config, {
      remove: [...drift.entries, ...rest],
      endpoints: kept,
      withoutTransformations: true,
    });
    configText = copy.text;
    const isDrift = (ref: DroppedReference) => !inSpec.has(ref.endpoint) && selected(ref.endpoint);
    warnings.push(...copy.references.filter(isDrift).map((ref) => referenceWarning(config, ref)));
    if (groups) {
      groups = {
        ...groups,
        removedConfigEntries: rest,
        removedReferences: copy.references.filter((ref) => !isDrift(ref)),
      };
    }
  }
  return { spec: prepared, configText, warnings, lint, groups };
}

/**
 * A model goes with its resource: kept unless the resource has methods and the run generates
 * none of them.
 */
function resourceSelected(
  config: StainlessConfig,
  resourcePath: readonly string[],
  selected: (endpoint: string) => boolean,
): boolean {
  const path = JSON.stringify(resourcePath);
  const endpoints = config.methods
    .filter((m) => m.endpoint !== undefined && JSON.stringify(m.resourcePath) === path)
    .map((m) => m.endpoint!);
  return endpoints.length === 0 || endpoints.some(selected);
}

function referenceWarning(config: StainlessConfig, ref: DroppedReference): LintFinding {
  return {
    file: config.file,
    line: ref.line,
    severity: "warning",
    code: "endpoint-not-in-spec",
    message: `${ref.key}: ${ref.endpoint} is not in the spec; removed from the generator's copy ` +
      "of the config",
    endpoint: ref.endpoint,
  };
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
