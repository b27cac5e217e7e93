/** `check`: the drift gate (lib/provenance/drift.ts); prints the findings, exits 1 on drift. */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { CodegenError } from "../../lib/core/errors.ts";
import { log } from "../../lib/core/log.ts";
import { checkDrift, type DriftReport } from "../../lib/provenance/drift.ts";
import { formatSpecDiff } from "../../lib/spec/diff_format.ts";
import type { GetSpecOptions } from "../../lib/spec/get_spec.ts";
import type { Input } from "../options.ts";

class DriftFound extends CodegenError {
  constructor(readonly report: DriftReport) {
    super(
      `drift found: ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}`,
      {
        details: report.problems.join("\n"),
        hint:
          "Run `codegen all` (or get_openapi_spec, then generate and pin) and commit the results; `codegen diff HEAD:<spec> <spec>` shows the spec changes.",
      },
    );
  }
}

export async function run(input: Input<"url" | "app" | "json">): Promise<CommandOutput> {
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
  const clone = settings.get("python_output");
  const report = await checkDrift({
    spec,
    configPath: settings.get("stainless_config"),
    sdk: clone
      ? {
        clone,
        packageName: settings.get("package_name"),
        pyprojectPath: settings.get("pyproject"),
        extra: settings.get("pyproject_extra"),
        kept: settings.get("generator") === "stainless" ? [] : settings.get("preserve"),
      }
      : undefined,
  });
  if (!clone) log.info("no SDK clone (--python-output): only the spec was checked");
  const lines = formatReport(report);
  if (!report.ok) {
    if (!options.json) { for (const line of lines) log.result(line); }
    throw new DriftFound(report);
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
    lines.push(row(check.name, `${check.status}: ${check.detail}`));
    if (check.entry) lines.push(row("", check.entry));
  }
  return lines;
}

/** --json on failure: the whole report. */
export function failureJson(error: unknown): Record<string, unknown> {
  return error instanceof DriftFound ? { ...error.report } : {};
}
