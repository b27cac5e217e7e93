/**
 * The presubmit's last step (examples/ci/presubmit.yml), run for real with bash and jq: given the
 * `codegen check --json` report and exit code, it names drift as drift and a check that could not
 * run (a failure to check, exit 1; a usage or configuration error, exit 2) as such. The failure
 * and usage reports are made by the CLI itself; the drift report is one check printed (trimmed).
 */
import { parse } from "yaml";
import { assert, assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { PROJECT_ROOT, runCli } from "../helpers/cli.ts";
import { withTempDir } from "../helpers/temp_dir.ts";
import { CodegenError } from "../../lib/core/errors.ts";
import { join } from "../../lib/core/paths.ts";
import { run } from "../../lib/os/process.ts";
import { gitIn } from "../helpers/git_fixtures.ts";

type Step = { id?: string; if?: string; run?: string; env?: Record<string, string> };
type Workflow = { jobs: Record<string, { steps: Step[] }> };

/** The step that fails the job after the gate (`if: steps.drift.outcome == 'failure'`). */
async function failStep(): Promise<Step> {
  const text = await Deno.readTextFile(join(PROJECT_ROOT, "examples/ci/presubmit.yml"));
  const steps = Object.values((parse(text) as Workflow).jobs).flatMap((job) => job.steps);
  const step = steps.find((s) => s.if === "steps.drift.outcome == 'failure'");
  assert(step?.run, "presubmit.yml has a step run when the drift gate failed");
  return step;
}

/** Runs the step's script as GitHub would (bash -e), the report (or none) in $RUNNER_TEMP. */
async function runStep(dir: string, exitCode: number, report: string | undefined) {
  const step = await failStep();
  const reportPath = join(dir, "codegen-check.json");
  await Deno.remove(reportPath).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  if (report !== undefined) await Deno.writeTextFile(reportPath, report);
  // The step's env, with GitHub's expression replaced by the value it gives.
  assertEquals(Object.keys(step.env ?? {}), ["CHECK_EXIT_CODE"]);
  return await run("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], {
    cwd: dir,
    env: { RUNNER_TEMP: dir, CHECK_EXIT_CODE: String(exitCode) },
    check: false,
    timeoutMs: 30_000,
  });
}

/** What `codegen check --json` printed on drift (its findings, then the error main.ts adds). */
const DRIFT_REPORT = JSON.stringify({
  schema_version: 1,
  command: "check",
  ok: false,
  problems: ["pinned SDK: the pinned commit 111111111111 is not in file:///r.git"],
  spec: { path: "tools/codegen/openapi.json", status: "in sync" },
  sdk: [{ target: "python", name: "pinned", role: "gate", status: "differs" }],
  vendored: [],
  error: {
    message: "drift found: 1 problem",
    hint: "Regenerate and pin the SDK (`codegen all`) and commit the pin.",
    kind: "failure",
  },
});

const hasJq = await run("jq", ["--version"], { check: false }).then(
  (result) => result.code === 0,
  (error) => {
    if (error instanceof CodegenError && error.cause instanceof Deno.errors.NotFound) return false;
    throw error;
  },
);

Deno.test({
  name: hasJq
    ? "presubmit: the last step tells drift from a check that could not run, by its JSON report"
    : "presubmit: the last step's script is not run: no jq on PATH (GitHub's runners have it)",
  ignore: !hasJq,
  async fn() {
    await withTempDir("codegen-presubmit-gate-", async (dir) => {
      await gitIn(dir, "init", "--quiet", dir);
      // Real reports: a failure to check (the spec server cannot be reached) and a usage error.
      const failure = await runCli(
        ["check", "--url", "http://127.0.0.1:1/openapi.json", "--json"],
        {
          cwd: dir,
        },
      );
      assertEquals(failure.code, 1, failure.stderr);
      assertEquals(JSON.parse(failure.stdout).error.kind, "failure");
      const usage = await runCli(["check", "--no-such-flag", "--json"], { cwd: dir });
      assertEquals(usage.code, 2, usage.stderr);

      const drift = await runStep(dir, 1, DRIFT_REPORT);
      assertEquals(drift.code, 1, drift.stderr);
      assertStringIncludes(drift.stdout, "::error::codegen check found drift: see its hint");

      const failed = await runStep(dir, 1, failure.stdout);
      assertEquals(failed.code, 1, failed.stderr);
      assertStringIncludes(
        failed.stdout,
        "::error::codegen check could not run (exit 1): cannot fetch http://127.0.0.1:1/openapi.json",
      );
      assert(!failed.stdout.includes("drift"), failed.stdout);

      const misused = await runStep(dir, 2, usage.stdout);
      assertEquals(misused.code, 1, misused.stderr);
      assertStringIncludes(
        misused.stdout,
        "::error::codegen check could not run (exit 2): unknown option '--no-such-flag'",
      );

      for (const [exitCode, report] of [[1, undefined], [139, "Segmentation fault"]] as const) {
        const broken = await runStep(dir, exitCode, report);
        assertEquals(broken.code, 1, broken.stderr);
        assertStringIncludes(
          broken.stdout,
          `::error::codegen check could not run (exit ${exitCode}): codegen-check.json is missing or not its report`,
        );
      }
    });
  },
});
