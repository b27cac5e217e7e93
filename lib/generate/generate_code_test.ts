/** Preparing a generation once (clones checked and locked), then running or planning it. */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { PROJECT_ROOT, PYTHON } from "../../tests/helpers/cli.ts";
import {
  head,
  makeClone,
  makeTraceRepo,
  removeAll,
  treeFiles,
} from "../../tests/helpers/sdk_clone.ts";
import { gitOutput } from "../git/git.ts";
import { Settings } from "../config/settings.ts";
import { exists } from "../core/fs.ts";
import { planGeneration, prepareGeneration, runGeneration } from "./generate_code.ts";
import { TEMP_DIR_PLACEHOLDER } from "./types.ts";

const FAKE =
  `${PYTHON} ${PROJECT_ROOT}/tests/fixtures/fake_generator.py --spec {oas} --out {out} --package {package}`;

function settings(repoRoot: string, flags: Record<string, unknown>): Settings {
  const configFile = {
    path: join(repoRoot, "generate_config.yaml"),
    exists: false,
    values: {},
    placeholders: {},
    warnings: [],
  };
  const all = { generator: "command", generator_command: FAKE, package_name: "sdk", ...flags };
  return new Settings({ repoRoot, cwd: repoRoot, configFile, flags: all, env: {} });
}

async function withRepos(fn: (repo: string, clone: string) => Promise<void>) {
  const repo = await makeTraceRepo();
  const clone = await makeClone();
  try {
    await fn(repo, clone);
  } finally {
    await removeAll(repo, clone);
  }
}

const lockOf = (clone: string) => join(clone, ".git", "codegen.lock");

Deno.test("prepareGeneration checks each clone once and holds its lock until released", async () => {
  await withRepos(async (repo, clone) => {
    const s = settings(repo, { python_output: clone });
    const prepared = await prepareGeneration({ settings: s, repoRoot: repo });
    try {
      const [target] = prepared.input.targets;
      assertEquals(target.clone, await Deno.realPath(clone));
      assertEquals(prepared.clones.python, { path: target.clone, exists: true });
      assertEquals(target.main?.tip, await head(clone, "main"));
      assert(await exists(lockOf(clone)), "locked while prepared");
      // Not reentrant: nothing else in this run (or any other) takes it again meanwhile.
      await assertRejects(
        () => prepareGeneration({ settings: s, repoRoot: repo }),
        /already locked by this codegen run/,
      );
      const out = await runGeneration(prepared);
      assertEquals(out.targets.python?.changed, true);
      assertEquals(out.targets.python?.commit, await head(clone, "main"));
      // A later stage sharing the run's warnings (`all`'s vendor stage) adds to them: not this
      // output's (the summary would list it under generate.warnings).
      const own = out.warnings?.length;
      prepared.input.warnings?.add({ source: "codegen", message: "found by the vendor stage" });
      assertEquals(out.warnings?.length, own);
      assert(!out.warnings?.some((w) => w.message === "found by the vendor stage"));
    } finally {
      await prepared.release();
    }
    assert(!(await exists(lockOf(clone))), "released");
    await prepared.release(); // twice is harmless
  });
});

Deno.test("a dry run takes no lock, and its plan changes nothing", async () => {
  await withRepos(async (repo, clone) => {
    const s = settings(repo, { python_output: clone, preserve: "src/custom" });
    const before = await head(clone, "main");
    const prepared = await prepareGeneration({ settings: s, repoRoot: repo, dryRun: true });
    assert(!(await exists(lockOf(clone))));
    const plan = await planGeneration(prepared);
    await prepared.release();
    const real = await Deno.realPath(clone);
    assertEquals(plan.length, 5);
    assertEquals(
      plan[0],
      "apply the openapi.transformations of tools/codegen/openapi.stainless.yml to a temporary copy of the spec ({oas})",
    );
    assertStringIncludes(plan[1], `--out '${TEMP_DIR_PLACEHOLDER}/out'`);
    // The generator reads the prepared copy, not the committed spec.
    assertStringIncludes(plan[1], `--spec '${TEMP_DIR_PLACEHOLDER}/inputs/openapi.json'`);
    assert(plan[1].startsWith("run `"), plan[1]);
    assertEquals(
      plan[2],
      `replace the tree of python main in ${real} with its output, without bytecode and caches (keeping src/custom), plus .codegen/origin.json and .codegen/openapi.json`,
    );
    assertEquals(
      plan[3],
      "compare the public API of the generated python SDK with origin/main (else main before this run)",
    );
    assertEquals(
      plan[4],
      `move refs/heads/main of ${real} to that commit (python; now main (at ${
        before.slice(0, 12)
      }, checked out in ${real}, clean))`,
    );
    assertEquals(await head(clone, "main"), before);
  });
});

