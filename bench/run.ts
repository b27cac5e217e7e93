// deno-lint-ignore-file no-console -- a benchmark prints its results
/**
 * Benchmarks (not part of the tests): `deno task bench`.
 *
 * get_openapi_spec against its floor: the floor is the time the same uvicorn command, started
 * directly, takes to answer its first /openapi.json (polled every 2 ms). The tool's time is the
 * wall time of the whole CLI run (Deno start-up, port check, server start, fetch, write, server
 * stop). Prints both medians over several runs and their ratio; target ratio <= 1.10.
 *
 * Options: --runs N (default 9).
 */
import { fileURLToPath } from "node:url";
import { reservePort } from "../tests/helpers/ports.ts";
import { bundleStartupBench } from "./startup.ts";
import { unchangedAllBench } from "./unchanged.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url)).replace(/\/$/, "");
const EXAMPLE = `${ROOT}/examples/trace-repo`;
const UVICORN = `${ROOT}/.venv/bin/uvicorn`;
const APP = "weave.trace_server.reference.server:app";

const runsFlag = Deno.args.indexOf("--runs");
const RUNS = runsFlag >= 0 ? Number(Deno.args[runsFlag + 1]) : 9;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function floorOnce(): Promise<number> {
  using reserved = reservePort();
  const port = reserved.port;
  const started = performance.now();
  const server = new Deno.Command(UVICORN, {
    args: [APP, "--port", String(port)],
    cwd: EXAMPLE,
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    while (true) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/openapi.json`);
        await response.arrayBuffer();
        if (response.status === 200) return performance.now() - started;
      } catch (error) {
        if (!(error instanceof TypeError)) throw error; // connection refused: not up yet
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    server.kill("SIGKILL");
    await server.status;
  }
}

async function toolOnce(output: string): Promise<number> {
  using reserved = reservePort();
  const port = reserved.port;
  const started = performance.now();
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      `${ROOT}/codegen.ts`,
      "--repo-root",
      EXAMPLE,
      "get_openapi_spec",
      "--port",
      String(port),
      "-o",
      output,
    ],
    env: { PATH: `${ROOT}/.venv/bin:${Deno.env.get("PATH")}` },
    stdout: "null",
    stderr: "piped",
  }).output();
  const elapsed = performance.now() - started;
  if (result.code !== 0) {
    throw new Error(`get_openapi_spec failed:\n${new TextDecoder().decode(result.stderr)}`);
  }
  return elapsed;
}

function report(label: string, times: number[]): number {
  const m = median(times);
  console.log(
    `${label.padEnd(34)} median ${m.toFixed(0).padStart(5)} ms  (${
      times.map((t) => t.toFixed(0)).join(", ")
    })`,
  );
  return m;
}

/**
 * Runs the two measurements alternately (floor, tool, floor, tool, ...): whatever else the
 * machine does during the benchmark then weighs on both alike, and the ratio stays meaningful.
 */
async function measurePair(
  a: () => Promise<number>,
  b: () => Promise<number>,
): Promise<[number[], number[]]> {
  await a(); // warm-up: file caches, Deno's module cache, Python bytecode
  await b();
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < RUNS; i++) {
    times[0].push(await a());
    times[1].push(await b());
  }
  return times;
}

/** Extra benchmarks register here (e.g. bundle start-up); each prints its own line. */
export const extraBenches: Array<() => Promise<void>> = [
  async () => void await bundleStartupBench(),
  async () => void await unchangedAllBench(RUNS),
];

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "codegen-bench-" });
  try {
    console.log(`get_openapi_spec on the example app, ${RUNS} runs each, interleaved`);
    const [floorTimes, toolTimes] = await measurePair(
      floorOnce,
      () => toolOnce(`${dir}/openapi.json`),
    );
    const floor = report("floor (uvicorn to first answer)", floorTimes);
    const tool = report("codegen get_openapi_spec", toolTimes);
    // Each tool run against the floor run right before it; the median of those ratios.
    const ratio = median(toolTimes.map((t, i) => t / floorTimes[i]));
    console.log(
      `medians ${tool.toFixed(0)} / ${floor.toFixed(0)} ms = ${(tool / floor).toFixed(2)}`,
    );
    console.log(
      `ratio (median of paired runs) ${ratio.toFixed(2)} (target <= 1.10): ${
        ratio <= 1.10 ? "met" : "NOT met"
      }`,
    );
    for (const bench of extraBenches) await bench();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
