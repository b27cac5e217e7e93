/**
 * The real Weave files (`shared/weave/`: openapi.json, openapi.older.json, …), kept beside the
 * project checkout: `<checkout>/../shared/weave` (main, CI) or further up (worktrees).
 */
import { dirname, join } from "node:path";
import { PROJECT_ROOT } from "./cli.ts";

function findWeaveDir(): string {
  for (let dir = dirname(PROJECT_ROOT); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, "shared", "weave");
    try {
      if (Deno.statSync(join(candidate, "openapi.json")).isFile) return candidate;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  throw new Error(`shared/weave/openapi.json not found above ${PROJECT_ROOT}`);
}

/** Absolute path of a file of the real Weave repository's set (e.g. "openapi.json"). */
export function weaveFile(name: string): string {
  return join(findWeaveDir(), name);
}
