/**
 * SDK generators behind one interface. `stainless` is the hosted service (lib/stainless.ts);
 * every other name is a local generator run as a subprocess from an argv template
 * (lib/command_generator.ts). New backends (and Node/TypeScript presets) register here.
 */
import { dirname, fromFileUrl } from "./paths.ts";
import { CodegenError, messageOf, usageError } from "./errors.ts";
import { exists } from "./fs.ts";
import type { Settings } from "./config.ts";
import { log } from "./log.ts";

export const SDK_TARGETS = ["python", "node", "typescript"] as const;
export type SdkTarget = typeof SDK_TARGETS[number];

/** Stands for a local generator's temporary directory in dry-run output (none is created). */
export const TEMP_DIR_PLACEHOLDER = "<temporary directory>";

/** One SDK to generate: its target language and the local clone that receives the code. */
export interface TargetClone {
  target: SdkTarget;
  clone: string;
  /** Flag or config key that chose the clone path, for messages. */
  source: string;
  /** Config key of the clone path ("python_output"), for messages. */
  key?: string;
}

export interface GenerateInput {
  repoRoot: string;
  specPath: string;
  stainlessConfigPath: string;
  targets: TargetClone[];
  settings: Settings;
  dryRun: boolean;
}

export interface TargetResult {
  clone: string;
  /** New tip of local main (undefined in a dry run or when the target produced nothing). */
  commit?: string;
  previous?: string;
  changed: boolean;
  /** Branch that keeps commits only the old main had. */
  backup?: string;
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

export interface GenerateOutput {
  generator: string;
  buildId?: string;
  targets: Partial<Record<SdkTarget, TargetResult>>;
}

export interface Generator {
  readonly name: string;
  readonly targets: readonly SdkTarget[];
  /** Cheap checks (environment, tools, argv) that must pass before any work starts. */
  preflight(input: GenerateInput): Promise<void> | void;
  generate(input: GenerateInput): Promise<GenerateOutput>;
}

export type Maturity = "hosted" | "mature" | "alpha" | "self-hosted" | "custom";

/** A local generator described by an argv template per target. */
export interface CommandPreset {
  name: string;
  maturity: Maturity;
  summary: string;
  /** Argv templates; placeholders {oas} {config} {out} {package} {target} {generator_config}. */
  argv: Partial<Record<SdkTarget, string[]>>;
  /** Writes the preset's own config file when the user did not give one (`generator_config`). */
  generatorConfig?: (packageName: string) => { name: string; content: string };
}

export const COMMAND_PRESETS: Record<string, CommandPreset> = {
  "openapi-python-client": {
    name: "openapi-python-client",
    maturity: "mature",
    summary:
      "openapi-python-client (pinned in the project's Python environment); ignores openapi.stainless.yml",
    argv: {
      // `--meta setup`: a setuptools project that pip installs offline (no build backend download).
      python: [
        "openapi-python-client",
        "generate",
        "--path",
        "{oas}",
        "--output-path",
        "{out}",
        "--meta",
        "setup",
        "--config",
        "{generator_config}",
      ],
    },
    generatorConfig: (packageName) => ({
      name: "openapi-python-client.json",
      content: JSON.stringify(
        {
          project_name_override: packageName,
          package_name_override: packageName,
          // The trace server streams JSON Lines; unknown content types would drop the endpoint.
          content_type_overrides: { "application/jsonl": "application/octet-stream" },
        },
        null,
        2,
      ),
    }),
  },
  stainful: {
    name: "stainful",
    maturity: "alpha",
    summary: "stainful (alpha): reads openapi.stainless.yml; known gaps, see docs/generators.md",
    argv: {
      python: ["stainful", "generate", "--spec", "{oas}", "--config", "{config}", "--out", "{out}"],
      typescript: [
        "stainful",
        "generate-ts",
        "--spec",
        "{oas}",
        "--config",
        "{config}",
        "--out",
        "{out}",
      ],
    },
  },
  stlc: {
    name: "stlc",
    maturity: "self-hosted",
    summary:
      "Stainless' self-hosted generator, for teams that have it; set generator_command to its argv",
    // Not available publicly: the default follows the `stl` flag names; override it with
    // `generator_command` to match your stlc release.
    argv: Object.fromEntries(
      SDK_TARGETS.map((
        t,
      ) => [t, [
        "stlc",
        "generate",
        "--oas",
        "{oas}",
        "--config",
        "{config}",
        "--target",
        "{target}",
        "--out",
        "{out}",
      ]]),
    ),
  },
};

/** Names accepted by --generator, with a one-line description each. */
export function generatorChoices(): Record<string, string> {
  return {
    stainless:
      "hosted Stainless API (needs STAINLESS_API_KEY and GITHUB_TOKEN; closed to new projects since May 2026)",
    ...Object.fromEntries(Object.values(COMMAND_PRESETS).map((p) => [p.name, p.summary])),
    command: "any local generator: generator_command is its argv template",
  };
}

/** Resolves a generator name to a backend. */
export async function getGenerator(name: string, settings: Settings): Promise<Generator> {
  if (name === "stainless") {
    const { StainlessGenerator } = await import("./stainless.ts");
    return new StainlessGenerator();
  }
  const { CommandGenerator } = await import("./command_generator.ts");
  const custom = settings.get<string[]>("generator_command");
  if (name === "command") {
    if (!custom) {
      throw usageError(
        "--generator command needs generator_command (the generator's argv template)",
        'Pass --generator-command "my-gen --spec {oas} --out {out}" or set `generator_command:` in the config file.',
      );
    }
    return new CommandGenerator({
      name: "command",
      maturity: "custom",
      summary: "custom command",
      argv: Object.fromEntries(SDK_TARGETS.map((t) => [t, custom])),
    });
  }
  const preset = COMMAND_PRESETS[name];
  if (!preset) {
    const choices = Object.keys(generatorChoices());
    throw usageError(`unknown generator \`${name}\``, `Choose one of: ${choices.join(", ")}.`);
  }
  if (!custom) return new CommandGenerator(preset);
  // A preset with the user's argv (e.g. stlc's real flags): same name, same targets.
  return new CommandGenerator({
    ...preset,
    argv: Object.fromEntries(Object.keys(preset.argv).map((t) => [t, custom])),
  });
}

/** Replaces `{name}` placeholders in every argument; unknown placeholders are an error. */
export function expandArgv(template: readonly string[], values: Record<string, string>): string[] {
  return template.map((arg) =>
    arg.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
      if (name in values) return values[name];
      throw usageError(
        `generator argv: unknown placeholder ${whole} in "${arg}"`,
        `Known placeholders: ${Object.keys(values).map((k) => `{${k}}`).join(" ")}.`,
      );
    })
  );
}

