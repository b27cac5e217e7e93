/**
 * The real Weave files (openapi.json, openapi.older.json, openapi.stainless.yml, ...), committed
 * byte for byte under tests/fixtures/weave/ (see its README for their source and license).
 */
import { join } from "node:path";
import { PROJECT_ROOT } from "./cli.ts";

/** Absolute path of a file of the real Weave repository's set (e.g. "openapi.json"). */
export function weaveFile(name: string): string {
  return join(PROJECT_ROOT, "tests", "fixtures", "weave", name);
}
