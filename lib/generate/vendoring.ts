/**
 * Vendoring in a run: the targets with `vendor_dir` are generated into a temporary directory (no
 * SDK clone) and their package copied into the trace repository (lib/vendor/vendor.ts):
 *
 *   prepareVendoring  the targets, their generators (grouped, preflight), each target's layout
 *                     (its generator's vendoring preset: where the package lands, the exact
 *                     rewrites; no preset is a configuration error) and destination (inside the
 *                     repository, its parent a directory, itself absent or a stamped copy)
 *   runVendoring      per target: left as it is when its copy's stamp has this run's inputs key
 *                     and the copy is intact (not with --regenerate); else the generator runs (its
 *                     post_generate hooks too), the package is copied without bytecode and caches,
 *                     rewritten, reviewed (Python: the SDK API report against the copy on disk,
 *                     --fail-on api-removals; vendor_review.ts), swapped in atomically and stamped
 *   planVendoring     what runVendoring would do
 *
 * The stamp `<vendor_dir>.origin.json` is the origin stamp of this run's inputs (the format of
 * `.codegen/origin.json`, without its `tree`) plus `codegen.vendor` (the copy's git tree id and
 * every file). Nothing but the vendored directory and its stamp is written; nothing is committed.
 */
import { CodegenError, messageOf } from "../core/errors.ts";
import { exists } from "../core/fs.ts";
import { log } from "../core/log.ts";
import { join } from "../core/paths.ts";
import type { Settings } from "../config/settings.ts";
import { specPathHint } from "../config/input_hints.ts";
import type { TargetSpec } from "../config/targets.ts";
import type { SdkTarget } from "../config/structured_keys.ts";
import { hashConfigFile } from "../provenance/inputs.ts";
import { inputChanges } from "../provenance/up_to_date.ts";
import {
  type GeneratorIdentity,
  inputsKey,
  type OriginStamp,
  type StampInputs,
} from "../provenance/stamp.ts";
import { checkVendoredCopy, type FileChanges } from "../vendor/check.ts";
import { type VendorLayout, vendorLayout } from "../vendor/presets.ts";
import { type Json, type JsonObject, readStamp, stampPathFor } from "../vendor/stamp.ts";
import { planSwapRecovery } from "../vendor/swap.ts";
import {
  checkDestination,
  checkPythonPackageName,
  checkVendorDir,
  importPathFor,
  vendorPackage,
} from "../vendor/vendor.ts";
import { packageNameFor } from "./command/argv.ts";
import { baseInput, generatorNames } from "./generate_code.ts";
import { isJunkPath } from "./hygiene.ts";
import { type GeneratorGroup, logSkipped, stampInputsFor } from "./provenance.ts";
import { generatorsFor } from "./registry.ts";
import type { GenerateInput, GenerationTarget, SdkApiRecord } from "./types.ts";
import { planVendorReview, VendorReview } from "./vendor_review.ts";
import type { GeneratorWarning, GeneratorWarnings } from "./warnings.ts";

/** A target to vendor: where, and how its generator's output is laid out. */
export interface VendorTarget extends GenerationTarget {
  /** Relative to the trace repository's top, checked. */
  vendorDir: string;
  packageName: string;
  /** Python: the import path given (`import_path`), checked; default: the directory's path. */
  importPath?: { path: string; where: string };
  layout: VendorLayout;
}

export interface PreparedVendoring {
  readonly groups: GeneratorGroup<VendorTarget>[];
  readonly input: GenerateInput<VendorTarget>;
}

/** What vendoring did (or, in a dry run, would do) for one target. */
export interface VendoredTarget {
  target: SdkTarget;
  generator: string;
  vendor_dir: string;
  /** The stamp file, relative to the trace repository. */
  stamp: string;
  /** Not regenerated: why (the copy is up to date with the inputs). */
  skipped?: string;
  /** The copy or its stamp was replaced. */
  changed: boolean;
  /** Git tree id of the copy. */
  tree?: string;
  files?: number;
  changes?: FileChanges;
  import_path?: string;
}

