/**
 * What a local generator reads through `{oas}` and `{config}`: temporary copies made by
 * lib/inputs/prepare.ts, never the committed files.
 *
 *   {oas}     the spec with the Stainless config's `openapi.transformations` applied, as the
 *             hosted generator applies them itself (the hosted backend never gets these copies);
 *   {config}  for a generator that reads the config (its argv names `{config}`: stainful, stlc, a
 *             `command`): the config without the methods and models the spec lacks, each one a
 *             warning of the run (source `codegen`, in GenerateInput.warnings, so `fail_on:
 *             warnings` applies to it before main moves); with `strict_config` an error listing
 *             all.
 *
 * Prepared once per run for each kind of generator (reads the config or not), written into each
 * target's temporary directory (removed with it). Only the `command` backend imports this module,
 * so the yaml and JSONPath libraries load only for local generation.
 */
import { CodegenError } from "../core/errors.ts";
import { exists } from "../core/fs.ts";
import { log } from "../core/log.ts";
import { displayPath, join, relative } from "../core/paths.ts";
import type { LintFinding } from "../inputs/lint.ts";
import { type PreparedInputs, prepareInputs, writePreparedInputs } from "../inputs/prepare.ts";
import { readSpecFile } from "../inputs/operations.ts";
import { readStainlessConfig } from "../inputs/stainless_config.ts";
import { checkTransformations } from "../inputs/transform.ts";
import type { GenerateInput, GenerationTarget } from "./types.ts";
import { describeSelection } from "../inputs/groups.ts";
import { concerning, GeneratorWarnings } from "./warnings.ts";

export interface InputPaths {
  oas: string;
  config: string;
}

/** Whether an argv template hands the generator the Stainless config. */
export function readsConfig(template: readonly string[]): boolean {
  return template.some((arg) => arg.includes("{config}"));
}

/** A lint finding as one warning line: `openapi.stainless.yml:211: v2_scores.read: ...`. */
export function findingLine(finding: LintFinding, repoRoot: string): string {
  const file = finding.file.startsWith(`${repoRoot}/`)
    ? relative(repoRoot, finding.file)
    : finding.file;
  return `${file}:${finding.line}: ${finding.message}`;
}

/**
 * Refuses, before anything is written, a Stainless config whose transformations no spec could
 * take (an unknown command, malformed arguments): every local generator is given the spec with
 * them applied, and would stop on them only after the spec stage. What their targets match needs
 * the spec: the run checks that when it prepares the inputs. Without a config there is nothing
 * to check (a generator that reads it says so when the inputs are prepared).
 */
export async function assertTransformationsApply(
  input: GenerateInput<GenerationTarget>,
): Promise<void> {
  if (!(await exists(input.stainlessConfigPath))) return;
  const config = await readStainlessConfig(input.stainlessConfigPath);
  checkTransformations(config.transformations, displayPath(config.file, input.repoRoot));
}

/** What a dry run says about the inputs, reading after "would". */
export function planInputs(
  input: GenerateInput<GenerationTarget>,
  configReaders: boolean[],
): string[] {
  const config = relative(input.repoRoot, input.stainlessConfigPath);
  const lines = [
    `apply the openapi.transformations of ${config} to a temporary copy of the spec ({oas})`,
  ];
  if (configReaders.some(Boolean)) {
    const scope = input.groups ? " that the endpoint groups keep" : "";
    lines.push(
      `drop config methods whose endpoint the spec lacks from a temporary copy of ${config} ({config}), ` +
        (input.settings.get("strict_config")
          ? `stopping instead if there are any${scope} (strict_config)`
          : `warning for each${scope}`) +
        "; leave the transformations (applied to {oas}) and references to missing endpoints " +
        "(readme.example_requests, unspecified_endpoints) out of it",
    );
  }
  if (input.groups) {
    lines.push(
      `keep only the operations of the endpoint groups ${
        describeSelection(input.groups)
      } in that copy of the spec, and the components they reach` +
        (configReaders.some(Boolean) ? "; drop the other operations' methods from {config}" : ""),
    );
  }
  return lines;
}

