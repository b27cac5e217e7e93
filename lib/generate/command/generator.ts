/**
 * The `command` backend: runs a local generator (openapi-python-client, stainful, stlc, or any
 * argv template) in a temporary directory, then makes its output the new tip of local `main`
 * in the SDK clone as a full tree replacement (stale files removed, `preserve` paths kept).
 * A failing generator leaves the clone untouched.
 */
import { join } from "../../core/paths.ts";
import { CodegenError, usageError } from "../../core/errors.ts";
import type {
  CommandPreset,
  GenerateInput,
  GenerateOutput,
  Generator,
  SdkTarget,
  TargetClone,
  TargetResult,
} from "../types.ts";
import { planMainMove, targetResult, TEMP_DIR_PLACEHOLDER } from "../types.ts";
import { expandArgv, packageNameFor, toolDirs } from "./argv.ts";
import { formatCommand, run, which } from "../../os/process.ts";
import { registerCleanup } from "../../core/cleanup.ts";
import { fsError, removeIfExists } from "../../core/fs.ts";
import { log } from "../../core/log.ts";
import {
  commitDirectoryOnMain,
  MAIN_REF,
  moveLocalMain,
  REFLOG_PREFIX,
} from "../../git/main_branch.ts";
import { resolveCommit, short } from "../../git/git.ts";

export class CommandGenerator implements Generator {
  readonly name: string;
  readonly targets: readonly SdkTarget[];
  readonly versionless?: string;

  constructor(readonly preset: CommandPreset) {
    this.name = preset.name;
    this.targets = Object.keys(preset.argv) as SdkTarget[];
    this.versionless = preset.versionless;
  }

  preflight(input: GenerateInput): void {
    for (const { target } of input.targets) {
      if (!this.preset.argv[target]) {
        throw usageError(
          `generator ${this.name} cannot generate the ${target} SDK (it supports: ${
            this.targets.join(", ")
          })`,
          `Choose another generator for ${target}, or describe yours with --generator command --generator-command "...".`,
        );
      }
    }
    const executable = this.#template(this.targets[0])[0];
    if (!input.dryRun && !which(executable, toolDirs())) {
      throw new CodegenError(`generator ${this.name}: \`${executable}\` not found`, {
        hint: this.preset.maturity === "self-hosted"
          ? `Install Stainless' self-hosted generator (stlc) and put it on PATH, or set generator_command to its argv.`
          : `Run \`make setup\` (it installs the pinned generators into .venv), or put ${executable} on PATH.`,
      });
    }
  }

  #template(target: SdkTarget): string[] {
    return this.preset.argv[target] ?? [];
  }

  /**
   * The argv for one target, placeholders filled in. Outside a dry run it also writes the preset's
   * own config file into `workDir` when the argv names one.
   */
  async argvFor(target: TargetClone, input: GenerateInput, workDir: string): Promise<string[]> {
    const packageName = await packageNameFor(target.target, input);
    let generatorConfig = input.settings.get("generator_config") ?? "";
    if (!generatorConfig && this.preset.generatorConfig) {
      const file = this.preset.generatorConfig(packageName);
      generatorConfig = join(workDir, file.name);
      if (!input.dryRun) await Deno.writeTextFile(generatorConfig, file.content);
    }
    const argv = expandArgv(this.#template(target.target), {
      oas: input.specPath,
      config: input.stainlessConfigPath,
      out: join(workDir, "out"),
      package: packageName,
      target: target.target,
      generator_config: generatorConfig,
    });
    const executable = which(argv[0], toolDirs());
    return executable ? [executable, ...argv.slice(1)] : argv;
  }

  async plan(input: GenerateInput): Promise<string[]> {
    const preserve = input.settings.get("preserve") ?? [];
    const lines: string[] = [];
    for (const target of input.targets) {
      // Nothing is created, not even the temporary directory: the argv names a placeholder.
      const argv = await this.argvFor(target, { ...input, dryRun: true }, TEMP_DIR_PLACEHOLDER);
      lines.push(
        `run \`${formatCommand(argv[0], argv.slice(1))}\``,
        `replace the tree of ${target.target} main in ${target.clone} with its output` +
          (preserve.length ? ` (keeping ${preserve.join(", ")})` : ""),
        planMainMove(target, "that commit"),
      );
    }
    return lines;
  }

  async generate(input: GenerateInput): Promise<GenerateOutput> {
    const results: GenerateOutput["targets"] = {};
    for (const target of input.targets) {
      results[target.target] = await this.#generateOne(target, input);
    }
    return { generator: this.name, targets: results };
  }

  async #generateOne(target: TargetClone, input: GenerateInput): Promise<TargetResult> {
    const preserve = input.settings.get("preserve") ?? [];
    const workDir = await Deno.makeTempDir({ prefix: `codegen-${this.name}-` }).catch((error) => {
      const tmp = Deno.env.get("TMPDIR") || "/tmp";
      throw fsError(error, {
        doing: `create a temporary directory for ${this.name}`,
        dir: tmp,
        alternative: "or point TMPDIR at a directory with room",
      });
    });
    // One removal, whoever asks first: this run when done, or a signal's clean-up meanwhile.
    const cleanup = registerCleanup(
      `temporary directory ${workDir}`,
      () => removeIfExists(workDir),
    );
    try {
      const argv = await this.argvFor(target, input, workDir);
      const out = await this.#runGenerator(argv, target, workDir, input);
      const message =
        `Generate ${target.target} SDK with ${this.name}\n\nGenerated by codegen generate_code from ${
          input.specPath.replace(`${input.repoRoot}/`, "")
        }.`;
      const created = await commitDirectoryOnMain(target.clone, out, { preserve, message });
      if (!created) {
        log.info(
          `${target.target}: generated code is identical to main in ${target.clone}; nothing to do`,
        );
        const tip = await resolveCommit(target.clone, MAIN_REF);
        return { clone: target.clone, commit: tip, previous: tip, changed: false };
      }
      const moved = await moveLocalMain(target.clone, created.commit, {
        reason: `${REFLOG_PREFIX}: ${this.name}`,
        target: target.target,
      });
      log.success(
        `${target.target}: main of ${target.clone} is now ${short(moved.current)} (${this.name})`,
      );
      return targetResult(target.clone, moved);
    } finally {
      await cleanup.run();
    }
  }

  async #runGenerator(
    argv: string[],
    target: TargetClone,
    workDir: string,
    input: GenerateInput,
  ): Promise<string> {
    const out = join(workDir, "out");
    const toolDir = argv[0].includes("/") ? argv[0].slice(0, argv[0].lastIndexOf("/")) : undefined;
    // Generators run helpers found on PATH (openapi-python-client runs ruff): the generator's
    // own environment comes first so the pinned versions are used.
    const path = [toolDir, ...toolDirs(), Deno.env.get("PATH") ?? ""].filter(Boolean).join(":");
    // On a terminal the status line shows the time it has been running, as hosted builds do.
    const stopTicking = log.ticking(`${target.target}: running ${this.name}`);
    const timeoutS = input.settings.get("generator_timeout") ?? 600;
    await run(argv[0], argv.slice(1), {
      cwd: workDir,
      env: { PATH: path },
      timeoutMs: timeoutS * 1000,
      what: `generator ${this.name} (${target.target})`,
      hint: `The generator's output is above. The clone ${target.clone} was not changed.`,
      onOutput: log.isVerbose ? (text) => log.raw(text) : undefined,
    }).finally(stopTicking);
    log.endStatus();
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
          hint:
            "Make sure its argv passes {out} as the output directory. The clone was not changed.",
        },
      );
    }
    return out;
  }
}
