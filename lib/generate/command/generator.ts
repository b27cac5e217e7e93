/**
 * The `command` backend: runs a local generator (openapi-python-client, stainful, stlc, or any
 * argv template) in a temporary directory, then makes its output the new tip of local `main`
 * in the SDK clone as a full tree replacement (stale files removed, `preserve` paths kept).
 * A failing generator leaves the clone untouched.
 *
 * Around the generator, per target, in this order:
 *   inputs    {oas}/{config}: temporary copies, transformed and pruned (../local_inputs.ts)
 *   generator its argv run in the temporary directory
 *   hooks     post_generate commands in the generated tree (../hooks.ts)
 *   hygiene   bytecode and caches left out where the tree is staged (../hygiene.ts)
 *   stamp     .codegen/origin.json and .codegen/openapi.json staged last (../provenance.ts)
 *   warnings  --fail-on warnings stops here if there are any (../warnings.ts)
 *   commit    the tree as a commit on top of main (nothing moved yet)
 *   review    SDK API report, --fail-on api-removals (../review.ts, via input.review)
 *   move      local main to the commit
 * A target whose main is up to date never gets here (../generate_code.ts skips it first).
 *
 * For vendoring (`generateTrees`), the same steps up to the hooks, in a temporary directory: no
 * clone, no commit; the caller copies the package out of the output.
 */
import { join } from "../../core/paths.ts";
import { CodegenError, usageError } from "../../core/errors.ts";
import type {
  CommandPreset,
  GenerateInput,
  GenerateOutput,
  GenerationTarget,
  Generator,
  TargetClone,
  TargetResult,
} from "../types.ts";
import { languageOf, type SdkTarget } from "../../config/structured_keys.ts";
import { planMainMove, targetResult, TEMP_DIR_PLACEHOLDER } from "../types.ts";
import { expandArgv, packageNameFor, toolDirs } from "./argv.ts";
import { formatCommand, run, which } from "../../os/process.ts";
import { makeTempDir } from "../../core/fs.ts";
import { log } from "../../core/log.ts";
import {
  commitDirectoryOnMain,
  MAIN_REF,
  moveLocalMain,
  REFLOG_PREFIX,
} from "../../git/main_branch.ts";
import { resolveCommit, short } from "../../git/git.ts";
import {
  assertTransformationsApply,
  inputsDir,
  LocalInputs,
  planInputs,
  readsConfig,
} from "../local_inputs.ts";
import { planHooks, runPostGenerateHooks } from "../hooks.ts";
import { describeJunk, findJunk, junkPathspecs } from "../hygiene.ts";
import { planReview } from "../review.ts";
import { type GeneratorIdentity, SPEC_COPY_PATH, STAMP_PATH } from "../../provenance/stamp.ts";
import { outputWarnings } from "./output_warnings.ts";
import { commandIdentity, generatorPath, stampFilesFor } from "../provenance.ts";
import { checkPackageJsonName } from "../ts_package.ts";

export class CommandGenerator implements Generator {
  readonly name: string;
  readonly targets: readonly SdkTarget[];

  constructor(readonly preset: CommandPreset) {
    this.name = preset.name;
    this.targets = Object.keys(preset.argv) as SdkTarget[];
  }

  /** Its argv has a template for the target (`node` uses the `typescript` one). */
  supports(target: SdkTarget): boolean {
    return this.#template(target).length > 0;
  }

  async preflight(input: GenerateInput<GenerationTarget>): Promise<void> {
    for (const { target } of input.targets) {
      if (!this.supports(target)) {
        throw usageError(
          `generator ${this.name} cannot generate the ${target} SDK (it supports: ${
            this.targets.join(", ")
          })`,
          `Choose another generator for ${target}, or describe yours with --generator command --generator-command "...".`,
        );
      }
    }
    const executable = this.#template(input.targets[0]?.target ?? this.targets[0])[0];
    if (!input.dryRun && !which(executable, toolDirs())) {
      throw new CodegenError(`generator ${this.name}: \`${executable}\` not found`, {
        hint: this.preset.maturity === "self-hosted"
          ? `Install Stainless' self-hosted generator (stlc) and put it on PATH, or set generator_command to its argv.`
          : this.preset.maturity === "custom"
          ? `Install ${executable} or put it on PATH, or fix generator_command (--generator-command).`
          : `Run \`make setup\` (it installs the pinned generators into .venv), or put ${executable} on PATH.`,
      });
    }
    await assertTransformationsApply(input);
  }