/**
 * The prepared inputs of one run, shared by its targets. Its warnings concern the copies, which
 * are the same for every target of the run: each is reported once, naming the targets that read
 * that copy (GenerateInput.readers: the spec copy for a transformation that matched nothing, the
 * config copy for what was dropped from it).
 */
export class LocalInputs {
  readonly #prepared = new Map<boolean, Promise<PreparedInputs>>();
  readonly #reported = new Set<string>();
  readonly #warnings: GeneratorWarnings;

  constructor(private readonly input: GenerateInput<GenerationTarget>) {
    this.#warnings = input.warnings ?? new GeneratorWarnings();
  }

  /** Writes the copies for a generator into `dir` (created); returns `{oas}` and `{config}`. */
  async write(readsConfig: boolean, dir: string): Promise<InputPaths> {
    // The directory first: awaiting anything between starting the preparation and awaiting it
    // would leave a quick failure of it (strict_config) unhandled for a moment, which crashes.
    await Deno.mkdir(dir, { recursive: true });
    let prepared = this.#prepared.get(readsConfig);
    if (!prepared) {
      prepared = this.#prepare(readsConfig);
      this.#prepared.set(readsConfig, prepared);
    }
    const paths = await writePreparedInputs(await prepared, dir);
    return { oas: paths.oas, config: paths.config ?? this.input.stainlessConfigPath };
  }

  async #prepare(readsConfig: boolean): Promise<PreparedInputs> {
    const { specPath, stainlessConfigPath, settings, repoRoot } = this.input;
    const spec = await readSpecFile(specPath);
    let config;
    if (await exists(stainlessConfigPath)) {
      config = await readStainlessConfig(stainlessConfigPath);
    } else if (readsConfig) {
      throw new CodegenError(`Stainless config not found: ${stainlessConfigPath}`, {
        kind: "usage",
        hint: "The generator reads it through {config}: pass --stainless-config with the " +
          "openapi.stainless.yml path, or set `stainless_config:`.",
      });
    } else {
      log.verbose(`no Stainless config at ${stainlessConfigPath}: the spec is used as it is`);
    }
    const prepared = await prepareInputs(spec, specPath, config, {
      readsConfig,
      strictConfig: settings.get("strict_config") ?? false,
      selection: this.input.groups,
    });
    if (prepared.groups) {
      const { kept, removed, removedComponents, removedConfigEntries, removedReferences } =
        prepared.groups;
      const references = removedReferences.length
        ? ` and ${removedReferences.length} reference(s) to left-out endpoints ` +
          `(${
            [...new Set(removedReferences.map((r) => r.key.replace(/(\.[^.]*|\[\d+\])$/, "")))]
              .join(", ")
          })`
        : "";
      log.info(
        `endpoint groups ${describeSelection(this.input.groups!)}: ${kept.length} operation(s) ` +
          `kept, ${removed.length} left out, ${removedComponents.length} component(s) pruned` +
          (readsConfig
            ? `, ${removedConfigEntries.length} config entries dropped${references}`
            : ""),
      );
      for (const ref of removedReferences) {
        log.verbose(`  config copy: ${ref.key} (${ref.endpoint}) dropped with its endpoint`);
      }
    }
    const applied = prepared.lint?.checked.transformations ?? 0;
    if (applied) {
      log.verbose(
        `applied ${applied} transformation(s) of the Stainless config to a copy of the spec`,
      );
    }
    for (const finding of prepared.warnings) {
      const line = findingLine(finding, repoRoot);
      if (this.#reported.has(line)) continue; // the other kind of generator said it already
      this.#reported.add(line);
      const readers = finding.code === "transformation-matches-nothing"
        ? this.input.readers?.spec
        : this.input.readers?.config;
      this.#warnings.add({ source: "codegen", ...concerning(readers ?? []), message: line });
    }
    return prepared;
  }
}

/** `<workDir>/inputs`: where a target's copies go. */
export function inputsDir(workDir: string): string {
  return join(workDir, "inputs");
}
