/** The words of `all`'s report and of merge plans, from their data. */
import { assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import type { MergePlan } from "../sync/types.ts";
import {
  formatMergePlan,
  formatSummary,
  type PipelineResult,
  plannedBranch,
  planRecord,
  pushRecord,
  type TargetRecord,
} from "./report.ts";

const BASE = "b".repeat(40);
const TIP = "c".repeat(40);
const TREE = "d".repeat(40);
const URL = "git+https://example.com/sdk.git";

function plan(fields: Partial<MergePlan>): MergePlan {
  return {
    branch: "weave/feature",
    traceBranch: "feature",
    baseBranch: "main",
    baseTip: BASE,
    sourceRef: "main",
    push: "yes",
    pin: {
      pins: { kind: "new mirror commit" },
      result: {
        entry: `sdk @ ${URL}@<new mirror commit>`,
        entries: [`sdk @ ${URL}@<new mirror commit>`],
        replaced: [],
        changed: true,
        kind: "pyproject",
        file: "/trace/pyproject.toml",
      },
    },
    ...fields,
  };
}

Deno.test("merge plan, new branch: fetch, commit, push, update, pin the new commit", () => {
  assertEquals(formatMergePlan(plan({ generated: { commit: "e".repeat(40), tree: TREE } })), [
    "fetch origin/main (git fetch)",
    `create one commit holding tree ${TREE.slice(0, 12)} of main, parent origin/main (${
      BASE.slice(0, 12)
    })`,
    "push that commit to refs/heads/weave/feature on origin (git push --force-with-lease; main is never pushed)",
    "update refs/remotes/origin/weave/feature in the SDK clone",
    `write /trace/pyproject.toml: sdk @ ${URL}@<new mirror commit> (the sha of the new commit)`,
  ]);
});

Deno.test("merge plan, tip already holding the tree: no push step at all, the pin names the tip", () => {
  const lines = formatMergePlan(plan({
    mirrorTip: TIP,
    generated: { commit: "e".repeat(40), tree: TREE },
    push: "no",
    pin: {
      pins: { kind: "known sha", sha: TIP },
      result: {
        entry: `sdk @ ${URL}@${TIP}`,
        entries: [`sdk @ ${URL}@${TIP}`],
        replaced: [`sdk @ ${URL}@${TIP}`],
        changed: false,
        kind: "pyproject",
        file: "/trace/pyproject.toml",
      },
    },
  }));
  assertEquals(lines, [
    `leave weave/feature on origin at ${TIP.slice(0, 12)}: it already holds tree ${
      TREE.slice(0, 12)
    } of main, so nothing would be pushed`,
    `write /trace/pyproject.toml: sdk @ ${URL}@${TIP}`,
  ]);
});

Deno.test("merge plan, tree generated later: every push step is conditional, the pin says both", () => {
  const lines = formatMergePlan(plan({ mirrorTip: TIP, push: "unless unchanged" }));
  const short = TIP.slice(0, 12);
  assertEquals(lines[0], "fetch origin/main and origin/weave/feature (git fetch)");
  assertEquals(
    lines[1],
    `compare the tree the generate stage leaves on main with that of weave/feature (${short}): if they are equal, push nothing and pin ${short}`,
  );
  for (const step of lines.slice(2, 5)) assertStringIncludes(step, ", if the trees differ");
  assertEquals(
    lines[5],
    `write /trace/pyproject.toml: sdk @ ${URL}@<new mirror commit> (the sha of the new commit; ${short}'s if nothing is pushed)`,
  );
});

Deno.test("merge plan, --release before generation: the version placeholder is explained", () => {
  const lines = formatMergePlan(plan({
    pin: {
      pins: { kind: "version of the generated code" },
      result: {
        entry: "sdk==<version of the generated code>",
        entries: ["sdk==<version of the generated code>"],
        replaced: [],
        changed: true,
        kind: "pyproject",
        file: "/p.toml",
      },
    },
  }));
  assertEquals(
    lines.at(-1),
    "write /p.toml: sdk==<version of the generated code> ([project].version, else setup.py's version=, of the generated code)",
  );
});

Deno.test("records: a push, and a plan (noop only when nothing would be pushed)", () => {
  assertEquals(
    pushRecord({ branch: "w/f", traceBranch: "f", commit: TIP, pushed: true, noop: false }),
    { branch: "w/f", traceBranch: "f", commit: TIP, pushed: true, noop: false },
  );
  const yes = plan({});
  assertEquals(planRecord(yes), {
    branch: "weave/feature",
    traceBranch: "feature",
    commit: undefined,
    pushed: false,
    noop: false,
    plan: yes,
  });
  const no = plan({ mirrorTip: TIP, push: "no" });
  assertEquals([planRecord(no).noop, planRecord(no).commit], [true, TIP]);
});

/** The Python target's record (a clone), with its merge and pin. */
function python(fields: Partial<TargetRecord> = {}): PipelineResult["targets"] {
  return { python: { kind: "clone", clone: "/sdk", state: "updated", ...fields } };
}

function result(fields: Partial<PipelineResult>): PipelineResult {
  return {
    ok: true,
    dryRun: false,
    repoRoot: "/trace",
    autoMerge: true,
    release: false,
    spec: {
      path: "/trace/openapi.json",
      written: true,
      operations: 8,
      paths: 7,
      openapiVersion: "3.1.0",
      sha256: "f".repeat(64),
    },
    generate: {
      generator: "stainless",
      buildId: "bui_1",
      targets: { python: { clone: "/sdk", commit: "a".repeat(40), changed: true } },
    },
    targets: python(),
    stages: [],
    seconds: 1.25,
    ...fields,
  };
}

Deno.test("summary of a real run: one row per fact", () => {
  const lines = formatSummary(result({
    targets: python({
      merge: { branch: "weave/f", traceBranch: "f", commit: TIP, pushed: true, noop: false },
      pin: {
        kind: "pyproject",
        file: "/trace/pyproject.toml",
        entry: `sdk @ ${URL}@${TIP}`,
        entries: [],
        replaced: [],
        changed: true,
        written: true,
      },
    }),
  }));
  assertEquals(lines, [
    "codegen all: done in 1.3 s",
    `  spec       /trace/openapi.json: 8 operations, 7 paths, OpenAPI 3.1.0, sha256 ${
      "f".repeat(64)
    }`,
    "  generator  stainless (build bui_1)",
    `  python     /sdk: main ${"a".repeat(40)} (updated)`,
    `  pushed     weave/f ${TIP} (pushed)`,
    `  pyproject  /trace/pyproject.toml: sdk @ ${URL}@${TIP} (written)`,
  ]);
  const local = formatSummary(result({ autoMerge: false }));
  assertStringIncludes(local.join("\n"), "pushed     nothing (--no-auto-merge)");
});

Deno.test("plannedBranch: a branch not on origin yet, or where it is and what would be pushed", () => {
  assertEquals(
    plannedBranch(plan({})),
    "weave/feature (not on origin yet; a new commit would be pushed to create it)",
  );
  assertEquals(
    plannedBranch(plan({ mirrorTip: TIP })),
    `weave/feature (at ${TIP.slice(0, 12)} on origin; a new commit would be pushed)`,
  );
});

Deno.test("dry-run summary: the plan, and the branch row says what the plan decided", () => {
  const states: [MergePlan["push"], string][] = [
    ["yes", `weave/feature (at ${TIP.slice(0, 12)} on origin; a new commit would be pushed)`],
    [
      "no",
      `weave/feature (already holds the generated code at ${
        TIP.slice(0, 12)
      }; nothing would be pushed)`,
    ],
    [
      "unless unchanged",
      `weave/feature (a new commit would be pushed only if the generated code differs from ${
        TIP.slice(0, 12)
      })`,
    ],
  ];
  for (const [push, row] of states) {
    const merge = planRecord(plan({ mirrorTip: TIP, push }));
    const lines = formatSummary(
      result({ dryRun: true, plan: ["spec: write x"], targets: python({ merge }) }),
    );
    assertEquals(lines.slice(0, 3), [
      "codegen all --dry-run: nothing was changed. The plan:",
      "  - spec: write x",
      "  generator  stainless",
    ]);
    assertEquals(lines[3], `  branch     ${row}`);
  }
});

Deno.test("summary of an unchanged run: API changes, lint, warnings, an up-to-date target", () => {
  const counts = { added: 0, removed: 0, changed: 0, changedBreaking: 0, breakingChanges: 0 };
  const lines = formatSummary(result({
    spec_diff: {
      before: "HEAD:openapi.json",
      after: "openapi.json",
      added: [],
      removed: [],
      changed: [],
      other: [],
      counts,
      breaking: false,
    },
    lint: {
      ok: true,
      config: "/trace/stainless.yml",
      spec: "/trace/openapi.json",
      errors: 0,
      warnings: 2,
      checked: { methods: 1, operations: 1, models: 0, transformations: 0 },
      findings: [],
    },
    generate: {
      generator: "command",
      targets: {
        python: { clone: "/sdk", commit: "a".repeat(40), changed: false, skipped: "same inputs" },
      },
      warnings: [{ source: "command", target: "python", message: "endpoint skipped" }],
      sdk_api: { skipped: "python is up to date with its inputs" },
    },
  }));
  assertEquals(lines.slice(2, 9), [
    "  changes    no API changes since HEAD:openapi.json",
    "  lint       0 error(s), 2 warning(s) in the Stainless config",
    "  generator  command",
    `  python     /sdk: main ${"a".repeat(40)} (up to date; not regenerated)`,
    "  sdk api    not compared: python is up to date with its inputs",
    "  warnings   1 (--json: generate.warnings)",
    "             python: command: endpoint skipped",
  ]);
  const first = formatSummary(result({ spec_diff: null }));
  assertEquals(first[2], "  changes    first spec (nothing to compare with)");
});

Deno.test("summary of two targets and a vendored one: a row per target, the pins by file", () => {
  const lines = formatSummary(result({
    generate: {
      generator: "openapi-python-client (python), stainful (typescript)",
      buildId: "bui_1",
      targets: {
        python: {
          clone: "/sdk",
          commit: "a".repeat(40),
          changed: true,
          generator: "openapi-python-client",
        },
        typescript: { clone: "/ts", commit: "e".repeat(40), changed: true, generator: "stainful" },
      },
    },
    vendor: {
      generator: "stainful",
      warnings: [],
      targets: {
        node: {
          target: "node",
          generator: "stainful",
          vendor_dir: "sdks/node/src/vendor/sdk",
          stamp: "sdks/node/src/vendor/sdk.origin.json",
          changed: false,
          skipped: "same inputs",
        },
      },
    },
    targets: {
      ...python({
        merge: { branch: "weave/f", traceBranch: "f", commit: TIP, pushed: true, noop: false },
      }),
      typescript: {
        kind: "clone",
        clone: "/ts",
        state: "updated",
        merge: { branch: "weave/f", traceBranch: "f", commit: BASE, pushed: false, noop: true },
        pin: {
          kind: "package_json",
          file: "/trace/package.json",
          entry: `"weave-server-sdk": "git+file:///ts#${BASE}"`,
          entries: [],
          replaced: [],
          changed: true,
          written: true,
        },
      },
      node: { kind: "vendored", vendor_dir: "sdks/node/src/vendor/sdk", state: "up to date" },
    },
  }));
  assertEquals(lines.slice(2), [
    "  generator  openapi-python-client (python), stainful (typescript) (build bui_1)",
    `  python     /sdk: main ${"a".repeat(40)} (updated; openapi-python-client)`,
    `  typescript /ts: main ${"e".repeat(40)} (updated; stainful)`,
    "  vendored   with stainful",
    "  node       sdks/node/src/vendor/sdk (up to date; not regenerated); stamp sdks/node/src/vendor/sdk.origin.json",
    `  pushed     python: weave/f ${TIP} (pushed)`,
    `  pushed     typescript: weave/f ${BASE} (already on origin; nothing pushed)`,
    `  pin        typescript: /trace/package.json: "weave-server-sdk": "git+file:///ts#${BASE}" (written)`,
  ]);
});
