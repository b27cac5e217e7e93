/**
 * What a hosted build is made of: its settings (project, branch, polling, the check steps that
 * fail the run) and its revision (the spec and config contents under the names `stl` uses).
 */
import { extname } from "../../core/paths.ts";
import { readTextFile } from "../../core/fs.ts";
import type { Settings } from "../../config/settings.ts";
import { parseFailOn } from "../fail_on.ts";
import type { CheckStepName } from "./progress.ts";

export interface BuildOptions {
  project: string;
  branch: string;
  pollIntervalMs: number;
  timeoutMs: number;
  failOn: CheckStepName[];
  /** Retries of an API request (the SDK's for statuses, apiCall's for malformed answers). */
  maxRetries: number;
}

/** The build revision: spec and config contents under the file names `stl` uses. */
export async function buildRevision(
  specPath: string,
  configPath: string,
): Promise<Record<string, { content: string }>> {
  const spec = await readTextFile(
    specPath,
    "OpenAPI spec",
    "Run `codegen get_openapi_spec` first, or pass --openapi-output.",
  );
  const config = await readTextFile(
    configPath,
    "Stainless config",
    "Pass --stainless-config with the openapi.stainless.yml path.",
  );
  const [specName, configName] = revisionNames(specPath, configPath);
  return { [specName]: { content: spec }, [configName]: { content: config } };
}

/** The build settings: project, branch, polling, and the check steps that fail the run. */
export function buildOptions(settings: Settings): BuildOptions {
  return {
    project: settings.get("stainless_project") ?? "weave",
    branch: settings.get("stainless_branch") ?? "main",
    pollIntervalMs: (settings.get("poll_interval") ?? 2) * 1000,
    timeoutMs: (settings.get("build_timeout") ?? 900) * 1000,
    failOn: parseFailOn(settings.get("fail_on") ?? [], settings.origin("fail_on")).steps,
    maxRetries: settings.get("api_max_retries") ?? 5,
  };
}

/** The build revision's files as `stl` names them: openapi.json, stainless.yml. */
export function revisionNames(specPath: string, configPath: string): [string, string] {
  return [`openapi${extname(specPath) || ".json"}`, `stainless${extname(configPath) || ".yml"}`];
}
