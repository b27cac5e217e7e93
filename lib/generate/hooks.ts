/**
 * `post_generate` hooks: commands a team runs in the generated tree after a local generator and
 * before the commit (a formatter, a patch kept for a generator gap, a vendoring rewrite). Each is
 * an argv (no shell), run through lib/os/process.ts in the tree's directory with the project's
 * Python environment first on PATH, like the generator. A failing hook stops the run with its
 * output; nothing was committed and local main did not move.
 *
 * Placeholders: {package} (the target's package name), {target} (python, node, typescript),
 * {repo_root} (the trace repository, where a team keeps its patches and scripts).
 */
import { CodegenError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { formatCommand, run, which } from "../os/process.ts";
import type { Settings } from "../config/settings.ts";
import { expandArgv, toolDirs } from "./command/argv.ts";
import type { SdkTarget } from "../config/structured_keys.ts";
import type { TargetSpec } from "../config/targets.ts";

export interface HookContext {
  /** The generated tree (what will be committed), the hooks' working directory. */
  tree: string;
  target: SdkTarget;
  /** The target's hooks (its own `post_generate`, else the key's). */
  hooks: string[][];
  /** The target's package name (asked only when there are hooks: it may need the config). */
  packageName: () => Promise<string>;
  repoRoot: string;
  settings: Settings;
}

/** One hook's argv, placeholders filled in and the executable found like a generator's. */
export function hookArgv(
  template: readonly string[],
  values: { package: string; target: string; repo_root: string },
): string[] {
  const argv = expandArgv(template, values);
  const executable = which(argv[0], toolDirs());
  return executable ? [executable, ...argv.slice(1)] : argv;
}

/** What a dry run says for a target's hooks: one phrase each, reading after "would". */
export function planHooks(spec: TargetSpec): string[] {
  return spec.postGenerate.map((hook, i) =>
    `run post_generate hook ${i + 1} \`${
      formatCommand(hook[0], hook.slice(1))
    }\` in the generated ${spec.target} tree`
  );
}

/** Runs every hook in order in the generated tree; the first failure throws with its output. */
export async function runPostGenerateHooks(context: HookContext): Promise<void> {
  const { hooks } = context;
  if (hooks.length === 0) return;
  const packageName = await context.packageName();
  const timeoutS = context.settings.get("generator_timeout") ?? 600;
  const path = [...toolDirs(), Deno.env.get("PATH") ?? ""].filter(Boolean).join(":");
  for (const [i, template] of hooks.entries()) {
    const argv = hookArgv(template, {
      package: packageName,
      target: context.target,
      repo_root: context.repoRoot,
    });
    const shown = formatCommand(template[0], template.slice(1));
    log.status(`${context.target}: post_generate hook ${i + 1}/${hooks.length}: ${shown}`);
    try {
      await run(argv[0], argv.slice(1), {
        cwd: context.tree,
        env: { PATH: path },
        timeoutMs: timeoutS * 1000,
        what: `post_generate hook ${i + 1} (\`${shown}\`, ${context.target})`,
        hint: "Its output is above. Nothing was committed; local main of the clone did not move.",
        timeoutHint:
          `Hooks may run as long as generator_timeout (${timeoutS} s): raise --generator-timeout if it needs more time.`,
        onOutput: log.isVerbose ? (text) => log.raw(text) : undefined,
      });
    } catch (error) {
      if (error instanceof CodegenError && error.cause instanceof Deno.errors.NotFound) {
        throw new CodegenError(`post_generate hook ${i + 1}: \`${argv[0]}\` not found`, {
          kind: "usage",
          hint: "Install it, or fix post_generate (--post-generate). Nothing was committed.",
        });
      }
      throw error;
    } finally {
      log.endStatus();
    }
    log.verbose(`${context.target}: post_generate hook ${i + 1} done: ${shown}`);
  }
}
