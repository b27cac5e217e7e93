/**
 * The first run on a terminal: the values a command needs and nobody gave are asked for, checked
 * as they are typed, and (unless it is a dry run) saved, so that the next plain run does what this
 * one did.
 *
 * - An answer that is a path is relative to where the user is, checked at the prompt (it exists;
 *   an SDK clone is a git repository of its own, not the trace repository), and saved relative to
 *   the repository root (where the file's paths resolve), so it still points there.
 * - Defaults offered: what the template or the Stainless config already say (`package_name`,
 *   `targets.python.package_name`). Once the file is created from the template, the template's
 *   values are in effect: nothing it gives is asked for again.
 * - A command that generates asks for the generator on the first run (hosted Stainless only when
 *   its keys are set) and saves it; the file created also keeps the values given as flags.
 * - The file is written with today's key names (`repo_path` becomes `python_output`).
 */
import {
  CONFIG_KEYS,
  type ConfigKey,
  DEFAULT_LOCAL_GENERATOR,
  type KeySpec,
  LEGACY_KEYS,
  TRACE_TEMPLATE_PATH,
} from "./keys.ts";
import type { Settings } from "./settings.ts";
import { isPlaceholder, loadConfigFile } from "./config_file.ts";
import type { StructuredValue } from "./structured.ts";
import { exists, fsError, writeFileAtomic } from "../core/fs.ts";
import { log } from "../core/log.ts";
import { dirname, isAbsolute, join, relative, resolve } from "../core/paths.ts";
import { gitCommonDir, workTreeAt } from "../git/git.ts";
import builtInTemplate from "../../config.template.yaml" with { type: "text" };

/** What the prompts of one run share. */
export interface PromptSession {
  /** Where the user is: relative answers resolve here. */
  cwd: string;
  /** The command writes nothing (--dry-run): answers are used, never saved. */
  dryRun: boolean;
  /** The command runs a generator (it takes --generator): the first run asks which. */
  usesGenerator: boolean;
  /** Config keys given as flags on this run, saved too when the config file is created. */
  flagKeys: ConfigKey[];
  /** Raw command-line text of argv keys (saved as typed). */
  flagText: Partial<Record<ConfigKey, string>>;
  /** The user said no to saving: not offered again in this run. */
  declined?: boolean;
}

/** SDK clones: a git repository of their own (codegen moves their main). */
const CLONE_KEYS: readonly ConfigKey[] = ["python_output", "node_output", "typescript_output"];
/** A Python distribution name (PEP 508 identifier), as lib/pin/pep503.ts checks it too. */
const PACKAGE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

async function prompts() {
  // Only on a terminal: a prompt library no other path needs.
  const [inquirer, process] = await Promise.all([
    import("@inquirer/prompts"),
    import("node:process"),
  ]);
  return { ...inquirer, context: { output: process.default.stderr } };
}

/** The template for a new config file: the trace repo's own, else the built-in one. */
export async function configTemplate(repoRoot: string): Promise<{ text: string; origin: string }> {
  const tracePath = join(repoRoot, TRACE_TEMPLATE_PATH);
  if (await exists(tracePath)) {
    return { text: await Deno.readTextFile(tracePath), origin: tracePath };
  }
  return { text: builtInTemplate, origin: "built-in config.template.yaml" };
}

/** A value the template (not a placeholder) or the Stainless config gives for `key`. */
async function offeredDefault(settings: Settings, key: ConfigKey): Promise<string | undefined> {
  const { parse } = await import("../core/yaml.ts");
  const read = async (path: string) => {
    try {
      return parse(await Deno.readTextFile(path)) as Record<string, unknown> | null;
    } catch (error) {
      // No template or Stainless config, or one that is not YAML: then it offers nothing (the
      // run reports a broken Stainless config where it reads it for real).
      const notYaml = error instanceof Error && error.name.startsWith("YAML");
      if (error instanceof Deno.errors.NotFound || notYaml) return undefined;
      throw error;
    }
  };
  const template = await read(join(settings.repoRoot, TRACE_TEMPLATE_PATH));
  const names = [key, ...Object.keys(LEGACY_KEYS).filter((old) => LEGACY_KEYS[old] === key)];
  for (const name of names) {
    const value = template?.[name];
    if (typeof value === "string" && value.trim() && !isPlaceholder(value)) return value;
  }
  if (key === "package_name") {
    const stainless = await read(settings.get("stainless_config"));
    const targets = stainless?.targets as Record<string, { package_name?: unknown }> | undefined;
    const name = targets?.python?.package_name;
    if (typeof name === "string" && PACKAGE_NAME.test(name)) return name;
  }
  return undefined;
}