export interface VendorOutput {
  generator: string;
  buildId?: string;
  targets: Partial<Record<SdkTarget, VendoredTarget>>;
  warnings: GeneratorWarning[];
  /** The Python target's SDK API report (vendor_review.ts); absent when it is not vendored. */
  sdk_api?: SdkApiRecord;
}

export interface PrepareVendoringOptions {
  settings: Settings;
  repoRoot: string;
  targets: TargetSpec[];
  dryRun?: boolean;
  /** The spec must exist now (default); `all` writes it later. */
  requireSpec?: boolean;
  allGroups?: boolean;
  /** Every target of the run, as for prepareGeneration; default: `targets`. */
  runTargets?: readonly TargetSpec[];
  /** The run's warnings, when a generation of the same run shares them (`all`). */
  warnings?: GeneratorWarnings;
}

/** The checks of prepareVendoring (module comment); nothing is written. */
export async function prepareVendoring(
  options: PrepareVendoringOptions,
): Promise<PreparedVendoring> {
  const { settings, repoRoot } = options;
  const base = baseInput(settings, repoRoot, {
    dryRun: options.dryRun ?? false,
    allGroups: options.allGroups,
    runTargets: options.runTargets ?? options.targets,
  });
  const targets: VendorTarget[] = [];
  for (const spec of options.targets) {
    const target = { target: spec.target, spec };
    const where = spec.origins.vendor_dir ?? `targets.${spec.target}.vendor_dir`;
    const vendorDir = checkVendorDir(spec.vendorDir!, where);
    const packageName = await packageNameFor(target, base);
    const given = spec.importPath === undefined ? undefined : {
      path: spec.importPath,
      where: `${spec.origins.import_path}: targets.${spec.target}.import_path`,
    };
    let importPath: string | undefined;
    if (spec.language === "python") {
      // Checked now, in a dry run too: the generator must not run for a copy that cannot import.
      checkPythonPackageName(packageName, packageNameOrigin(spec, base.stainlessConfigPath));
      importPath = importPathFor(vendorDir, given);
    }
    const layout = vendorLayout(spec.generator, spec.target, { packageName, importPath });
    const destination = join(repoRoot, vendorDir);
    log.verbose(`${spec.target}: vendored into ${vendorDir}, set by ${where}`);
    await checkDestination(destination, stampPathFor(destination));
    targets.push({ ...target, vendorDir, packageName, importPath: given, layout });
  }
  const groups = await generatorsFor(targets, settings);
  for (const group of groups) await group.generator.preflight({ ...base, targets: group.targets });
  if ((options.requireSpec ?? true) && !(await exists(base.specPath))) {
    throw new CodegenError(`OpenAPI spec not found: ${base.specPath}`, {
      hint: specPathHint(settings),
    });
  }
  return {
    groups,
    input: { ...base, targets, warnings: options.warnings ?? base.warnings },
  };
}

/** Where a target's package name was set, for errors about it. */
function packageNameOrigin(spec: TargetSpec, stainlessConfig: string): string {
  if (spec.packageName === undefined) {
    return `targets.${spec.target}.package_name of ${stainlessConfig}`;
  }
  return spec.origins.package_name ?? `targets.${spec.target}.package_name`;
}

/** The stamp of a vendored copy before `codegen.vendor` is added: the inputs and their key. */
async function originOf(inputs: StampInputs): Promise<JsonObject> {
  return {
    [inputs.spec.path]: inputs.spec.sha256,
    [inputs.config.path]: inputs.config.sha256,
    codegen: { ...inputs.fields, inputs: await inputsKey(inputs) } as unknown as Json,
  };
}

/** The copy's stamp; undefined when missing or malformed (then it is not up to date). */
async function readStampIfValid(path: string) {
  try {
    return await readStamp(path);
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    log.verbose(messageOf(error));
    return undefined;
  }
}

