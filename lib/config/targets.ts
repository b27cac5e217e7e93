/**
 * The SDK targets of a run, resolved from the settings: the `targets` map (structured_keys.ts)
 * with the shorthands folded in, every field checked and every default filled in.
 *
 * Shorthands: `python_output`, `node_output` and `typescript_output` set `targets.<t>.output`
 * (and make the target exist); `package_name` sets `targets.python.package_name` of a Python
 * target that exists. When a shorthand and the map both set a field, the value from the higher
 * source wins (flag > environment > config file, whichever of the two spellings it used); the
 * same field set at the same level to two different values is a configuration error naming both.
 *
 * Defaults: `generator` (and, for a target using that generator, `generator_command` and
 * `generator_config`), `github_repo`, `preserve` and `post_generate` come from the top-level keys
 * unless the target sets its own. `pin` is `pyproject` for Python, `package_json` for TypeScript
 * when `package_json` is given, and `none` for a vendored target or a TypeScript target without
 * a package.json.
 */
import { usageError } from "../core/errors.ts";
import type { Context } from "./context.ts";
import type { ConfigKey } from "./keys.ts";
import type { GivenValue, Settings } from "./settings.ts";
import type { FieldValue, StructuredValue } from "./structured.ts";
import {
  type Language,
  languageOf,
  type PinKind,
  SDK_TARGETS,
  type SdkTarget,
} from "./structured_keys.ts";

export type TargetField =
  | "output"
  | "package_name"
  | "generator"
  | "generator_command"
  | "generator_config"
  | "pin"
  | "package_json"
  | "vendor_dir"
  | "import_path"
  | "github_repo"
  | "preserve"
  | "post_generate";

/** One SDK target, resolved. */
export interface TargetSpec {
  target: SdkTarget;
  language: Language;
  /** The SDK clone (absolute); undefined when not given (and never needed by a vendored target). */
  output?: string;
  /** The config key that names the clone, for messages: python_output, targets.typescript.output. */
  outputKey: string;
  packageName?: string;
  generator: string;
  generatorCommand?: string[];
  generatorConfig?: string;
  pin: PinKind;
  /** The trace repository's package.json that pins a TypeScript SDK (absolute). */
  packageJson?: string;
  /** Where the package is vendored: relative to the trace repository's top (checked later). */
  vendorDir?: string;
  /** A vendored Python package's import path, when not the vendor directory's (checked later). */
  importPath?: string;
  githubRepo?: string;
  preserve: string[];
  postGenerate: string[][];
  /** Where each field set for this target came from ("--python-output", "<file>:12"). */
  origins: Partial<Record<TargetField, string>>;
  /**
   * Settings left unused, for a warning: `generator_command` / `generator_config` values that
   * belong to another generator (see `belongsTo`), a clone of a vendored target
   * (outputOfVendored).
   */
  unused?: string[];
}

/** A shorthand key: the target field it sets. */
const SHORTHANDS: { key: ConfigKey; target: SdkTarget; field: TargetField }[] = [
  { key: "python_output", target: "python", field: "output" },
  { key: "node_output", target: "node", field: "output" },
  { key: "typescript_output", target: "typescript", field: "output" },
];

const RANK = { flag: 3, env: 2, config: 1, default: 0 } as const;

/** A field's value; `key`: the shorthand that set it. */
type Fields = Partial<Record<TargetField, FieldValue & { key?: ConfigKey }>>;

