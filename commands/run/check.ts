/** `check`: the drift gate (lib/provenance/drift.ts); prints the findings, exits 1 on drift. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { CodegenError } from "../../lib/core/errors.ts";
import { log } from "../../lib/core/log.ts";
import { checkDrift, type DriftReport, type SdkCheckInput } from "../../lib/provenance/drift.ts";
import {
  checkTargetClone,
  resolveTargets,
  splitTargets,
  type TargetSpec,
} from "../../lib/config/targets.ts";
import type { Settings } from "../../lib/config/settings.ts";
import { selectedGroups } from "../../lib/generate/endpoint_groups.ts";
import { formatSpecDiff } from "../../lib/spec/diff_format.ts";
import type { GetSpecOptions } from "../../lib/spec/get_spec.ts";
import type { Input } from "../options.ts";

class DriftFound extends CodegenError {
  /** `specFlags`: how this run got the spec (` --app M:A`, ` --url …`, or "": the server). */
  constructor(readonly report: DriftReport, specFlags: string) {
    super(
      `drift found: ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}`,
      {
        details: report.problems.join("\n"),
        hint: "Run `codegen all` (or get_openapi_spec, then generate and pin" +
          (report.vendored.some((v) => v.status === "differs")
            ? "; `codegen vendor` for a vendored copy"
            : "") +
          ") and commit the results." + reviewHint(report, specFlags),
      },
    );
  }
}

/**
 * How to see every change of a spec that differs: `check` writes nothing, so the server's spec
 * must be written first (as `get_openapi_spec` does) for `diff` to compare it with the committed one.
 */
function reviewHint(report: DriftReport, specFlags: string): string {
  if (report.spec.status !== "differs" || report.spec.bytes_only) return "";
  const path = report.spec.path;
  return ` To review the spec changes in full: \`codegen get_openapi_spec${specFlags}\` (it ` +
    `writes the server's spec), then \`codegen diff HEAD:${path} ${path}\`.`;
}

/** What `check` reads of a target with a clone: its pin and the paths its tree hash leaves out. */
function sdkInput(spec: TargetSpec, settings: Settings): SdkCheckInput {
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
  return {
    target: spec.target,
    clone: spec.output!,
    pin,
    kept: spec.generator === "stainless" ? [] : spec.preserve,
  };
}

export async function run(
  input: Input<"url" | "app" | "json" | "allGroups">,
): Promise<CommandOutput> {
  const { options } = input;
  const context = await createContext(input);
  const { settings } = context;
  const timeoutMs = settings.get("startup_timeout") * 1000;
  const spec: GetSpecOptions = {
    source: options.url
      ? { kind: "url", url: options.url, timeoutMs }
      : options.app
      ? { kind: "app", target: options.app, timeoutMs }
      : {
        kind: "server",
        argv: settings.get("server_command"),
        port: settings.get("port"),
        startupTimeoutMs: timeoutMs,
        stopGraceMs: settings.get("server_stop_grace") * 1000,
      },
    repoRoot: context.repoRoot,
    outputFile: settings.get("openapi_output"),
  };
  const { clones, vendored } = splitTargets(resolveTargets(settings));
  const withClone = clones.filter((spec) => spec.output);
  // Each clone checked as every command checks it (errors name the flag typed), before the server.
  for (const spec of withClone) await checkTargetClone(spec, context.repoRoot);
  const sdks = withClone.map((spec) => sdkInput(spec, settings));
  const groups = vendored.length ? selectedGroups(settings, options.allGroups) ?? null : null;
  const report = await checkDrift({
    spec,
    configPath: settings.get("stainless_config"),
    sdks,
    vendored: vendored.map((spec) => ({
      target: spec.target,
      vendorDir: spec.vendorDir!,
      groups,
    })),
  });
  if (sdks.length === 0 && vendored.length === 0) {
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
    throw new DriftFound(report, specFlags);
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
    lines.push(row(label, `${check.status}: ${check.detail}`));
    if (check.entry) lines.push(row("", check.entry));
  }
  for (const check of report.vendored) {
    const [first, ...rest] = check.details;
    lines.push(row(`${check.target} vendored`, `${check.status}: ${first ?? check.vendor_dir}`));
    lines.push(...rest.map((line) => row("", line)));
  }
  return lines;
}

/** --json on failure: the whole report. */
export function failureJson(error: unknown): Record<string, unknown> {
  return error instanceof DriftFound ? { ...error.report } : {};
}