/** A hook that writes a file the tree keeps, and bytecode that must not be committed. */
const HOOK = [
  PYTHON,
  "-c",
  "import os; open('HOOKED', 'w').write('yes'); os.makedirs('__pycache__'); " +
  "open('__pycache__/x.pyc', 'w').write('bytecode')",
];

Deno.test("a local generation in order: config warnings first, generator, hook, hygiene, stamp and spec copy last; then up to date", async () => {
  await withRepos(async (repo, clone) => {
    const s = settings(repo, {
      python_output: clone,
      // The fake reads {config}: it gets the config without the methods SMALL_SPEC lacks.
      generator_command: `${FAKE} --config {config}`,
      post_generate: [HOOK],
    });
    const prepared = await prepareGeneration({ settings: s, repoRoot: repo });
    let out;
    try {
      out = await runGeneration(prepared);
    } finally {
      await prepared.release();
    }
    // The drift warnings are the run's warnings, reported by codegen, before the generator ran.
    const warnings = out.warnings ?? [];
    assert(warnings.length > 0, "the example config names endpoints SMALL_SPEC lacks");
    assert(warnings.every((w) => w.source === "codegen"), JSON.stringify(warnings));
    assertStringIncludes(warnings[0].message, "tools/codegen/openapi.stainless.yml:");
    const files = await treeFiles(clone);
    assert(files.includes("HOOKED"), "the hook ran in the tree before the commit");
    assert(!files.some((f) => f.includes("__pycache__")), "hygiene left the bytecode out");
    assert(!(await gitOutput(clone, ["show", "main:sdk/config.yml"])).includes("calls:"));
    // The stamp and, beside it, the committed spec's exact bytes (not the transformed copy).
    const specPath = join(repo, "tools/codegen/openapi.json");
    assertEquals(
      await gitOutput(clone, ["rev-parse", "main:.codegen/openapi.json"]),
      await gitOutput(repo, ["hash-object", specPath]),
    );
    const stamp = JSON.parse(await gitOutput(clone, ["show", "main:.codegen/origin.json"]));
    assertEquals(stamp.codegen.post_generate, [HOOK]);
    // The review ran (the fake's output is no SDK layout the API reader knows: a note).
    assertStringIncludes(
      (out.sdk_api as { skipped: string }).skipped,
      "cannot read the generated SDK's API",
    );

    // Nothing changed: nothing runs, not even the inputs (no warning), and no review.
    const tip = await head(clone, "main");
    const again = await prepareGeneration({ settings: s, repoRoot: repo });
    try {
      const second = await runGeneration(again);
      assertEquals(second.targets.python?.skipped !== undefined, true);
      assertEquals(second.warnings, []);
      assertStringIncludes(
        (second.sdk_api as { skipped: string }).skipped,
        "python is up to date with its inputs",
      );
    } finally {
      await again.release();
    }
    assertEquals(await head(clone, "main"), tip);
    // Another hook is another input: the tree is regenerated.
    const rehooked = settings(repo, {
      python_output: clone,
      generator_command: `${FAKE} --config {config}`,
      post_generate: [[...HOOK, "again"]],
    });
    const third = await prepareGeneration({ settings: rehooked, repoRoot: repo });
    try {
      const result = await runGeneration(third);
      assertEquals(result.targets.python?.skipped, undefined);
    } finally {
      await third.release();
    }
  });
});

Deno.test("--fail-on warnings: the run's warnings stop it before the commit; main does not move", async () => {
  await withRepos(async (repo, clone) => {
    const s = settings(repo, {
      python_output: clone,
      generator_command: `${FAKE} --config {config}`,
      fail_on: "warnings",
    });
    const before = await head(clone, "main");
    const prepared = await prepareGeneration({ settings: s, repoRoot: repo });
    try {
      await assertRejects(() => runGeneration(prepared), /warnings?, and --fail-on has warnings/);
    } finally {
      await prepared.release();
    }
    assertEquals(await head(clone, "main"), before);
  });
});

Deno.test("the spec must exist, unless a stage before generation writes it (all)", async () => {
  await withRepos(async (repo, clone) => {
    const s = settings(repo, { python_output: clone, openapi_output: join(repo, "none.json") });
    await assertRejects(
      () => prepareGeneration({ settings: s, repoRoot: repo, dryRun: true }),
      /OpenAPI spec not found/,
    );
    const later = await prepareGeneration({
      settings: s,
      repoRoot: repo,
      dryRun: true,
      requireSpec: false,
    });
    await later.release();
  });
});

Deno.test("a dirty checked-out main is refused when preparing, before any lock or generator", async () => {
  await withRepos(async (repo, clone) => {
    await Deno.writeTextFile(join(clone, "wip.txt"), "work\n");
    await assertRejects(
      () =>
        prepareGeneration({ settings: settings(repo, { python_output: clone }), repoRoot: repo }),
      /has uncommitted changes/,
    );
    assert(!(await exists(lockOf(clone))));
  });
});