  #template(target: SdkTarget): string[] {
    return this.preset.argv[target] ?? this.preset.argv[languageOf(target)] ?? [];
  }

  identity(
    target: GenerationTarget,
    input: GenerateInput<GenerationTarget>,
  ): Promise<GeneratorIdentity> {
    return commandIdentity(this.preset, target, input, this.#template(target.target));
  }

  keptPaths(target: GenerationTarget): readonly string[] {
    return target.spec.preserve;
  }

  /**
   * The argv for one target, placeholders filled in ({oas} and {config} name `inputs`: the
   * prepared copies in a real run). Outside a dry run it also writes the preset's own config file
   * into `workDir` when the argv names one.
   */
  async argvFor(
    target: GenerationTarget,
    input: GenerateInput<GenerationTarget>,
    workDir: string,
    inputs: { oas: string; config: string } = {
      oas: input.specPath,
      config: input.stainlessConfigPath,
    },
  ): Promise<string[]> {
    const packageName = await packageNameFor(target, input);
    let generatorConfig = target.spec.generatorConfig ?? "";
    if (!generatorConfig && this.preset.generatorConfig) {
      const file = this.preset.generatorConfig(packageName);
      generatorConfig = join(workDir, file.name);
      if (!input.dryRun) await Deno.writeTextFile(generatorConfig, file.content);
    }
    const argv = expandArgv(this.#template(target.target), {
      oas: inputs.oas,
      config: inputs.config,
      out: join(workDir, "out"),
      package: packageName,
      target: target.target,
      generator_config: generatorConfig,
    });
    const executable = which(argv[0], toolDirs());
    return executable ? [executable, ...argv.slice(1)] : argv;
  }

  /** The dry-run lines of the inputs, then for each target its argv and hooks, then `more`. */
  async #planTargets<T extends GenerationTarget>(
    input: GenerateInput<T>,
    more: (target: T) => string[],
  ): Promise<string[]> {
    const readers = input.targets.map((t) => readsConfig(this.#template(t.target)));
    const lines = planInputs(input, readers);
    for (const target of input.targets) {
      // Nothing is created, not even the temporary directory: the argv names a placeholder.
      const inputs = {
        oas: `${inputsDir(TEMP_DIR_PLACEHOLDER)}/openapi.json`,
        config: readsConfig(this.#template(target.target))
          ? `${inputsDir(TEMP_DIR_PLACEHOLDER)}/openapi.stainless.yml`
          : input.stainlessConfigPath,
      };
      const argv = await this.argvFor(
        target,
        { ...input, dryRun: true },
        TEMP_DIR_PLACEHOLDER,
        inputs,
      );
      const hookValues = {
        package: await packageNameFor(target, input),
        repo_root: input.repoRoot,
      };
      lines.push(
        `run \`${formatCommand(argv[0], argv.slice(1))}\``,
        ...planHooks(target.spec, hookValues),
        ...more(target),
      );
    }
    return lines;
  }

  plan(input: GenerateInput): Promise<string[]> {
    return this.#planTargets(input, (target) => {
      const preserve = target.spec.preserve;
      return [
        `replace the tree of ${target.target} main in ${target.clone} with its output, ` +
        "without bytecode and caches" +
        (preserve.length ? ` (keeping ${preserve.join(", ")})` : "") +
        `, plus ${STAMP_PATH} and ${SPEC_COPY_PATH}`,
        ...planReview(input.settings, target),
        planMainMove(target, "that commit"),
      ];
    });
  }

  planTrees(input: GenerateInput<GenerationTarget>): Promise<string[]> {
    return this.#planTargets(input, () => []);
  }

  async generateTrees(
    input: GenerateInput<GenerationTarget>,
    use: (target: GenerationTarget, dir: string) => Promise<void>,
  ): Promise<{ buildId?: string }> {
    const inputs = new LocalInputs(input);
    for (const target of input.targets) {
      await this.#inWorkDir(async (workDir) => {
        const { out } = await this.#generateTree(target, input, inputs, workDir, "vendored copy");
        await use(target, out);
      });
    }
    return {};
  }

  /** Runs `fn` in a new temporary directory, removed afterwards (also on Ctrl-C). */
  async #inWorkDir<T>(fn: (workDir: string) => Promise<T>): Promise<T> {
    // Removed once, whoever asks first: this run when done, or a signal's clean-up meanwhile.
    const temp = await makeTempDir(`codegen-${this.name}-`, this.name);
    try {
      return await fn(temp.path);
    } finally {
      await temp.remove();
    }
  }

  async generate(input: GenerateInput): Promise<GenerateOutput> {
    const results: GenerateOutput["targets"] = {};
    const inputs = new LocalInputs(input);
    for (const target of input.targets) {
      results[target.target] = await this.#generateOne(target, input, inputs);
    }
    return { generator: this.name, targets: results };
  }

  #generateOne(
    target: TargetClone,
    input: GenerateInput,
    inputs: LocalInputs,
  ): Promise<TargetResult> {
    const preserve = target.spec.preserve;
    return this.#inWorkDir(async (workDir) => {
      const { root: out } = await this.#generateTree(target, input, inputs, workDir, "commit");
      if (target.spec.language === "typescript") await checkPackageJsonName(out, target, input);
      input.warnings?.assertNone(`The clone ${target.clone} was not changed.`);
      const message =
        `Generate ${target.target} SDK with ${this.name}\n\nGenerated by codegen generate_code from ${
          input.specPath.replace(`${input.repoRoot}/`, "")
        }.`;
      const created = await commitDirectoryOnMain(target.clone, out, {
        preserve,
        message,
        exclude: junkPathspecs(),
        // Staged after the exclusions, so hygiene never drops them.
        addLast: (tree) => stampFilesFor(target, input, tree, preserve),
      });
      if (!created) {
        log.info(
          `${target.target}: generated code is identical to main in ${target.clone}; nothing to do`,
        );
        const tip = await resolveCommit(target.clone, MAIN_REF);
        if (tip) await input.review?.(target, tip);
        return { clone: target.clone, commit: tip, previous: tip, changed: false };
      }
      await input.review?.(target, created.commit);
      const moved = await moveLocalMain(target.clone, created.commit, {
        reason: `${REFLOG_PREFIX}: ${this.name}`,
        target: target.target,
      });
      log.success(
        `${target.target}: main of ${target.clone} is now ${short(moved.current)} (${this.name})`,
      );
      return targetResult(target.clone, moved);
    });
  }

  /**
   * The tree to commit, in `workDir`: the prepared inputs, the generator run on them (its output
   * warnings reported), the tree root taken, the post_generate hooks run in it. Bytecode and
   * caches are still there (left out when staged); the verbose log lists them.
   */
  async #generateTree(
    target: GenerationTarget,
    input: GenerateInput<GenerationTarget>,
    inputs: LocalInputs,
    workDir: string,
    into: "commit" | "vendored copy",
  ): Promise<{ out: string; root: string }> {
    const template = this.#template(target.target);
    const paths = await inputs.write(readsConfig(template), inputsDir(workDir));
    const argv = await this.argvFor(target, input, workDir, paths);
    const out = await this.#runGenerator(argv, target, workDir, input);
    const root = await this.#treeRoot(target, out);
    await runPostGenerateHooks({
      tree: root,
      target: target.target,
      hooks: target.spec.postGenerate,
      packageName: () => packageNameFor(target, input),
      repoRoot: input.repoRoot,
      settings: input.settings,
      untouched: untouched(target),
    });
    const junk = await findJunk(root);
    if (junk.length) {
      log.verbose(`${target.target}: left out of the ${into}: ${describeJunk(junk, 20)}`);
    }
    return { out, root };
  }

  /**
   * The directory whose files become the tree: {out}, or for a preset whose generator nests its
   * output ("only-directory", stainful generate-ts) the one directory in it.
   */
  async #treeRoot(target: GenerationTarget, out: string): Promise<string> {
    const treeRoot = this.preset.treeRoot?.[target.target] ??
      this.preset.treeRoot?.[languageOf(target.target)];
    if (treeRoot !== "only-directory") return out;
    const entries: Deno.DirEntry[] = [];
    for await (const entry of Deno.readDir(out)) entries.push(entry);
    if (entries.length !== 1 || !entries[0].isDirectory) {
      throw new CodegenError(
        `generator ${this.name} (${target.target}) was expected to write one directory into {out}, ` +
          `found: ${entries.map((e) => e.name).join(", ")}`,
        { hint: `Check the generator's version and output. ${untouched(target)}` },
      );
    }
    return join(out, entries[0].name);
  }

  async #runGenerator(
    argv: string[],
    target: GenerationTarget,
    workDir: string,
    input: GenerateInput<GenerationTarget>,
  ): Promise<string> {
    const out = join(workDir, "out");
    // Generators run helpers found on PATH (openapi-python-client runs ruff): the generator's
    // own environment comes first so the pinned versions are used.
    const path = generatorPath(argv[0]);
    // On a terminal the status line shows the time it has been running, as hosted builds do.
    const stopTicking = log.ticking(`${target.target}: running ${this.name}`);
    const timeoutS = input.settings.get("generator_timeout") ?? 600;
    const result = await run(argv[0], argv.slice(1), {
      cwd: workDir,
      env: { PATH: path },
      timeoutMs: timeoutS * 1000,
      what: `generator ${this.name} (${target.target})`,
      hint: `The generator's output is shown with this error (--json: error.details). ${
        untouched(target)
      }`,
      timeoutHint:
        `It ran longer than generator_timeout (${timeoutS} s): raise --generator-timeout if it needs more time.`,
      onOutput: log.isVerbose ? (text) => log.raw(text) : undefined,
    }).finally(stopTicking);
    log.endStatus();
    for (const warning of outputWarnings(this.name, result.stdout, result.stderr)) {
      input.warnings?.add({ source: this.name, target: target.target, ...warning });
    }
    let entries = 0;
    try {
      for await (const _ of Deno.readDir(out)) entries++;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (entries === 0) {
      throw new CodegenError(
        `generator ${this.name} (${target.target}) exited 0 but wrote nothing to {out}`,
        {
          hint: `Make sure its argv passes {out} as the output directory. ${untouched(target)}`,
        },
      );
    }
    return out;
  }
}

/**
 * What a failure before the commit (or the copy) leaves as it was, for hints: the clone, or the
 * vendored directory (a target to vendor has no clone).
 */
function untouched(target: GenerationTarget): string {
  if ("clone" in target) return `The clone ${target.clone} was not changed.`;
  const dir = (target as { vendorDir?: string }).vendorDir;
  return `Nothing was vendored${dir ? `: ${dir} was not changed` : ""}.`;
}
