/** The stage runner: typed outputs, dry-run plans, and failures that say what is done. */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { CodegenError } from "../core/errors.ts";
import { PinAfterPushError } from "../sync/types.ts";
import type { PipelineResult } from "./report.ts";
import { StageRunner } from "./stage_runner.ts";
import { PipelineError } from "./pipeline_error.ts";

function emptyResult(dryRun: boolean): PipelineResult {
  return {
    ok: true,
    dryRun,
    repoRoot: "/trace",
    autoMerge: true,
    release: false,
    spec: { path: "/trace/openapi.json", written: false },
    generate: { generator: "stainless", targets: {} },
    targets: {},
    stages: [],
    plan: dryRun ? [] : undefined,
    seconds: 0,
  };
}

Deno.test("a stage's output is returned as it is; a dry run records its plan per stage", async () => {
  const result = emptyResult(true);
  const runner = new StageRunner(["check", "spec"], result);
  const checked = await runner.run("check", () => Promise.resolve({ out: { n: 1 }, did: "ok" }));
  assertEquals(checked, { n: 1 });
  await runner.run(
    "spec",
    () => Promise.resolve({ out: undefined, did: "would write x", plan: ["write x", "stop y"] }),
  );
  assertEquals(result.plan, ["spec: write x", "spec: stop y"]);
  assertEquals(result.stages.map((s) => [s.name, s.status, s.did]), [
    ["check", "done", "ok"],
    ["spec", "planned", "would write x"],
  ]);
});

Deno.test("a failing stage becomes a PipelineError naming it, what is done and what is not", async () => {
  const result = emptyResult(false);
  const runner = new StageRunner(["check", "spec", "generate", "merge"], result);
  await runner.run("check", () => Promise.resolve({ out: 0, did: "generator x" }));
  const error = await assertRejects(
    () =>
      runner.run(
        "spec",
        () => Promise.reject(new CodegenError("no server", { hint: "start it", kind: "usage" })),
      ),
    /^spec stage failed: no server$/,
  );
  assert(error instanceof PipelineError);
  assertEquals([error.stage, error.kind, error.hint, error.exitCode], [
    "spec",
    "usage",
    "start it",
    2,
  ]);
  assertStringIncludes(error.details ?? "", "done: check (generator x)");
  assertStringIncludes(
    error.details ?? "",
    "not done: spec (the spec file was not written); generate (",
  );
  assertEquals(result.ok, false);
  assertEquals(result.stages.map((s) => s.status), ["done", "failed", "pending", "pending"]);
});

Deno.test("a pin failing after the push: the result records the push, the report says it", async () => {
  const result = emptyResult(false);
  const runner = new StageRunner(["merge"], result);
  const pushed = {
    branch: "weave/f",
    traceBranch: "f",
    commit: "a".repeat(40),
    pushed: true,
    noop: false,
  };
  const cause = new CodegenError("pyproject.toml is not valid TOML");
  const error = await assertRejects(() =>
    runner.run("merge", () => Promise.reject(new PinAfterPushError(pushed, cause)))
  );
  assertStringIncludes(error.message, `merge stage failed: pushed ${"a".repeat(12)} to weave/f`);
  assertEquals(result.merge, pushed);
  assertStringIncludes(
    (error as PipelineError).details ?? "",
    `not done: merge (pushed ${"a".repeat(12)} to weave/f; pyproject.toml not changed)`,
  );
});

Deno.test("an unexpected error (a bug) is passed on unchanged", async () => {
  const runner = new StageRunner(["check"], emptyResult(false));
  const bug = new TypeError("undefined is not a function");
  assertEquals(await assertRejects(() => runner.run("check", () => Promise.reject(bug))), bug);
});