/** Is the copy up to date with `inputs`: its stamp has their key, and its files are intact? */
async function freshness(
  repoRoot: string,
  target: VendorTarget,
  inputs: StampInputs,
): Promise<{ upToDate: boolean; reason: string }> {
  const stampPath = stampPathFor(join(repoRoot, target.vendorDir));
  const read = await readStampIfValid(stampPath);
  const key = await inputsKey(inputs);
  const where = target.vendorDir;
  if (!read) return { upToDate: false, reason: `${where} has no valid stamp` };
  if (!read.vendor) {
    return { upToDate: false, reason: `${where}'s stamp was not written by codegen vendor` };
  }
  if (read.codegen.inputs !== key) {
    const files = Object.fromEntries(
      Object.entries(read.stamp).filter(([k, v]) =>
        k !== "codegen" && (v === null || typeof v === "string")
      ),
    ) as OriginStamp["files"];
    const stamp = { files, codegen: read.codegen } as unknown as OriginStamp;
    const changes = inputChanges(stamp, inputs);
    return {
      upToDate: false,
      reason: `inputs changed since ${where} was vendored: ${
        changes.length ? changes.join(", ") : "the inputs key"
      }`,
    };
  }
  const importPath = target.layout.target === "python"
    ? importPathFor(target.vendorDir, target.importPath)
    : undefined;
  if (read.vendor.importPath !== importPath) {
    return {
      upToDate: false,
      reason: `${where} was vendored to import as ${read.vendor.importPath ?? "(none)"}, ` +
        `not ${importPath}`,
    };
  }
  const check = await checkVendoredCopy({ repoRoot, vendorDir: target.vendorDir });
  if (!check.inSync) {
    return { upToDate: false, reason: `${where} was changed after it was vendored` };
  }
  return {
    upToDate: true,
    reason: `${where} was vendored from the same inputs (${key.slice(0, 19)}…) and is intact`,
  };
}

/** Each target's stamp inputs and freshness. */
async function decide(prepared: PreparedVendoring) {
  const { input } = prepared;
  const identities: Partial<Record<SdkTarget, GeneratorIdentity>> = {};
  for (const { generator, targets } of prepared.groups) {
    for (const target of targets) {
      identities[target.target] = await generator.identity(target, input);
    }
  }
  const config = await hashConfigFile(input.repoRoot, input.stainlessConfigPath);
  const stamps = await stampInputsFor(input, { config, identities });
  const fresh: Partial<Record<SdkTarget, { upToDate: boolean; reason: string }>> = {};
  for (const target of input.targets) {
    fresh[target.target] = await freshness(input.repoRoot, target, stamps[target.target]!);
  }
  return { stamps, fresh };
}

function record(
  target: VendorTarget,
  generator: string,
  fields: Partial<VendoredTarget> & { changed: boolean },
): VendoredTarget {
  return {
    target: target.target,
    generator,
    vendor_dir: target.vendorDir,
    stamp: `${target.vendorDir}.origin.json`,
    ...fields,
  };
}

