/**
 * `check`: the drift gate (lib/provenance/drift.ts); prints the findings, exits 1 on drift (as on
 * any other failure: drift's --json report is the one with `problems`).
 */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { CodegenError } from "../../lib/core/errors.ts";
import { log } from "../../lib/core/log.ts";
import { ensureClone } from "../../lib/git/clone.ts";
import { checkDrift, type DriftReport } from "../../lib/provenance/drift.ts";
import { onlyUnpushed, type SdkCheckInput } from "../../lib/provenance/commit_check.ts";
import { resolveTargets, splitTargets, type TargetSpec } from "../../lib/config/targets.ts";
import type { Settings } from "../../lib/config/settings.ts";
import { currentIdentities } from "../../lib/generate/current_identity.ts";
import { formatSpecDiff } from "../../lib/spec/diff_format.ts";
import { type GetSpecOptions, specSource } from "../../lib/spec/get_spec.ts";
import type { Input } from "../options.ts";

/** How this run was told things the fixes must be told again. */
interface RunFlags {
  /** How this run got the spec (` --app M:A`, ` --url …`, or "": the server). */
  spec: string;
  /** The flags that define the vendored targets and their generation (` --vendor-dir …`, or ""). */
  vendor: string;
}

class DriftFound extends CodegenError {
  constructor(readonly report: DriftReport, flags: RunFlags) {
    super(
      `drift found: ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}`,
      { details: report.problems.join("\n"), hint: remedies(report, flags).join(" ") },
    );
  }
}

/**
 * The options of `check` that `vendor` takes too and that say which targets are vendored and how
 * they are generated: given as flags, `codegen vendor` needs them again (without them it may find
 * no vendored target, or vendor from other inputs).
 */
const VENDOR_FLAGS = [
  "targets",
  "vendorDir",
  "generator",
  "generatorCommand",
  "generatorConfig",
  "packageName",
  "postGenerate",
  "project",
  "branch",
  "endpointGroups",
  "groups",
  "allGroups",
  "stainlessConfig",
  "openapiOutput",
];

/** The flags of `names` given in this run, as typed (values quoted for a POSIX shell). */
function repeatFlags(
  input: { options: Record<string, unknown>; spellings: Record<string, string> },
  flagOf: (name: string) => string,
  names: readonly string[],
): string {
  const words: string[] = [];
  for (const name of names) {
    const value = input.options[name];
    if (value === undefined) continue;
    const spelling = input.spellings[name] ?? flagOf(name);
    if (typeof value === "boolean") {
      words.push(spelling);
      continue;
    }
    for (const one of Array.isArray(value) ? value : [value]) {
      words.push(spelling, shellWord(String(one)));
    }
  }
  return words.map((word) => ` ${word}`).join("");
}

/** `word` as one POSIX shell word (by hand: a hint needs nothing more than single quotes). */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** What fixes each kind of drift found, once each. */
function remedies(report: DriftReport, flags: RunFlags): string[] {
  const specFlags = flags.spec;
  // A pin pushed nowhere that is otherwise in sync needs a push, not a regeneration.
  const found = (name: "pinned" | "main") =>
    report.sdk.some((c) =>
      c.name === name && c.role === "gate" && c.status === "differs" && !onlyUnpushed(c)
    );
  const fixes: string[] = [];
  const { spec } = report;
  if (spec.status !== "in sync") {
    fixes.push(
      `Save the server's spec (\`codegen get_openapi_spec${specFlags}\`, or \`codegen all\`) ` +
        "and commit it.",
    );
  }
  if (spec.status === "differs" && !spec.bytes_only) {
    // check writes nothing: `diff` can compare only once the server's spec is written.
    fixes.push(
      `To review the spec changes in full: \`codegen get_openapi_spec${specFlags}\` (it writes ` +
        `the server's spec), then \`codegen diff HEAD:${spec.path} ${spec.path}\`.`,
    );
  }
  if (found("pinned")) {
    fixes.push(
      "Regenerate and pin the SDK (`codegen all`) and commit the pin (pyproject.toml or package.json).",
    );
  }
  if (report.sdk.some((c) => c.commit_on_remote === false)) {
    fixes.push(
      "Push the pinned commit to the pin's remote (`git -C <SDK clone> push origin " +
        "<commit>:refs/heads/<branch>`), or run `codegen merge_generated_code` (or `codegen all`), " +
        "which pushes the mirror branch and pins its commit; commit the pin.",
    );
  }
  if (found("main")) {
    fixes.push(
      "The SDK clone's main was checked because there is no pin to check: regenerate it " +
        "(`codegen generate_code`, or `codegen all` to push and pin too), or pin a commit.",
    );
  }
  if (report.vendored.some((v) => v.status === "differs")) {
    fixes.push(
      `Vendor again (\`codegen vendor${flags.vendor}\`) and commit the copy with its stamp.`,
    );
  }
  return fixes;
}