/** The map's fields and the shorthands' values, per target (see the module comment). */
function collect(settings: Settings, ensure: readonly SdkTarget[]): Map<string, Fields> {
  const map = (settings.get("targets") ?? {}) as StructuredValue;
  const targets = new Map<string, Fields>(
    Object.entries(map).map(([name, fields]) => [name, { ...fields } as Fields]),
  );
  const shorthand = (key: ConfigKey, target: string, field: TargetField, create: boolean) => {
    const value = settings.get(key);
    if (value === undefined) return;
    if (!create && !targets.has(target)) return;
    const fields = targets.get(target) ?? {};
    targets.set(target, fields);
    const given = {
      key,
      value,
      origin: settings.origin(key) ?? key,
      source: settings.source(key) ?? "config",
    };
    const mapped = fields[field];
    if (!mapped || RANK[given.source] > RANK[mapped.source]) {
      fields[field] = given;
    } else if (
      RANK[given.source] === RANK[mapped.source] &&
      JSON.stringify(given.value) !== JSON.stringify(mapped.value)
    ) {
      throw usageError(
        `${key} (${given.origin}) and targets.${target}.${field} (${mapped.origin}) give ` +
          `${target} two different ${field}s: ${JSON.stringify(given.value)} and ${
            JSON.stringify(mapped.value)
          }`,
        `Keep one of them (the shorthand ${key} is targets.${target}.${field}).`,
      );
    }
  };
  for (const { key, target, field } of SHORTHANDS) shorthand(key, target, field, true);
  for (const target of ensure) if (!targets.has(target)) targets.set(target, {});
  shorthand("package_name", "python", "package_name", false);
  return targets;
}

/** `--vendor-dir DIR` without a target (`*`): the one configured target gets it. */
function placeWildcard(targets: Map<string, Fields>): void {
  const wildcard = targets.get("*");
  if (!wildcard) return;
  targets.delete("*");
  const names = [...targets.keys()];
  if (names.length > 1) {
    const origin = Object.values(wildcard)[0]?.origin ?? "--vendor-dir";
    const [field, given] = Object.entries(wildcard)[0] ?? ["vendor_dir", undefined];
    // Said the way it was typed: `--vendor-dir DIR`, or `--target *.vendor_dir=DIR`.
    const flag = origin.split(" ")[0];
    const form = (target: string, dir: unknown) =>
      flag === "--target" ? `--target ${target}.${field}=${dir}` : `${flag} ${target}=${dir}`;
    throw usageError(
      `${origin}: ${names.length} targets are configured (${names.join(", ")}): write ` +
        form("TARGET", "DIR"),
      `e.g. ${form(names[0], given?.value ?? "DIR")}.`,
    );
  }
  const name = names[0] ?? "python";
  targets.set(name, { ...targets.get(name), ...wildcard });
}

function value<T>(fields: Fields, field: TargetField): T | undefined {
  return fields[field]?.value as T | undefined;
}

/**
 * A target with both a clone (`output`) and `vendor_dir`: the clone would be left unused (a
 * vendored target has no clone), its pin stale and unchecked. A usage error when the clone is a
 * flag, or is in the target's own fields (`targets.<t>.output`) with vendor_dir at the same or a
 * lower source: nobody writes both on purpose. A warning (for TargetSpec.unused) when it comes
 * from a shorthand (`python_output`, file or environment: the Weave template, and so every
 * first-run config file, sets it, and a team moving to vendoring keeps it), or when vendor_dir
 * comes from a higher source (this run's `--vendor-dir` over the config file's clone).
 */
function outputOfVendored(target: SdkTarget, fields: Fields): string | undefined {
  const { output, vendor_dir: vendorDir } = fields;
  if (!vendorDir || !output) return undefined;
  if (output.source === "flag") {
    throw usageError(
      `${output.origin}: the ${target} target has no SDK clone to point at: it is vendored ` +
        `(targets.${target}.vendor_dir, from ${vendorDir.origin})`,
      `Drop ${output.origin}, or remove vendor_dir from the ${target} target to generate into ` +
        "that clone instead.",
    );
  }
  const key = output.key ?? `targets.${target}.output`;
  const overridden = RANK[vendorDir.source] > RANK[output.source];
  if (!output.key && !overridden) {
    throw usageError(
      `${output.origin}: targets.${target}.output and targets.${target}.vendor_dir ` +
        `(${vendorDir.origin}) are both set: a vendored target has no SDK clone, so the clone ` +
        "would be left unused and its pin stale",
      `Remove one of them: output to vendor the ${target} SDK into the trace repository, or ` +
        "vendor_dir to generate into the clone and pin it.",
    );
  }
  return `${key} (${output.origin}) is not used: the ${target} target is vendored ` +
    `(targets.${target}.vendor_dir, from ${vendorDir.origin}), so that clone is not generated ` +
    "into, and its pin is neither updated nor checked by `codegen check`; remove " +
    `${key} while the target is vendored, or vendor_dir to use the clone`;
}

