/**
 * What every generator backend shares: the targets, what a backend is given and what it returns.
 * Backends import only this module (and lower layers); the registry imports the backends.
 */
import type { Settings } from "../config/settings.ts";
import type { SdkTarget } from "../config/structured_keys.ts";
import type { TargetSpec } from "../config/targets.ts";
import type { GroupSelection } from "../inputs/groups.ts";
import { describeMain, type MainState } from "../git/main_branch.ts";
import type { SdkApiDiff } from "../sdk_api/compare.ts";
import type { GeneratorIdentity, StampInputs } from "../provenance/stamp.ts";
import type { GeneratorWarning, GeneratorWarnings } from "./warnings.ts";

/** Stands for a local generator's temporary directory in dry-run output (none is created). */
export const TEMP_DIR_PLACEHOLDER = "<temporary directory>";

/** One SDK to generate: its target and its settings (package, generator, hooks, ...). */
export interface GenerationTarget {
  target: SdkTarget;
  spec: TargetSpec;
}

/** One SDK to generate onto local main of a clone. */
export interface TargetClone extends GenerationTarget {
  clone: string;
  /** Flag or config key that chose the clone path, for messages. */
  source: string;
  /** Config key of the clone path ("python_output"), for messages. */
  key?: string;
  /**
   * Where local main stood when the run was prepared (checked movable then); undefined when the
   * clone does not exist yet (a dry run with --init) or was not looked at.
   */
  main?: MainState;
}

export interface GenerateInput<T extends GenerationTarget = TargetClone> {
  repoRoot: string;
  specPath: string;
  stainlessConfigPath: string;
  targets: T[];
  settings: Settings;
  dryRun: boolean;
  /** The endpoint groups selected (undefined: the whole spec); part of each target's stamp. */
  groups?: GroupSelection;
  /**
   * The run's targets that get the prepared copies of the spec and config (all its stages: in
   * `all`, the clones and the vendored ones); the warnings about those copies name them.
   */
  readers?: InputReaders;
  /**
   * The origin stamp inputs of each target (provenance.ts): a backend writes the stamp (and the
   * spec copy) into every tree it commits on local main. Set by runGeneration.
   */
  stamps?: Partial<Record<SdkTarget, StampInputs>>;
  /**
   * Where the steps of a generation report warnings (shown, listed in the output, `fail_on:
   * warnings`). Set by prepareGeneration.
   */
  warnings?: GeneratorWarnings;
  /**
   * Called by the backend with each target's generated commit before local main moves to it
   * (with main's own tip when the generated tree equals it). A throw stops the run with main
   * unchanged. Set by runGeneration (lib/generate/review.ts; then `fail_on: warnings`).
   */
  review?: (target: TargetClone, commit: string) => Promise<void>;
}

/** Who reads the prepared inputs: every local generator's target the spec, some the config. */
export interface InputReaders {
  spec: SdkTarget[];
  config: SdkTarget[];
}

export interface TargetResult {
  clone: string;
  /** The generator that made it. */
  generator?: string;
  /** New tip of local main (undefined in a dry run or when the target produced nothing). */
  commit?: string;
  previous?: string;
  changed: boolean;
  /** Branch that keeps commits only the old main had. */
  backup?: string;
  /** Not generated: why (main is up to date with the inputs; see provenance.ts). */
  skipped?: string;
}

/** What a target's clone looks like after local main moved (or did not). */
export function targetResult(
  clone: string,
  moved: { current: string; previous?: string; changed: boolean; backup?: string },
): TargetResult {
  return {
    clone,
    commit: moved.current,
    previous: moved.previous,
    changed: moved.changed,
    backup: moved.backup,
  };
}

/**
 * The SDK the new one is compared with: `origin/main`, else `main` (its tip before this run), of
 * an SDK clone; for a vendored target, the copy on disk before this run (its git tree id).
 */
export type SdkApiBase = { rev: string; commit: string } | { vendor_dir: string; tree: string };

