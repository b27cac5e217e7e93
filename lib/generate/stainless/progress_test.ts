/** Reading a hosted build: conclusions, when a target is done, progress lines, diagnostics. */
import { assert, assertEquals, assertStringIncludes } from "../../../tests/helpers/assert.ts";
import type { Build, BuildDiagnostic, BuildTarget } from "./client.ts";
import {
  buildTarget,
  completedCommit,
  diagnosticCounts,
  formatDiagnostics,
  isFailedStep,
  isGoodCommit,
  isTargetDone,
  nextStepForConclusion,
  progressLine,
  stepConclusion,
} from "./progress.ts";

// The API's types describe far more than these functions read: fixtures give only what they read.
type Loose = Record<string, unknown>;

function completed(conclusion: string, extra: Loose = {}): Loose {
  return { status: "completed", conclusion, commit: null, merge_conflict_pr: null, ...extra };
}

function step(status: string, conclusion?: string): Loose {
  return conclusion ? { status, conclusion, url: null } : { status, url: null };
}

function target(fields: Loose): BuildTarget {
  return { status: "codegen", commit: { status: "in_progress" }, ...fields } as BuildTarget;
}

function build(targets: Record<string, BuildTarget>): Build {
  return { id: "bui_1", targets } as unknown as Build;
}

function diagnostic(level: string, code: string, extra: Loose = {}): BuildDiagnostic {
  return {
    level,
    code,
    message: `${code} happened\nmore`,
    ignored: false,
    ...extra,
  } as unknown as BuildDiagnostic;
}

Deno.test("commit conclusions: usable ones (errors included) and failures", () => {
  for (const good of ["success", "warning", "note", "error", "noop"]) {
    const commit = completedCommit(target({ commit: completed(good) }));
    assert(commit && isGoodCommit(commit), good);
  }
  for (const bad of ["fatal", "merge_conflict", "payment_required", "cancelled", "timed_out"]) {
    const commit = completedCommit(target({ commit: completed(bad) }));
    assert(commit && !isGoodCommit(commit), bad);
  }
  assertEquals(completedCommit(target({ commit: { status: "queued" } })), undefined);
  assertEquals(completedCommit(undefined), undefined);
});

Deno.test("check steps: only completed failures count as failed", () => {
  assertEquals(stepConclusion(step("completed", "failure") as never), "failure");
  assertEquals(stepConclusion(step("in_progress") as never), undefined);
  assert(isFailedStep(step("completed", "failure") as never));
  assert(isFailedStep(step("completed", "timed_out") as never));
  assert(isFailedStep(step("completed", "action_required") as never));
  assert(!isFailedStep(step("completed", "success") as never));
  assert(!isFailedStep(step("completed", "skipped") as never));
  assert(!isFailedStep(step("queued") as never));
  assert(!isFailedStep(undefined));
});

Deno.test("a target is done when completed, when its commit failed, or when the fail-on steps finished", () => {
  assert(!isTargetDone(undefined, []));
  assert(isTargetDone(target({ status: "completed" }), ["lint"]));
  assert(!isTargetDone(target({}), []), "commit still running");
  assert(isTargetDone(target({ commit: completed("fatal") }), ["lint", "test"]));
  const committed = { commit: completed("success"), lint: step("in_progress") };
  assert(!isTargetDone(target(committed), ["lint"]), "waits for lint, which fails the run");
  assert(isTargetDone(target(committed), ["test"]), "does not wait for lint");
  assert(isTargetDone(target({ ...committed, lint: step("completed", "failure") }), ["lint"]));
  assert(isTargetDone(target({ commit: completed("success") }), ["build"]), "no build step at all");
});

Deno.test("progressLine: one line for every target, waiting ones included", () => {
  const b = build({
    python: target({
      commit: completed("success"),
      lint: step("completed", "success"),
      build: step("in_progress"),
      test: step("not_started"),
    }),
  });
  assertEquals(buildTarget(b, "node"), undefined);
  assertEquals(
    progressLine(b, ["python", "node"]),
    "build bui_1: python: commit success, lint success, build in_progress, test not_started | node: waiting",
  );
  assertEquals(
    progressLine(build({ python: target({ commit: { status: "queued" } }) }), ["python"]),
    "build bui_1: python: commit queued, lint -, build -, test -",
  );
});

Deno.test("diagnostics: grouped by severity, first line only, ignored ones left out, capped", () => {
  const diagnostics = [
    diagnostic("warning", "W1", { oas_ref: "#/paths/~1x" }),
    diagnostic("error", "E1", { config_ref: "#/resources/x" }),
    diagnostic("warning", "W2"),
    diagnostic("warning", "W3"),
    diagnostic("note", "N1", { ignored: true }),
  ];
  assertEquals(
    formatDiagnostics(diagnostics, 1),
    [
      "error (1):",
      "  E1: E1 happened [config #/resources/x]",
      "warning (3):",
      "  W1: W1 happened [spec #/paths/~1x]",
      "  ... 2 more",
    ].join("\n"),
  );
  assertEquals(diagnosticCounts(diagnostics), "1 error, 3 warnings");
  assertEquals(diagnosticCounts([diagnostic("fatal", "F"), diagnostic("fatal", "G")]), "2 fatal");
  assertEquals(diagnosticCounts([]), "");
  assertEquals(formatDiagnostics([]), "");
});

Deno.test("what to do after a failed commit names the conflict PR when there is one", () => {
  const pr = { number: 7, repo: { owner: "acme", name: "sdk" } };
  const conflict = completedCommit(
    target({ commit: completed("merge_conflict", { merge_conflict_pr: pr }) }),
  )!;
  assertStringIncludes(nextStepForConclusion("merge_conflict", conflict), "acme/sdk#7");
  const plain = completedCommit(target({ commit: completed("fatal") }))!;
  assertStringIncludes(nextStepForConclusion("fatal", plain), "fatal diagnostics");
  assertStringIncludes(nextStepForConclusion("payment_required", plain), "billing");
  assertStringIncludes(nextStepForConclusion("something new", plain), "app.stainless.com");
});