/** The pin of a target, checked against its language and vendoring (module comment). */
function pinOf(target: SdkTarget, fields: Fields): PinKind {
  const language = languageOf(target);
  const given = value<PinKind>(fields, "pin");
  const where = (field: TargetField) => `${fields[field]?.origin}: targets.${target}.${field}`;
  if (fields.package_json && language !== "typescript") {
    throw usageError(
      `${where("package_json")}: a package.json pins a TypeScript SDK, not the ${target} one`,
      "Pin a Python SDK in pyproject.toml (pin: pyproject, the default).",
    );
  }
  if (fields.vendor_dir) {
    if (given !== undefined && given !== "none") {
      throw usageError(
        `${where("pin")} is ${given}, but the target is vendored (${where("vendor_dir")})`,
        "A vendored copy is not pinned: drop `pin:` (or vendor_dir to push and pin instead).",
      );
    }
    return "none";
  }
  const pin = given ??
    (language === "python" ? "pyproject" : fields.package_json ? "package_json" : "none");
  if (pin === "pyproject" && language !== "python") {
    throw usageError(
      `${where("pin")}: pyproject pins the Python SDK; the ${target} target is TypeScript`,
      "Use pin: package_json with package_json: <path of the trace repository's package.json>.",
    );
  }
  if (pin === "package_json" && language !== "typescript") {
    throw usageError(`${where("pin")}: package_json pins a TypeScript SDK, not the ${target} one`);
  }
  if (pin === "package_json" && !fields.package_json) {
    throw usageError(
      `${where("pin")} is package_json, but targets.${target}.package_json is not set`,
      "Set package_json: to the trace repository's package.json that depends on the SDK.",
    );
  }
  return pin;
}

/** `import_path`: only for a vendored Python target, whose package it names. */
function importPathOf(target: SdkTarget, fields: Fields): string | undefined {
  const given = value<string>(fields, "import_path");
  if (given === undefined) return undefined;
  const where = `${fields.import_path?.origin}: targets.${target}.import_path`;
  if (languageOf(target) !== "python") {
    throw usageError(`${where}: a ${target} package has no Python import path`, "Drop it.");
  }
  if (!fields.vendor_dir) {
    throw usageError(
      `${where} is for a vendored package, and the ${target} target has no vendor_dir`,
      "Set targets.python.vendor_dir (--vendor-dir), or drop import_path.",
    );
  }
  return given;
}

/**
 * The configured targets, in the order python, node, typescript (none when nothing configures
 * one; see requireTargets for the implied Python target).
 */
export function resolveTargets(
  settings: Settings,
  ensure: readonly SdkTarget[] = [],
): TargetSpec[] {
  const targets = collect(settings, ensure);
  placeWildcard(targets);
  if (targets.has("node") && targets.has("typescript")) {
    const origin = (name: string) => Object.values(targets.get(name)!)[0]?.origin ?? name;
    throw usageError(
      `node (${origin("node")}) and typescript (${
        origin("typescript")
      }) are the same TypeScript target`,
      "Configure one of them: node is the older name of typescript.",
    );
  }
  const topGenerator = settings.get("generator") ?? "stainless";
  return SDK_TARGETS.filter((t) => targets.has(t)).map((target) => {
    const fields = targets.get(target)!;
    const outputNote = outputOfVendored(target, fields);
    const own = fields.generator !== undefined;
    const inherited = <T>(field: TargetField, key: ConfigKey, applies = true) =>
      value<T>(fields, field) ?? (applies ? settings.get(key) as T | undefined : undefined);
    const origins = Object.fromEntries(
      Object.entries(fields).map(([field, v]) => [field, v!.origin]),
    ) as TargetSpec["origins"];
    const generator = value<string>(fields, "generator") ?? topGenerator;
    // Where the generator was chosen, at each level; then whether each of the generator's own
    // settings (from the target, else the top-level key) belongs to it.
    const generators = own ? givenField(fields.generator!) : settings.given("generator");
    const unused: string[] = outputNote ? [outputNote] : [];
    const ownSetting = <T>(field: "generator_command" | "generator_config"): T | undefined => {
      const given = fields[field]
        ? givenField(fields[field]!)[0]
        : own
        ? undefined
        : settings.given(field)[0];
      if (!given) return undefined;
      const chosen = belongsTo(given, generators, generator);
      if (chosen) {
        const by = own ? fields.generator!.origin : settings.origin("generator");
        unused.push(
          `${field} (${given.origin}) is not used: it goes with generator ${chosen.value} ` +
            `(${chosen.origin}), and ${generator} was chosen by ${by}; ${generator} runs as it ` +
            "would without it",
        );
        return undefined;
      }
      return inherited<T>(field, field, !own);
    };
    return {
      target,
      language: languageOf(target),
      output: value<string>(fields, "output"),
      outputKey: fields.output?.key ?? `targets.${target}.output`,
      packageName: value<string>(fields, "package_name"),
      generator,
      generatorCommand: ownSetting<string[]>("generator_command"),
      generatorConfig: ownSetting<string>("generator_config"),
      pin: pinOf(target, fields),
      packageJson: value<string>(fields, "package_json"),
      vendorDir: value<string>(fields, "vendor_dir"),
      importPath: importPathOf(target, fields),
      githubRepo: inherited<string>("github_repo", "github_repo"),
      preserve: inherited<string[]>("preserve", "preserve") ?? [],
      postGenerate: inherited<string[][]>("post_generate", "post_generate") ?? [],
      origins,
      ...(unused.length ? { unused } : {}),
    };
  });
}

