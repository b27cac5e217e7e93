/**
 * Warnings in a local generator's output. A generator that succeeds with warnings prints them and
 * exits 0, and at normal verbosity its output is not shown, so they are read from it here:
 *
 * - openapi-python-client prints, on stderr, a block
 *     Warning(s) encountered while generating. Client was generated, but some pieces may be missing
 *     <header>            e.g. "WARNING parsing POST /v2/{entity}/{project}/evaluations within
 *                         evaluations. Endpoint will not be generated."
 *     <detail>            e.g. "Incorrect path templating for … (Path parameters do not match …)"
 *     <data as JSON>      (optional)
 *     … one group per problem, paragraphs separated by blank lines …
 *     If you believe this was a mistake or this tool is missing a feature you need, …
 *   (openapi_python_client/cli.py `handle_errors`). Colors are removed first.
 * - anything else (stainful: `warning: unrecognized top-level key …`): lines that start with
 *   `warning:` / `warn:` / `[warning]`, any case.
 */
import type { GeneratorWarning } from "../warnings.ts";

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const OPC_START = /^(Warning|Error)\(s\) encountered while generating/;
const OPC_END = /^If you believe this was a mistake/;
/** openapi-python-client's headers (parser/errors.py, parser/openapi.py). */
const OPC_HEADER = /^(WARNING|ERROR)\b|^(Unable to|Problem creating|Failed to|Could not)\b/;
const GENERIC = /^\s*(?:\[\s*warn(?:ing)?\s*\]|warn(?:ing)?\s*:)\s*(.+?)\s*$/i;

/** Paragraphs (runs of non-empty lines) of `lines`. */
function paragraphs(lines: string[]): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim()) current.push(line.trimEnd());
    else if (current.length) {
      result.push(current);
      current = [];
    }
  }
  if (current.length) result.push(current);
  return result;
}

/** The warnings of openapi-python-client's block; [] when there is no block. */
export function openapiPythonClientWarnings(output: string): Omit<GeneratorWarning, "source">[] {
  const lines = output.replace(ANSI, "").split("\n");
  const start = lines.findIndex((line) => OPC_START.test(line.trim()));
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && OPC_END.test(line.trim()));
  const body = lines.slice(start + 1, end < 0 ? lines.length : end);
  const found: Omit<GeneratorWarning, "source">[] = [];
  for (const paragraph of paragraphs(body)) {
    const first = paragraph[0].trim();
    if (first.startsWith("{") || first.startsWith("[")) continue; // the data as JSON
    const current = found.at(-1);
    if (OPC_HEADER.test(first) || !current) {
      found.push({ message: paragraph.join(" ").trim().replace(/^WARNING\s+/, "") });
    } else if (current.detail === undefined) {
      current.detail = paragraph.map((line) => line.trim()).join("\n");
    }
  }
  return found;
}

/** `warning: …` lines (generators other than openapi-python-client). */
export function warningLines(output: string): Omit<GeneratorWarning, "source">[] {
  return output.replace(ANSI, "").split("\n").flatMap((line) => {
    const match = GENERIC.exec(line);
    return match ? [{ message: match[1] }] : [];
  });
}

/** The warnings in a generator's stdout and stderr. */
export function outputWarnings(
  generator: string,
  stdout: string,
  stderr: string,
): Omit<GeneratorWarning, "source">[] {
  const block = openapiPythonClientWarnings(stderr);
  if (block.length > 0 || generator === "openapi-python-client") return block;
  return [...warningLines(stderr), ...warningLines(stdout)];
}
