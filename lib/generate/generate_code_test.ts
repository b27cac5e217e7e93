/** Preparing a generation once (clones checked and locked), then running or planning it. */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { PROJECT_ROOT, PYTHON } from "../../tests/helpers/cli.ts";
import { head, makeClone, makeTraceRepo, removeAll } from "../../tests/helpers/sdk_clone.ts";
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
      `replace the tree of python main in ${real} with its output, without bytecode and caches (keeping src/custom)`,
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
