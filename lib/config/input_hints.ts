/**
 * Hints for the two input files every stage after the spec reads (the OpenAPI spec and the
 * Stainless config), naming the setting as the user gave it (`Settings.setBy`): the flag they
 * typed (`--output-file`, `--spec`...), the variable or the config file's line.
 */
import type { Settings } from "./settings.ts";

/** For a spec that cannot be read: fix the setting that named it, or write it first. */
export function specPathHint(settings: Settings): string {
  if (settings.source("openapi_output") === "default") {
    return "Run `codegen get_openapi_spec` first, or pass --openapi-output with the spec's path.";
  }
  return `Check the spec's path (${settings.setBy("openapi_output")}), or run ` +
    "`codegen get_openapi_spec` to write the spec there.";
}

/** For a Stainless config that cannot be read. */
export function stainlessConfigHint(settings: Settings): string {
  if (settings.source("stainless_config") === "default") {
    return "Pass the openapi.stainless.yml path with --stainless-config (config `stainless_config`).";
  }
  return `Check the openapi.stainless.yml path (${settings.setBy("stainless_config")}).`;
}
