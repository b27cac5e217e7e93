/**
 * Start-up of the bundle (`deno task bundle`): `deno run <permissions> codegen.js --help` against
 * a bare `deno eval 1`, the floor of any Deno program. Runs alternate (eval, bundle, eval, ...)
 * after a warm-up, and the ratio is the median of the paired ratios. Target: <= 1.5.
 *
 * Registered in bench/run.ts (`deno task bench`); also runs alone:
 *   deno run --allow-all bench/startup.ts [--runs N]
 */
import { run } from "../lib/os/process.ts";
import { log } from "../lib/core/log.ts";
import { PERMISSIONS } from "../scripts/compile.ts";
import { bundleInto } from "../scripts/bundle.ts";

export const STARTUP_RATIO_TARGET = 1.5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timed(args: string[], cwd: string, what: string): Promise<number> {
  const started = performance.now();
  await run(Deno.execPath(), args, { cwd, what });
  return performance.now() - started;
}

function line(label: string, times: number[]): string {
  return `${label.padEnd(34)} median ${median(times).toFixed(0).padStart(5)} ms  (${
    times.map((t) => t.toFixed(0)).join(", ")
  })`;
}

/** Bundles into a temporary directory, measures, prints; returns the ratio. */
export async function bundleStartupBench(runs = 15): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "codegen-bench-bundle-" });
  try {
    const bundle = await bundleInto(`${dir}/bundle`);
    const floor = () => timed(["eval", "1"], dir, "deno eval 1");
    const help = () => timed(["run", ...PERMISSIONS, bundle, "--help"], dir, "bundle --help");
    await floor(); // warm-up: Deno's code cache for the bundle, file caches
    await help();
    const floors: number[] = [];
    const helps: number[] = [];
    for (let i = 0; i < runs; i++) {
      floors.push(await floor());
      helps.push(await help());
    }
    const ratio = median(helps.map((t, i) => t / floors[i]));
    log.result(line("deno eval 1 (floor)", floors));
    log.result(line("bundle --help start-up", helps));
    log.result(
      `bundle start-up ratio (median of paired runs) ${
        ratio.toFixed(2)
      } (target <= ${STARTUP_RATIO_TARGET}): ${ratio <= STARTUP_RATIO_TARGET ? "met" : "NOT met"}`,
    );
    return ratio;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const flag = Deno.args.indexOf("--runs");
  await bundleStartupBench(flag >= 0 ? Number(Deno.args[flag + 1]) : 15);
}
