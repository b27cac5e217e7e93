/**
 * `deno task bundle`: the CLI as JavaScript files in dist/bundle/, run with
 *   deno run --allow-all dist/bundle/codegen.js <command> ...
 *
 * Built with `deno bundle --code-splitting` from codegen.ts: the entry catches signals, then loads
 * the chunk of main.ts (the command declarations); each command's implementation (and every npm
 * package) is a chunk loaded only when it runs, as from source. One adjustment after the bundler:
 *   - Deno's bundler gives every entry chunk a side-effect import of its CommonJS runtime chunk,
 *     which imports node:module. Loading any node: module boots Deno's Node layer, which alone
 *     would double the start-up of `--help`; the chunks that use the runtime import its exports by
 *     name, so the bare side-effect imports are dropped (the runtime has no other side effect).
 */
import { join } from "node:path";
import { run } from "../lib/os/process.ts";
import { configureLogger, log } from "../lib/core/log.ts";
import { ENTRY, PROJECT_ROOT } from "./compile.ts";

export const BUNDLE_DIR = join(PROJECT_ROOT, "dist", "bundle");
export const BUNDLE_ENTRY = "codegen.js";

/** Bundles the entry (codegen.ts) into `dir` (emptied first); returns the entry file's path. */
export async function bundleInto(dir: string): Promise<string> {
  await Deno.remove(dir, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  await run(
    Deno.execPath(),
    ["bundle", "--quiet", "--minify", "--code-splitting", "--outdir", dir, ENTRY],
    { cwd: PROJECT_ROOT, what: "deno bundle", timeoutMs: 5 * 60_000 },
  );
  await dropRuntimeSideEffectImports(dir);
  return join(dir, BUNDLE_ENTRY); // codegen.ts -> codegen.js
}

/** The chunk holding the bundler's CommonJS runtime (the one that imports node:module). */
async function runtimeChunk(dir: string): Promise<string | undefined> {
  for (const entry of Deno.readDirSync(dir)) {
    const text = await Deno.readTextFile(join(dir, entry.name));
    if (text.includes("__deno_internal_createRequire") && text.includes('"node:module"')) {
      return entry.name;
    }
  }
  return undefined;
}

async function dropRuntimeSideEffectImports(dir: string): Promise<void> {
  const runtime = await runtimeChunk(dir);
  if (!runtime) return; // no CommonJS package in the bundle: nothing to drop
  const bare = new RegExp(`import\\s*"\\./${runtime.replace(".", "\\.")}";`, "g");
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    const text = await Deno.readTextFile(path);
    const dropped = text.replace(bare, "");
    if (dropped !== text) await Deno.writeTextFile(path, dropped);
  }
}

if (import.meta.main) {
  configureLogger({ level: "normal" });
  const entry = await bundleInto(BUNDLE_DIR);
  log.success(`bundle in ${BUNDLE_DIR}; run: deno run --allow-all ${entry}`);
}
