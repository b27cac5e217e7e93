/**
 * The lint of two files: the Stainless config against the spec, as `codegen lint` and the check
 * stage of `all` run it. Both files are read here (errors name the file); the spec's sha256 is
 * kept so that a caller can tell whether a later spec is the same one.
 */
import { sha256Hex } from "../core/sha256.ts";
import { parseSpec } from "../spec/spec_input.ts";
import { readTextFile } from "../core/fs.ts";
import { lintConfig, type LintResult } from "./lint.ts";
import { readStainlessConfig } from "./stainless_config.ts";

export interface LintedFiles {
  result: LintResult;
  /** sha256 (hex) of the spec's bytes as linted. */
  specSha256: string;
}

/** What to do when a file cannot be read: the caller names the setting (config/input_hints.ts). */
export interface LintHints {
  spec?: string;
  config?: string;
}

export async function lintFiles(
  specPath: string,
  configPath: string,
  hints: LintHints = {},
): Promise<LintedFiles> {
  const text = await readTextFile(
    specPath,
    "OpenAPI spec",
    hints.spec ?? "Pass the spec's path with --spec, or run `codegen get_openapi_spec` first.",
  );
  const spec = parseSpec(text, specPath);
  const config = await readStainlessConfig(configPath, hints.config);
  return { result: await lintConfig(config, spec, specPath), specSha256: await sha256Hex(text) };
}
