/**
 * What every command starts from: the global flags, the trace repository root, and the
 * resolved configuration. The command-line values of configuration keys come from the command's
 * declaration: each option (or argument) that carries a `key` sets that key, and the spelling the
 * user typed is the value's origin in messages.
 */
import { isAbsolute, resolve } from "../core/paths.ts";
import { CodegenError, usageError } from "../core/errors.ts";
import { run } from "../os/process.ts";
import { userCwd } from "../os/user_env.ts";
import { Settings } from "./settings.ts";
import { loadConfigFile } from "./config_file.ts";
import { type ConfigKey, DEFAULT_CONFIG_PATH, type KeyValue } from "./keys.ts";
import { isInteractive, offerToSaveFlags, requireValue } from "./prompt.ts";
import type { PromptSession } from "./first_run.ts";
import { log } from "../core/log.ts";
import type { ArgDef, GlobalOptions, OptionDefs } from "../cli/command.ts";
import { choiceError } from "../cli/parse.ts";

export interface Context {
  /** Directory the user ran the command in (`deno task` and make change the real cwd). */
  cwd: string;
  /** The trace repository: where `tools/codegen/...` is read and written. */
  repoRoot: string;
  settings: Settings;
  globals: GlobalOptions;
  /**
   * The value of a required key: asked for on a terminal, else a usage error that says how this
   * command takes it (its argument or flag), the config key and the variable.
   */
  require<K extends ConfigKey>(key: K): Promise<KeyValue<K>>;
  /**
   * On a first run on a terminal that asked nothing, offers to save the flags in a new config file
   * (prompt.ts offerToSaveFlags). Call it once the required values are known.
   */
  offerToSaveFlags(): Promise<void>;
}

/** The parsed command line, as far as the context needs it (a `RunInput` is one). */
export interface ContextInput {
  command: { options: OptionDefs; args?: readonly ArgDef[] };
  options: Record<string, string | string[] | boolean | undefined>;
  spellings: Record<string, string>;
  args: (string | undefined)[];
  globals: GlobalOptions;
}

export { userCwd };

/** `--repo-root`, else CODEGEN_REPO_ROOT, else the git top-level of `cwd`, else `cwd`. */
export async function resolveRepoRoot(flag: string | undefined, cwd: string): Promise<string> {
  const given = flag ?? Deno.env.get("CODEGEN_REPO_ROOT");
  const source = flag ? "--repo-root" : "CODEGEN_REPO_ROOT";
  if (given) {
    const root = isAbsolute(given) ? given : resolve(cwd, given);
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(root);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      throw usageError(
        `${source}: ${root} does not exist`,
        "Give the path of the trace repository.",
      );
    }
    if (!info.isDirectory) throw usageError(`${source}: ${root} is not a directory`);
    return root;
  }
  let git;
  try {
    git = await run("git", ["rev-parse", "--show-toplevel"], {
      cwd,
      check: false,
      timeoutMs: 10_000,
    });
  } catch (error) {
    // No git at all: the working directory is the trace repository. Anything else is a failure.
    if (error instanceof CodegenError && error.cause instanceof Deno.errors.NotFound) return cwd;
    throw error;
  }
  if (git.timedOut) {
    throw new CodegenError(`git rev-parse --show-toplevel in ${cwd} timed out`, {
      hint: "Pass --repo-root with the trace repository.",
    });
  }
  if (git.code === 0 && git.stdout.trim()) return git.stdout.trim();
  log.debug(`not in a git work tree (${git.stderr.trim()}); repo root is ${cwd}`);
  return cwd;
}

/**
 * Command-line values of configuration keys, and how each was given; for the values of a
 * structured key (`--target python.output=..`, `--vendor-dir DIR`), each one as typed.
 */