/**
 * The `sdk_api` object of `--json`: the generated Python SDK's public API compared with the
 * previous one (lib/generate/review.ts), or why there is no comparison.
 */
export type SdkApiRecord =
  | {
    base: SdkApiBase;
    /** Something was removed, or a kept method lost a parameter (what api-removals fails on). */
    removals: boolean;
  }
    & SdkApiDiff
  | { skipped: string };

export interface GenerateOutput {
  generator: string;
  buildId?: string;
  targets: Partial<Record<SdkTarget, TargetResult>>;
  /** Warnings of the generation (empty when none), in the order they were found. */
  warnings?: GeneratorWarning[];
  /** Set by runGeneration; undefined in a dry run. */
  sdk_api?: SdkApiRecord;
}

export interface Generator {
  readonly name: string;
  readonly targets: readonly SdkTarget[];
  /** Cheap checks (environment, tools, argv) that must pass before any work starts. */
  preflight(input: GenerateInput<GenerationTarget>): Promise<void> | void;
  /**
   * What `generate(input)` would do, in order, for --dry-run: one line per process (argv, with
   * TEMP_DIR_PLACEHOLDER for its directory), API call, tree replacement and ref move, each a
   * phrase that reads after "would" ("run `gen --out ...`"). Changes and creates nothing.
   */
  plan(input: GenerateInput): Promise<string[]>;
  /** Generates every target onto local main of its clone. Never called for a dry run. */
  generate(input: GenerateInput): Promise<GenerateOutput>;
  /**
   * Who generates `target`, for the origin stamp: name, version (asked from the generator, or
   * what the service can tell), argv template, generator config hash, package name.
   */
  identity(
    target: GenerationTarget,
    input: GenerateInput<GenerationTarget>,
  ): Promise<GeneratorIdentity>;
  /** Paths of a clone a generation takes from main instead of generating (`preserve`). */
  keptPaths(target: GenerationTarget): readonly string[];
  /** Whether it can generate `target` (openapi-python-client: Python only). */
  supports(target: SdkTarget): boolean;
  /**
   * Generates each target into a temporary directory instead of a clone (vendoring): `use` is
   * called with each target's generated directory (the generator's whole output), which is
   * removed once `use` returns. Warnings go to `input.warnings`.
   */
  generateTrees(
    input: GenerateInput<GenerationTarget>,
    use: (target: GenerationTarget, dir: string) => Promise<void>,
  ): Promise<{ buildId?: string }>;
  /** What generateTrees would do (dry run), one phrase per step. */
  planTrees(input: GenerateInput<GenerationTarget>): Promise<string[]>;
}

/** The last line of every backend's plan for a target: local main moving to the generated code. */
export function planMainMove(target: TargetClone, to: string): string {
  const main = target.main ? describeMain(target.main) : "main (the clone does not exist yet)";
  return `move refs/heads/main of ${target.clone} to ${to} (${target.target}; now ${main})`;
}

export type Maturity = "hosted" | "mature" | "alpha" | "self-hosted" | "custom";

/** A local generator described by an argv template per target. */
export interface CommandPreset {
  name: string;
  maturity: Maturity;
  summary: string;
  /**
   * Argv templates by target (`typescript` also serves the `node` target); placeholders {oas}
   * {config} {out} {package} {target} {generator_config}.
   */
  argv: Partial<Record<SdkTarget, string[]>>;
  /** Writes the preset's own config file when the user did not give one (`generator_config`). */
  generatorConfig?: (packageName: string) => { name: string; content: string };
  /**
   * Where the tree to commit is inside {out}, per target (default: {out} itself).
   * "only-directory": the one directory the generator wrote there (stainful generate-ts writes
   * {out}/<package>/package.json).
   */
  treeRoot?: Partial<Record<SdkTarget, "only-directory">>;
  /** The arguments that make the generator print its version (`["--version"]`). */
  versionArgs?: string[];
}