/** A field's values, highest source first. */
function givenField(field: FieldValue): GivenValue[] {
  return [
    { value: field.value, source: field.source, origin: field.origin },
    ...field.shadowed ?? [],
  ];
}

/**
 * `generator_command` and `generator_config` belong to the generator chosen beside them: the one
 * chosen at their own level or below (flag > environment > config file). They are used unless
 * that generator is not the one the run uses; with no generator chosen there, they go with
 * whichever runs; the `command` generator always uses them (the command is its argv). Returns
 * the choice they go with when they are not used.
 */
function belongsTo(
  setting: GivenValue,
  generators: readonly GivenValue[],
  generator: string,
): GivenValue | undefined {
  if (generator === "command") return undefined;
  const chosen = generators.find((g) => RANK[g.source] <= RANK[setting.source]);
  return chosen && chosen.value !== generator ? chosen : undefined;
}

/** One target's spec, as configured, or from the top-level keys alone when it is not. */
export function specOf(settings: Settings, target: SdkTarget): TargetSpec {
  return resolveTargets(settings, [target]).find((spec) => spec.target === target)!;
}

/** Where a target's field came from, or the top-level key it defaults to. */
export function originOf(spec: TargetSpec, field: TargetField, settings: Settings): string {
  const own = spec.origins[field];
  if (own) return own;
  const key = field as ConfigKey;
  return settings.origin(key) ?? key;
}

/** The targets with a clone (not vendored), and the vendored ones. */
export function splitTargets(specs: readonly TargetSpec[]): {
  clones: TargetSpec[];
  vendored: TargetSpec[];
} {
  return {
    clones: specs.filter((s) => !s.vendorDir),
    vendored: specs.filter((s) => s.vendorDir),
  };
}

/**
 * The targets of a run, with the values a command cannot do without asked for (on a terminal)
 * or reported missing: nothing configured means the Python SDK (its clone is then required, as
 * it always was); a Python target that is not vendored needs its clone, and with `packageName`
 * its package name (pinned in pyproject.toml).
 */
export async function requireTargets(
  context: Pick<Context, "settings" | "require">,
  needs: { packageName: boolean },
): Promise<TargetSpec[]> {
  const { settings } = context;
  let specs = resolveTargets(settings);
  const python = specs.find((s) => s.target === "python");
  if (specs.length === 0 || (python && !python.vendorDir && !python.output)) {
    await context.require("python_output");
    specs = resolveTargets(settings);
  }
  const resolved = specs.find((s) => s.target === "python");
  if (needs.packageName && resolved && !resolved.vendorDir && !resolved.packageName) {
    await context.require("package_name");
    specs = resolveTargets(settings);
  }
  return specs;
}
