/**
 * `generate_code`: every configured SDK (python_output, node_output, typescript_output) generated
 * with the chosen generator, the result left on local `main` of each clone.
 */
import { CodegenError, usageError } from "../core/errors.ts";
import { exists } from "../core/fs.ts";
import type { Settings } from "../config/settings.ts";
import { log } from "../core/log.ts";
import { getGenerator, targetClones } from "./registry.ts";
import type { GenerateInput, GenerateOutput } from "./types.ts";

export interface GenerateCodeOptions {
  settings: Settings;
  repoRoot: string;
  /** Overrides the `generator` setting. */
  generator?: string;
  /** Report what would happen (processes, API calls, ref updates) without changing anything. */
  dryRun?: boolean;
  /** `git init` missing clone directories. */
  init?: boolean;
}

/**
 * Generates every configured SDK (python_output, node_output, typescript_output) with the chosen
 * generator and leaves the result on local `main` of each clone. Entry point for commands.
 */
export async function generateCode(options: GenerateCodeOptions): Promise<GenerateOutput> {
  const { settings } = options;
  const dryRun = options.dryRun ?? false;
  const targets = targetClones(settings);
  if (targets.length === 0) {
    throw usageError(
      "no SDK clone given: generate_code needs at least one of --python-path, --node-path, --typescript-path",
      "Pass --python-path <clone of the Python SDK>, or set `python_output:` in the config file.",
    );
  }
  const name = options.generator ?? settings.get("generator");
  const generator = await getGenerator(name, settings);
  const input: GenerateInput = {
    repoRoot: options.repoRoot,
    specPath: settings.get("openapi_output"),
    stainlessConfigPath: settings.get("stainless_config"),
    targets,
    settings,
    dryRun,
  };
  await generator.preflight(input);
  if (!(await exists(input.specPath))) {
    throw new CodegenError(`OpenAPI spec not found: ${input.specPath}`, {
      hint: "Run `codegen get_openapi_spec` first, or pass --openapi-output with the spec's path.",
    });
  }
  const { ensureClone, lockClones } = await import("../git/main_branch.ts");
  for (const target of targets) {
    target.clone = await ensureClone(target.clone, {
      ...target,
      init: options.init,
      offerInit: true,
      traceRepo: options.repoRoot,
      dryRun,
    });
  }
  log.verbose(
    `generator ${generator.name}; targets ${
      targets.map((t) => `${t.target} -> ${t.clone}`).join(", ")
    }`,
  );
  // One run at a time moves a clone's main (`all` already holds these: the lock is reentrant).
  // A dry run changes nothing and takes no lock; nor can it lock a clone it would create.
  const unlock = dryRun ? undefined : await lockClones(targets.map((t) => t.clone));
  try {
    return await generator.generate(input);
  } finally {
    await unlock?.();
  }
}
