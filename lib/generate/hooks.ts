/**
 * `post_generate` hooks: commands a team runs in the generated tree after a local generator and
 * before the commit (a formatter, a patch kept for a generator gap, a vendoring rewrite). Each is
 * an argv (no shell), run through lib/os/process.ts in the tree's directory with the project's
 * Python environment first on PATH, like the generator. A failing hook stops the run with its
 * output (stdout and stderr as they were written; Python unbuffered); nothing was committed (or
 * vendored) yet.
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
  /** What a failure leaves as it was, for its hint ("Local main of ../sdk did not move."). */
  untouched: string;
}

/** One hook's argv, placeholders filled in and the executable found like a generator's. */
export function hookArgv(template: readonly string[], values: HookValues): string[] {
  const argv = expandArgv(template, values);
  const executable = which(argv[0], toolDirs());
  return executable ? [executable, ...argv.slice(1)] : argv;
}

/** A hook as shown: placeholders filled in, the executable as written. */
function shownHook(template: readonly string[], values: HookValues): string {
  const argv = expandArgv(template, values);
  return formatCommand(argv[0], argv.slice(1));
}

type HookValues = { package: string; target: string; repo_root: string };

/**
 * What a dry run says for a target's hooks: one phrase each, reading after "would", with the
 * placeholders filled in as the run would.
 */
export function planHooks(spec: TargetSpec, values: Omit<HookValues, "target">): string[] {
  return spec.postGenerate.map((hook, i) =>
    `run post_generate hook ${i + 1} \`${
      shownHook(hook, { ...values, target: spec.target })
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
  const values = { package: packageName, target: context.target, repo_root: context.repoRoot };
  for (const [i, template] of hooks.entries()) {
    const argv = hookArgv(template, values);
    const shown = shownHook(template, values);
    log.status(`${context.target}: post_generate hook ${i + 1}/${hooks.length}: ${shown}`);
    try {
      await run(argv[0], argv.slice(1), {
        cwd: context.tree,
        // Unbuffered, a Python hook's stdout and stderr keep their order in the failure output.
        env: { PATH: path, PYTHONUNBUFFERED: "1" },
        timeoutMs: timeoutS * 1000,
        what: `post_generate hook ${i + 1} (\`${shown}\`, ${context.target})`,
        hint: `Its output is shown with this error (--json: error.details). ${context.untouched}`,
        timeoutHint:
          `Hooks may run as long as generator_timeout (${timeoutS} s): raise --generator-timeout if it needs more time.`,
        onOutput: log.isVerbose ? (text) => log.raw(text) : undefined,
      });
    } catch (error) {
      if (error instanceof CodegenError && error.cause instanceof Deno.errors.NotFound) {
        throw new CodegenError(`post_generate hook ${i + 1}: \`${argv[0]}\` not found`, {
          kind: "usage",
          hint: `Install it, or fix post_generate (--post-generate). ${context.untouched}`,
        });
      }
      throw error;
    } finally {
      log.endStatus();
    }
    log.verbose(`${context.target}: post_generate hook ${i + 1} done: ${shown}`);
  }
}