/** Why `answer` cannot be the value of `key` (checked at the prompt), or true. */
async function checkAnswer(
  settings: Settings,
  session: PromptSession,
  key: ConfigKey,
  answer: string,
): Promise<string | true> {
  const text = answer.trim();
  if (!text) return "a value is required";
  if (key === "package_name" && !PACKAGE_NAME.test(text)) {
    return "not a valid Python package name (letters, digits, `.`, `_`, `-`)";
  }
  if (CONFIG_KEYS[key].type !== "path") return true;
  const path = resolve(session.cwd, text);
  const shown = isAbsolute(text) ? path : `${path} (relative to ${session.cwd})`;
  const tree = await workTreeAt(path);
  if (tree.kind === "missing") return `${shown} does not exist`;
  if (!CLONE_KEYS.includes(key)) return true;
  switch (tree.kind) {
    case "not a directory":
      return `${shown} is not a directory`;
    case "not a work tree":
      return `${shown} is not a git repository (clone the SDK repository there first)`;
    case "nested":
      return `${shown} is inside the git repository ${tree.root}, not a repository of its own`;
    case "top level": {
      const [clone, trace] = await Promise.all([
        gitCommonDir(path),
        gitCommonDir(settings.repoRoot),
      ]);
      return clone && clone === trace
        ? `${shown} is the trace repository itself; give the clone of the SDK repository`
        : true;
    }
  }
}

/** Asks for `key` (with the default the template or Stainless config gives); sets it. */
export async function askValue(
  settings: Settings,
  session: PromptSession,
  key: ConfigKey,
): Promise<void> {
  const { input, context } = await prompts();
  log.endStatus();
  const offered = await offeredDefault(settings, key);
  const answer = await input(
    {
      message: `${CONFIG_KEYS[key].description} (${key}):`,
      default: offered,
      required: true,
      validate: (value: string) => checkAnswer(settings, session, key, value),
    },
    context,
  );
  // A path answered at the prompt is relative to where the user is.
  settings.set(key, answer.trim(), "prompt", session.cwd);
}

/** Asks which generator to use (hosted Stainless only when its keys are set); sets it. */
export async function askGenerator(settings: Settings): Promise<void> {
  const { select, context } = await prompts();
  const env = Deno.env.toObject();
  const hosted = ["STAINLESS_API_KEY", "GITHUB_TOKEN"].every((name) => env[name]?.trim());
  const choices = [
    ...(hosted
      ? [{
        value: "stainless",
        name: "stainless: the hosted Stainless API (closed to new projects)",
      }]
      : []),
    {
      value: DEFAULT_LOCAL_GENERATOR,
      name: `${DEFAULT_LOCAL_GENERATOR}: local, mature (ignores openapi.stainless.yml)`,
    },
    { value: "stainful", name: "stainful: local, alpha (reads openapi.stainless.yml)" },
  ];
  const current = settings.get("generator");
  const generator = await select(
    {
      message: `SDK generator (generator)${
        hosted ? "" : "; hosted Stainless needs STAINLESS_API_KEY and GITHUB_TOKEN"
      }:`,
      choices,
      default: choices.some((c) => c.value === current) ? current : DEFAULT_LOCAL_GENERATOR,
    },
    context,
  );
  settings.set("generator", generator, "prompt");
}