/** The package name of a target: config `package_name` (Python), else the Stainless config. */
export async function packageNameFor(target: SdkTarget, input: GenerateInput): Promise<string> {
  const configured = target === "python" ? input.settings.get<string>("package_name") : undefined;
  if (configured) return configured;
  let unreadable: string | undefined;
  try {
    const { parse: parseYaml } = await import("yaml"); // loaded on demand: start-up time counts
    const parsed = parseYaml(await Deno.readTextFile(input.stainlessConfigPath)) as {
      targets?: Record<string, { package_name?: string }>;
    };
    const name = parsed?.targets?.[target]?.package_name;
    if (name) return name;
  } catch (error) {
    // Unreadable config: the error below says how to set the name, and shows why.
    unreadable = messageOf(error);
  }
  throw usageError(
    `cannot tell the ${target} package name`,
    `Set \`package_name\` (--package-name) or targets.${target}.package_name in ${input.stainlessConfigPath}.`,
    unreadable && `reading ${input.stainlessConfigPath}: ${unreadable}`,
  );
}

/** Directories searched first for generator executables: the project's Python environment. */
export function toolDirs(): string[] {
  const dirs: string[] = [];
  const python = Deno.env.get("CODEGEN_PYTHON");
  if (python?.includes("/")) dirs.push(dirname(python));
  const projectVenv = new URL("../.venv/bin", import.meta.url);
  if (projectVenv.protocol === "file:") dirs.push(fromFileUrl(projectVenv));
  return dirs;
}

const OUTPUT_KEYS = {
  python: "python_output",
  node: "node_output",
  typescript: "typescript_output",
} as const;

/** The SDK clones to generate, from python_output / node_output / typescript_output. */
export function targetClones(settings: Settings): TargetClone[] {
  return SDK_TARGETS.flatMap((target) => {
    const key = OUTPUT_KEYS[target];
    const clone = settings.get<string>(key);
    return clone ? [{ target, clone, key, source: settings.origin(key) ?? key }] : [];
  });
}

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
  const name = options.generator ?? settings.get<string>("generator") ?? "stainless";
  const generator = await getGenerator(name, settings);
  const input: GenerateInput = {
    repoRoot: options.repoRoot,
    specPath: settings.get<string>("openapi_output") ??
      `${options.repoRoot}/tools/codegen/openapi.json`,
    stainlessConfigPath: settings.get<string>("stainless_config") ??
      `${options.repoRoot}/tools/codegen/openapi.stainless.yml`,
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
  const { ensureClone, lockClones } = await import("./local_main.ts");
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