/** What `check` reads of a target with a clone: its pin; `kept`: its `preserve`. */
function sdkInput(
  spec: TargetSpec,
  clone: string,
  settings: Settings,
  kept: readonly string[],
): SdkCheckInput {
  const pin: SdkCheckInput["pin"] = spec.pin === "pyproject"
    ? {
      kind: "pyproject",
      pyprojectPath: settings.get("pyproject"),
      packageName: spec.packageName,
      extra: settings.get("pyproject_extra"),
    }
    : spec.pin === "package_json"
    ? { kind: "package_json", packageJsonPath: spec.packageJson!, packageName: spec.packageName }
    : { kind: "none" };
  return { target: spec.target, clone, pin, kept };
}

export async function run(
  input: Input<"url" | "app" | "json" | "allGroups">,
): Promise<CommandOutput> {
  const { options } = input;
  const context = await createContext(input);
  const { settings, repoRoot } = context;
  const spec: GetSpecOptions = {
    // The same source as get_openapi_spec and all: kill_port and the timeouts included.
    source: specSource(settings, { url: options.url, app: options.app }),
    repoRoot,
    outputFile: settings.get("openapi_output"),
  };
  const { clones: all, vendored } = splitTargets(resolveTargets(settings));
  const clones = all.filter((target) => target.output);
  // A clone that is not a repository is a mistake in the flag or key, before anything is fetched.
  const checked: string[] = [];
  for (const target of clones) {
    checked.push(
      (await ensureClone(target.output!, {
        target: target.target,
        key: target.outputKey,
        source: target.origins.output ?? target.outputKey,
        traceRepo: repoRoot,
      })).path,
    );
  }
  const current = await currentIdentities(settings, repoRoot, [...clones, ...vendored], {
    allGroups: options.allGroups,
  });
  const report = await checkDrift({
    spec,
    configPath: settings.get("stainless_config"),
    groups: current.groups,
    sdks: clones.map((target, i) => ({
      ...sdkInput(target, checked[i], settings, current.kept[target.target] ?? []),
      identity: current.identities[target.target]!,
    })),
    vendored: vendored.map((target) => ({
      target: target.target,
      vendorDir: target.vendorDir!,
      identity: current.identities[target.target]!,
    })),
  });
  if (clones.length === 0 && vendored.length === 0) {
    log.info("no SDK clone (--python-output) and no vendored copy: only the spec was checked");
  }
  const lines = formatReport(report);
  if (!report.ok) {
    if (!options.json) { for (const line of lines) log.result(line); }
    // The URL itself is not repeated: it may hold credentials (they would be redacted anyway).
    const specFlags = options.url
      ? " --url <the same URL>"
      : options.app
      ? ` --app ${options.app}`
      : "";
    const vendorFlags = repeatFlags(
      { options: options as Record<string, unknown>, spellings: input.spellings },
      (name) => (input.command.options as Record<string, { flag: string }>)[name].flag,
      VENDOR_FLAGS,
    );
    throw new DriftFound(report, { spec: specFlags, vendor: vendorFlags });
  }
  return { json: { ...report }, lines };
}

function formatReport(report: DriftReport): string[] {
  const row = (label: string, text: string) => `  ${label.padEnd(8)} ${text}`;
  const s = report.spec;
  const lines = [report.ok ? "codegen check: in sync" : "codegen check: drift found"];
  const state = s.status === "in sync"
    ? `in sync with the server (${s.operations} operations, sha256 ${s.server_sha256.slice(0, 12)})`
    : s.status === "missing"
    ? "missing"
    : s.bytes_only
    ? "differs from the server's spec in bytes only (no operation differs)"
    : "differs from the server's spec:";
  lines.push(row("spec", `${s.path}: ${state}`));
  if (s.diff && !s.bytes_only) {
    lines.push(...formatSpecDiff(s.diff).split("\n").slice(1).map((l) => `         ${l}`));
  }
  const config = report.config;
  lines.push(row("config", `${config.path}: ${config.sha256 ?? "(no such file)"}`));
  for (const check of report.sdk) {
    const label = check.target === "python" ? check.name : `${check.target} ${check.name}`;
    const status = check.role === "information" && check.status !== "in sync"
      ? `${check.status} (information only: the pinned commit is what is checked)`
      : check.status;
    lines.push(row(label, `${status}: ${check.detail}`));
    if (check.entry) lines.push(row("", check.entry));
    for (const note of check.notes ?? []) lines.push(row("", `note: ${note}`));
  }
  for (const check of report.vendored) {
    const [first, ...rest] = check.details;
    lines.push(row(`${check.target} vendored`, `${check.status}: ${first ?? check.vendor_dir}`));
    lines.push(...rest.map((line) => row("", line)));
    for (const note of check.notes ?? []) lines.push(row("", `note: ${note}`));
  }
  return lines;
}

/** --json on failure: the whole report. */
export function failureJson(error: unknown): Record<string, unknown> {
  return error instanceof DriftFound ? { ...error.report } : {};
}
