/**
 * Start-up time of the single-file bundle: `deno run <permissions> codegen.js --help`, wall
 * time of the whole process, median of several runs after a warm-up. Target: <= 100 ms.
 *
 * Registered in bench/run.ts (`deno task bench`); also runs alone:
 *   deno run --allow-all bench/startup.ts [--runs N]
 */
import { join } from "node:path";
import { run } from "../lib/os/process.ts";
import { log } from "../lib/core/log.ts";
import { bundleArgs, PERMISSIONS, PROJECT_ROOT } from "../scripts/compile.ts";

export const STARTUP_TARGET_MS = 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Bundles main.ts into `dir` the way `deno task bundle` does; returns the bundle's path. */
export async function bundleInto(dir: string): Promise<string> {
  const output = join(dir, "codegen.js");
  await run(Deno.execPath(), bundleArgs(output), {
    cwd: PROJECT_ROOT,
    what: "deno bundle",
  });
  return output;
}

export async function bundleStartupBench(runs = 15): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "codegen-bench-bundle-" });
  try {
    const bundle = await bundleInto(dir);
    const once = async () => {
      const started = performance.now();
      await run(Deno.execPath(), ["run", ...PERMISSIONS, bundle, "--help"], {
        cwd: dir,
        what: "bundle --help",
      });
      return performance.now() - started;
    };
    await once(); // warm-up: Deno's code cache for the bundle
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await once());
    const m = median(times);
    log.result(
      `${"bundle --help start-up".padEnd(34)} median ${m.toFixed(0).padStart(5)} ms  (${
        times.map((t) => t.toFixed(0)).join(", ")
      })`,
    );
    log.result(
      `bundle start-up target <= ${STARTUP_TARGET_MS} ms: ${
        m <= STARTUP_TARGET_MS ? "met" : "NOT met"
      }`,
    );
    return m;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const flag = Deno.args.indexOf("--runs");
  await bundleStartupBench(flag >= 0 ? Number(Deno.args[flag + 1]) : 15);
}
