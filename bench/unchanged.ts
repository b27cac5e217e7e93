/**
 * An unchanged `codegen all` against the spec stage alone: the goal of the skip (issue 9) is that
 * a second `all` with nothing changed costs at most 1.2× `get_openapi_spec`, since both start the
 * trace server once and the rest (check, skip decision, merge with nothing to push, pin with
 * nothing to change) should be small.
 *
 * Set-up: a demo workspace (tests/helpers/workspace.ts: the example trace repository, an SDK clone,
 * its bare origin), one `all` with openapi-python-client that generates, pushes and pins. Then,
 * alternately after a warm-up: `get_openapi_spec` (the same server, the same output file) and
 * `all` (which must report the generate stage skipped; checked). The ratio is the median of the
 * paired ratios. Target: <= 1.2.
 *
 * Registered in bench/run.ts (`deno task bench`); also runs alone:
 *   deno run --allow-all bench/unchanged.ts [--runs N]
 */
import { run } from "../lib/os/process.ts";
import { log } from "../lib/core/log.ts";
import { PROJECT_ROOT } from "../tests/helpers/cli.ts";
import { createWorkspace } from "../tests/helpers/workspace.ts";

export const UNCHANGED_RATIO_TARGET = 1.2;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function line(label: string, times: number[]): string {
  return `${label.padEnd(34)} median ${median(times).toFixed(0).padStart(5)} ms  (${
    times.map((t) => t.toFixed(0)).join(", ")
  })`;
}

/** Runs the CLI in `cwd`; returns its wall time and stdout. */
async function codegen(cwd: string, args: string[]): Promise<{ ms: number; stdout: string }> {
  const started = performance.now();
  const result = await run(
    Deno.execPath(),
    ["run", "--allow-all", "--quiet", `${PROJECT_ROOT}/codegen.ts`, ...args],
    {
      cwd,
      env: {
        PATH: `${PROJECT_ROOT}/.venv/bin:${Deno.env.get("PATH")}`,
        NO_COLOR: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_CONFIG_NOSYSTEM: "1",
      },
      what: `codegen ${args[0]}`,
      timeoutMs: 300_000,
    },
  );
  return { ms: performance.now() - started, stdout: result.stdout };
}

/** Sets up, measures, prints; returns the ratio. */
export async function unchangedAllBench(runs = 9): Promise<number> {
  const ws = await createWorkspace();
  try {
    await Deno.writeTextFile(
      `${ws.trace}/tools/codegen/generate_config.yaml`,
      [
        `python_output: ${ws.sdk}`,
        "package_name: weave_server_sdk",
        "generator: openapi-python-client",
        `port: ${ws.port}`, // reserved for the workspace (tests/helpers/ports.ts)
      ].join("\n") + "\n",
    );
    await codegen(ws.trace, ["all"]); // the first run generates, pushes and pins
    const spec = () => codegen(ws.trace, ["get_openapi_spec"]).then((r) => r.ms);
    const all = async () => {
      const { ms, stdout } = await codegen(ws.trace, ["all", "--json"]);
      const generate = JSON.parse(stdout).stages.find((s: { name: string }) =>
        s.name === "generate"
      );
      if (generate.status !== "skipped") {
        throw new Error(
          `the unchanged all did not skip the generator: ${JSON.stringify(generate)}`,
        );
      }
      return ms;
    };
    await spec(); // warm-up
    await all();
    const specs: number[] = [];
    const alls: number[] = [];
    for (let i = 0; i < runs; i++) {
      specs.push(await spec());
      alls.push(await all());
    }
    const ratio = median(alls.map((t, i) => t / specs[i]));
    log.result(`unchanged all against the spec stage alone, ${runs} runs each, interleaved`);
    log.result(line("codegen get_openapi_spec", specs));
    log.result(line("codegen all (unchanged: skipped)", alls));
    log.result(
      `unchanged-all ratio (median of paired runs) ${
        ratio.toFixed(2)
      } (target <= ${UNCHANGED_RATIO_TARGET}): ${
        ratio <= UNCHANGED_RATIO_TARGET ? "met" : "NOT met"
      }`,
    );
    return ratio;
  } finally {
    await ws.dispose();
  }
}

if (import.meta.main) {
  const flag = Deno.args.indexOf("--runs");
  await unchangedAllBench(flag >= 0 ? Number(Deno.args[flag + 1]) : 9);
}
