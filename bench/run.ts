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
import { freeEphemeralPort } from "../lib/ports.ts";
import { bundleStartupBench } from "./startup.ts";

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
  const port = freeEphemeralPort();
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
  const port = freeEphemeralPort();
  const started = performance.now();
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      `${ROOT}/main.ts`,
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

async function measure(label: string, once: () => Promise<number>): Promise<number> {
  await once(); // warm-up: file caches, Deno's module cache, Python bytecode
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await once());
  const m = median(times);
  console.log(
    `${label.padEnd(34)} median ${m.toFixed(0).padStart(5)} ms  (${
      times.map((t) => t.toFixed(0)).join(", ")
    })`,
  );
  return m;
}

/** Extra benchmarks register here (e.g. bundle start-up); each prints its own line. */
export const extraBenches: Array<() => Promise<void>> = [
  async () => void await bundleStartupBench(),
];

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "codegen-bench-" });
  try {
    console.log(`get_openapi_spec on the example app, ${RUNS} runs each`);
    const floor = await measure("floor (uvicorn to first answer)", floorOnce);
    const tool = await measure("codegen get_openapi_spec", () => toolOnce(`${dir}/openapi.json`));
    const ratio = tool / floor;
    console.log(`ratio ${ratio.toFixed(2)} (target <= 1.10): ${ratio <= 1.10 ? "met" : "NOT met"}`);
    for (const bench of extraBenches) await bench();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