/** The value of `key` as it is saved: paths relative to the repository root, argv as typed. */
function savedValue(settings: Settings, session: PromptSession, key: ConfigKey): unknown {
  const value = settings.get(key);
  const spec: KeySpec = CONFIG_KEYS[key];
  if (spec.type === "path" && typeof value === "string") return relativePath(settings, value);
  if (spec.structured) {
    // The entries' fields as they are written in the file (paths relative to the repository).
    const fields = spec.structured.fields;
    return Object.fromEntries(
      Object.entries(value as StructuredValue).map(([name, entry]) => [
        name,
        Object.fromEntries(
          Object.entries(entry).map(([field, { value }]) => [
            field,
            fields[field]?.type === "path" && typeof value === "string"
              ? relativePath(settings, value)
              : value,
          ]),
        ),
      ]),
    );
  }
  return spec.type === "argv" ? session.flagText[key] ?? value : value;
}

function relativePath(settings: Settings, path: string): string {
  const rel = relative(settings.repoRoot, path);
  return rel === "" ? "." : rel;
}

/**
 * Offers to save the answers `keys` (and, when the file is created, the flags of this run; with
 * no answers, the flags alone). Never in a dry run, and not again after a no.
 */
export async function offerToSave(
  settings: Settings,
  session: PromptSession,
  keys: ConfigKey[],
): Promise<void> {
  const path = settings.configPath;
  if (session.dryRun) {
    if (keys.length) {
      log.info(`dry run: ${keys.join(", ")} not saved in ${path} (nothing is written)`);
    }
    return;
  }
  if (session.declined) return;
  const { confirm, context } = await prompts();
  const creating = !(await exists(path));
  const flags = creating ? session.flagKeys.filter((k) => !keys.includes(k)) : [];
  if (keys.length + flags.length === 0) return;
  const { origin } = creating ? await configTemplate(settings.repoRoot) : { origin: path };
  const given = keys.length
    ? `${keys.join(", ")}${flags.length ? `, and the flags of this run (${flags.join(", ")})` : ""}`
    : `the values given as flags (${flags.join(", ")}), so that a plain run does the same`;
  log.endStatus();
  const save = await confirm(
    {
      message: creating
        ? `Create ${path} from ${origin} with ${given}?`
        : `Save ${keys.join(", ")} in ${path}?`,
      default: true,
    },
    context,
  );
  if (!save) {
    session.declined = true;
    return;
  }
  const all = [...keys, ...flags];
  await writeConfig(
    settings,
    Object.fromEntries(all.map((k) => [k, savedValue(settings, session, k)])),
  );
  settings.configWritten = path;
  log.info(`wrote ${all.join(", ")} to ${path}${creating ? ` (from ${origin})` : ""}`);
  // The values the new file holds (the template's) are in effect from now on: not asked again.
  if (creating) settings.adoptConfigFile(await loadConfigFile(path));
}

/**
 * Writes `values` into the config file (created from the template when missing), with today's
 * key names: a legacy key (`repo_path`) is renamed in place, keeping its comments.
 */
async function writeConfig(settings: Settings, values: Record<string, unknown>): Promise<void> {
  const path = settings.configPath;
  const creating = !(await exists(path));
  const { text } = creating
    ? await configTemplate(settings.repoRoot)
    : { text: await Deno.readTextFile(path) };
  const { Document, isMap, isScalar, parseDocument } = await import("../core/yaml.ts");
  const parsed = parseDocument(text);
  const doc = isMap(parsed.contents) ? parsed : new Document({});
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (isScalar(pair.key) && String(pair.key.value) in LEGACY_KEYS) {
        const now = LEGACY_KEYS[String(pair.key.value)];
        if (!doc.has(now)) pair.key.value = now;
      }
    }
  }
  for (const [key, value] of Object.entries(values)) doc.set(key, value);
  // A new config file may be the first thing under tools/codegen/.
  if (creating) {
    await Deno.mkdir(dirname(path), { recursive: true }).catch((error) => {
      throw fsError(error, { doing: `create ${dirname(path)}`, dir: dirname(dirname(path)) });
    });
  }
  await writeFileAtomic(path, doc.toString(), { what: "config file" });
}