export function commandLineValues(input: ContextInput): {
  flags: Partial<Record<ConfigKey, string | string[] | boolean>>;
  origins: Partial<Record<ConfigKey, string>>;
  valueOrigins: Partial<Record<ConfigKey, string[]>>;
} {
  const flags: Partial<Record<ConfigKey, string | string[] | boolean>> = {};
  const origins: Partial<Record<ConfigKey, string>> = {};
  const valueOrigins: Partial<Record<ConfigKey, string[]>> = {};
  for (const [name, option] of Object.entries(input.command.options)) {
    const value = input.options[name];
    if (!option.key || value === undefined) continue;
    const spelling = input.spellings[name] ?? option.flag;
    flags[option.key as ConfigKey] = value;
    origins[option.key as ConfigKey] = spelling;
    if (Array.isArray(value)) {
      valueOrigins[option.key as ConfigKey] = value.map((text) => `${spelling} ${text}`);
    }
  }
  for (const [name, option] of Object.entries(input.command.options)) {
    const value = input.options[name];
    if (!option.field || value === undefined) continue;
    const { key, field } = option.field;
    const spelling = input.spellings[name] ?? option.flag;
    const texts = Array.isArray(value) ? value.map(String) : [String(value)];
    // `--vendor-dir python=DIR` is `--target python.vendor_dir=DIR`; `--vendor-dir DIR`, `*.`.
    const entries = texts.map((text) => {
      const at = /^([A-Za-z_*]+)=(.*)$/s.exec(text);
      return at ? `${at[1]}.${field}=${at[2]}` : `*.${field}=${text}`;
    });
    const given = flags[key as ConfigKey];
    flags[key as ConfigKey] = [...(Array.isArray(given) ? given : []), ...entries];
    origins[key as ConfigKey] ??= spelling;
    valueOrigins[key as ConfigKey] = [
      ...(valueOrigins[key as ConfigKey] ?? []),
      ...texts.map((text) => `${spelling} ${text}`),
    ];
  }
  (input.command.args ?? []).forEach((arg, i) => {
    if (!arg.key || input.args[i] === undefined) return;
    flags[arg.key as ConfigKey] = input.args[i];
    origins[arg.key as ConfigKey] = `the ${arg.name} argument`;
  });
  return { flags, origins, valueOrigins };
}

/** How the command takes `key`, for "missing value" errors: its argument and/or its flag. */
function howToGive(input: ContextInput, key: ConfigKey): string | undefined {
  const arg = input.command.args?.find((a) => a.key === key);
  const option = Object.values(input.command.options).find((o) => o.key === key);
  const ways = [arg && `the ${arg.name} argument`, option?.flag].filter(Boolean);
  return ways.length ? ways.join(" or ") : undefined;
}

/** Keyed options with `choices` (e.g. --generator): checked whatever set them (file, env, flag). */
function checkChoices(input: ContextInput, settings: Settings): void {
  for (const option of Object.values(input.command.options)) {
    if (!option.key || !("choices" in option) || !option.choices) continue;
    const key = option.key as ConfigKey;
    const value = settings.get(key);
    if (typeof value === "string" && !option.choices.includes(value)) {
      throw choiceError(key, value, option.choices, settings.origin(key) ?? option.flag);
    }
  }
}

/** Builds the context from the parsed command line and the declarations of its command. */
export async function createContext(input: ContextInput): Promise<Context> {
  const { globals } = input;
  const cwd = userCwd();
  const repoRoot = await resolveRepoRoot(globals.repoRoot, cwd);
  const configPath = globals.config
    ? (isAbsolute(globals.config) ? globals.config : resolve(cwd, globals.config))
    : resolve(repoRoot, DEFAULT_CONFIG_PATH);
  const configFile = await loadConfigFile(configPath);
  if (globals.config && !configFile.exists) {
    throw usageError(
      `--config: ${configPath} does not exist`,
      "Pass an existing config file, or omit --config.",
    );
  }
  for (const warning of configFile.warnings) log.warn(warning);
  log.debug(
    `repo root ${repoRoot}; config ${configPath}${configFile.exists ? "" : " (not present)"}`,
  );
  const { flags, origins, valueOrigins } = commandLineValues(input);
  const settings = new Settings({
    repoRoot,
    cwd,
    configFile,
    flags,
    flagOrigins: origins,
    flagValueOrigins: valueOrigins,
    interactive: isInteractive(),
  });
  checkChoices(input, settings);
  const session: PromptSession = {
    cwd,
    dryRun: input.options.dryRun === true,
    usesGenerator: Object.values(input.command.options).some((o) => o.key === "generator"),
    flagKeys: Object.keys(flags) as ConfigKey[],
    flagText: Object.fromEntries(
      Object.entries(flags).filter(([, v]) => typeof v === "string"),
    ) as Partial<Record<ConfigKey, string>>,
  };
  return {
    cwd,
    repoRoot,
    settings,
    globals,
    require: (key) => requireValue(settings, key, howToGive(input, key), session),
    offerToSaveFlags: () => offerToSaveFlags(settings, session),
  };
}