/** Vendors every target that is not up to date (module comment). */
export async function runVendoring(
  prepared: PreparedVendoring,
  options: { regenerate?: boolean } = {},
): Promise<VendorOutput> {
  const { input } = prepared;
  const { stamps, fresh } = await decide(prepared);
  if (input.settings.get("strict_config")) {
    // Whatever the skip decision (strict_config.ts).
    await (await import("./strict_config.ts")).assertNoConfigDrift(input, stamps);
  }
  // Shared with the run's generation (`all`): the ones found here are this stage's.
  const before = input.warnings?.list.length ?? 0;
  const output: VendorOutput = {
    generator: generatorNames(prepared.groups),
    targets: {},
    warnings: [],
  };
  const review = new VendorReview(input.settings);
  for (const { generator, targets } of prepared.groups) {
    const remaining: VendorTarget[] = [];
    for (const target of targets) {
      const state = fresh[target.target]!;
      if (state.upToDate && !options.regenerate) {
        logSkipped(target, state.reason, input.warnings?.fail);
        review.skipped(target);
        output.targets[target.target] = record(target, generator.name, {
          changed: false,
          skipped: state.reason,
        });
      } else {
        log.info(`${target.target}: vendoring: ${state.reason}`);
        remaining.push(target);
      }
    }
    if (remaining.length === 0) continue;
    const byTarget = new Map(remaining.map((t) => [t.target, t]));
    const done = await generator.generateTrees(
      { ...input, targets: remaining },
      async (generated, dir) => {
        const target = byTarget.get(generated.target)!;
        input.warnings?.assertNone(`${target.vendorDir} was not changed.`);
        const result = await vendorPackage({
          generator: generator.name,
          target: target.target,
          packageName: target.packageName,
          generatedDir: dir,
          repoRoot: input.repoRoot,
          vendorDir: target.vendorDir,
          importPath: target.importPath,
          layout: target.layout,
          origin: await originOf(stamps[target.target]!),
          exclude: isJunkPath,
          beforeSwap: (staged, previous) => review.review(target, staged, previous),
        });
        const { added, removed, changed } = result.changes;
        log.success(
          result.changed
            ? `${target.target}: vendored ${result.fileCount} files into ${target.vendorDir} ` +
              `(${added.length} added, ${changed.length} changed, ${removed.length} removed)`
            : `${target.target}: ${target.vendorDir} already holds this code`,
        );
        output.targets[target.target] = record(target, generator.name, {
          changed: result.changed,
          tree: result.tree,
          files: result.fileCount,
          changes: result.changes,
          import_path: result.importPath,
        });
      },
    );
    if (done.buildId) output.buildId = done.buildId;
  }
  output.warnings = input.warnings?.list.slice(before) ?? [];
  const sdkApi = review.record();
  if (sdkApi) output.sdk_api = sdkApi;
  return output;
}

/** What runVendoring would do; the up-to-date decision only when the spec is final. */
export async function planVendoring(
  prepared: PreparedVendoring,
  options: { regenerate?: boolean; specFinal?: boolean } = {},
): Promise<string[]> {
  const { input } = prepared;
  const decided = !options.regenerate && options.specFinal !== false &&
      await exists(input.specPath)
    ? await decide(prepared)
    : undefined;
  const lines: string[] = [];
  if (!decided && !options.regenerate) {
    lines.push(
      "vendor only the targets whose copy is not up to date with the new inputs (its stamp's " +
        "inputs key differs, or its files were changed; --regenerate vendors anyway):",
    );
  }
  for (const { generator, targets } of prepared.groups) {
    const remaining = targets.filter((t) => {
      const state = decided?.fresh[t.target];
      if (state?.upToDate) {
        lines.push(`leave ${t.vendorDir} as it is: up to date (${state.reason})`);
      }
      return !state?.upToDate;
    });
    if (remaining.length === 0) continue;
    lines.push(...await generator.planTrees({ ...input, targets: remaining }));
    for (const target of remaining) {
      // A run killed mid-swap: the real run first puts back / removes what it left. In the
      // plan only (printed by the caller, as every other line), not warned about twice.
      const recovery = await planSwapRecovery(join(input.repoRoot, target.vendorDir));
      const rewrites = target.layout.rewrites.length;
      lines.push(
        ...recovery,
        `copy ${target.layout.subtree}/ of the ${target.target} output into ${target.vendorDir} ` +
          `(without bytecode and caches${
            rewrites ? `; ${rewrites} rewrite(s) of its own import name` : ""
          }), ` +
          `replacing the directory atomically, and write ${target.vendorDir}.origin.json`,
        ...planVendorReview(input.settings, target),
      );
    }
  }
  return lines;
}
