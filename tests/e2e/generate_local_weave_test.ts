/**
 * Local generation on the real Weave spec and Stainless config (shared/weave), with stainful and
 * openapi-python-client from the project's .venv: the transformed spec and pruned config handed
 * to the generator (the committed files unchanged), drift as warnings or (strict_config) an error,
 * post_generate hooks that change the tree or fail, bytecode left out, the TypeScript preset.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { type CliResult, runCli } from "../helpers/cli.ts";
import { head, makeClone, removeAll, treeFiles } from "../helpers/sdk_clone.ts";
import { weaveFile } from "../helpers/weave.ts";
import { gitOutput } from "../../lib/git/git.ts";
import { sha256Hex } from "../../lib/core/sha256.ts";
import type { GeneratorWarning as Warning } from "../../lib/generate/warnings.ts";

/** The six config methods whose endpoint the real spec lacks (read and delete of three v2 resources). */
const DRIFTED = [
  "v2_evaluation_runs.read",
  "v2_evaluation_runs.delete",
  "v2_predictions.read",
  "v2_predictions.delete",
  "v2_scores.read",
  "v2_scores.delete",
];

/** Rewrites a file of the generated tree, so that the commit shows the hook ran. */
const PATCH_HOOK = `import pathlib, sys
package, target = sys.argv[1], sys.argv[2]
pathlib.Path("PATCHED.md").write_text(f"patched {package} ({target})\\n")
init = pathlib.Path(package, "__init__.py")
init.write_text(init.read_text() + "\\n# patched by post_generate\\n")
# What a hook running tests or a formatter leaves behind: never committed either.
pathlib.Path(".pytest_cache/v/cache").mkdir(parents=True)
pathlib.Path(".pytest_cache/v/cache/lastfailed").write_text("{}")
pathlib.Path(package, ".DS_Store").write_text("")
`;

interface Setup {
  trace: string;
  clone: string;
  tmp: string;
  run(args: string[]): Promise<CliResult>;
}

async function setup(): Promise<Setup> {
  const trace = await Deno.makeTempDir({ prefix: "trace-weave-" });
  await Deno.mkdir(join(trace, "tools/codegen"), { recursive: true });
  for (const name of ["openapi.json", "openapi.stainless.yml"]) {
    await Deno.copyFile(weaveFile(name), join(trace, "tools/codegen", name));
  }
  await Deno.writeTextFile(join(trace, "tools/codegen/patch.py"), PATCH_HOOK);
  const clone = await makeClone({ "README.md": "# weave_server_sdk\n" });
  const tmp = await Deno.makeTempDir({ prefix: "gen-tmpdir-" });
  return {
    trace,
    clone,
    tmp,
    run: (args) =>
      runCli(["--repo-root", trace, "generate_code", "--python-output", clone, ...args], {
        env: { TMPDIR: tmp },
      }),
  };
}

async function isEmptyDir(dir: string): Promise<boolean> {
  for await (const _ of Deno.readDir(dir)) return false;
  return true;
}

async function fileSha(path: string): Promise<string> {
  return sha256Hex(await Deno.readFile(path));
}

Deno.test("stainful on the real Weave files: drift warned, transformations applied, hook committed, no bytecode", async () => {
  const s = await setup();
  try {
    const spec = join(s.trace, "tools/codegen/openapi.json");
    const config = join(s.trace, "tools/codegen/openapi.stainless.yml");
    const before = [await fileSha(spec), await fileSha(config)];
    const result = await s.run([
      "--generator",
      "stainful",
      "--post-generate",
      "python {repo_root}/tools/codegen/patch.py {package} {target}",
      "--json",
      "-v",
    ]);
    assertEquals(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    // Each pruned method is a warning of codegen's naming its resource, method and endpoint,
    // reported before the generator ran.
    const drift = json.warnings.filter((w: Warning) =>
      w.message.includes("removed from the generator's")
    )
      .map((w: Warning) => w.message);
    assertEquals(drift.length, 6, JSON.stringify(json.warnings));
    assert(
      json.warnings.every((w: Warning) => w.source === "codegen"),
      JSON.stringify(json.warnings),
    );
    DRIFTED.forEach((method, i) => assertStringIncludes(drift[i], `: ${method}: `));
    assertStringIncludes(
      drift[0],
      "tools/codegen/openapi.stainless.yml:211: v2_evaluation_runs.read: get /v2/{entity}/{project}/evaluation_runs/{evaluation_run_id}/versions/{digest} is not in the spec",
    );
    // Each is the python target's: it read that config copy (or that spec copy).
    for (const warning of json.warnings) {
      assertEquals(warning.target, "python");
      assertStringIncludes(result.stderr, `warning: python: codegen: ${warning.message}`);
    }
    assertMatch(json.sdk_api.skipped, /^no previous SDK to compare with/);
    // The committed spec and config are the originals.
    assertEquals([await fileSha(spec), await fileSha(config)], before);

    const files = await treeFiles(s.clone);
    assertEquals(
      files.filter((f) => /__pycache__|\.py[co]$|\.pytest_cache|\.DS_Store/.test(f)),
      [],
    );
    // stainful did write bytecode (its runtime's __pycache__): it was left out, and said so.
    assertMatch(result.stderr, /left out of the commit: .*weave_server_sdk\/_core\/__pycache__\//);
    // The shared models that exist only after openapi.transformations (extractToRefs).
    const types = await gitOutput(s.clone, ["show", "main:weave_server_sdk/types/__init__.py"]);
    assertMatch(types, /\bExpr\b/);
    assertMatch(types, /\bOperation\b/);
    // The hook ran in the generated tree, placeholders filled in; its changes are committed.
    assertEquals(
      await gitOutput(s.clone, ["show", "main:PATCHED.md"]),
      "patched weave_server_sdk (python)",
    );
    assertStringIncludes(
      await gitOutput(s.clone, ["show", "main:weave_server_sdk/__init__.py"]),
      "# patched by post_generate",
    );
    assert(await isEmptyDir(s.tmp), "temporary files left behind");
  } finally {
    await removeAll(s.trace, s.clone, s.tmp);
  }
});

Deno.test("--strict-config: drift is an error listing every entry; the clone is untouched", async () => {
  const s = await setup();
  try {
    const before = await head(s.clone);
    const result = await s.run(["--generator", "stainful", "--strict-config"]);
    assertEquals(result.code, 1, result.stderr);
    assertStringIncludes(result.stderr, "6 entries do not match the spec (strict_config)");
    for (const method of DRIFTED) assertStringIncludes(result.stderr, `: ${method}: `);
    assertEquals(await head(s.clone, "main"), before);
    assert(await isEmptyDir(s.tmp), "temporary files left behind");
  } finally {
    await removeAll(s.trace, s.clone, s.tmp);
  }
});

Deno.test("a failing post_generate hook stops the run with its output; the clone is untouched", async () => {
  const s = await setup();
  try {
    const before = await head(s.clone);
    const result = await s.run([
      "--generator",
      "stainful",
      "--post-generate",
      "python {repo_root}/tools/codegen/patch.py {package} {target}",
      "--post-generate",
      "python -c 'import sys; print(\"patch does not apply: hunk 2 failed\"); sys.exit(3)'",
    ]);
    assertEquals(result.code, 1, result.stderr);
    assertStringIncludes(result.stderr, "post_generate hook 2");
    assertStringIncludes(result.stderr, "exit code 3");
    assertStringIncludes(result.stderr, "patch does not apply: hunk 2 failed");
    assertStringIncludes(
      result.stderr,
      `Its output is shown with this error (--json: error.details). The clone ${s.clone} was not changed.`,
    );
    assertEquals(await head(s.clone, "main"), before);
    assertEquals(await gitOutput(s.clone, ["status", "--porcelain"]), "");
    assert(await isEmptyDir(s.tmp), "temporary files left behind");
  } finally {
    await removeAll(s.trace, s.clone, s.tmp);
  }
});

Deno.test("--dry-run plans the prepared inputs and the hooks, and runs nothing", async () => {
  const s = await setup();
  try {
    const result = await s.run([
      "--generator",
      "stainful",
      "--post-generate",
      "ruff format .",
      "--post-generate",
      "python {repo_root}/tools/codegen/patch.py {package} {target}",
      "--dry-run",
      "--json",
    ]);
    assertEquals(result.code, 0, result.stderr);
    const plan: string[] = JSON.parse(result.stdout).plan;
    assertEquals(plan.slice(0, 2), [
      "apply the openapi.transformations of tools/codegen/openapi.stainless.yml to a temporary copy of the spec ({oas})",
      "drop config methods whose endpoint the spec lacks from a temporary copy of tools/codegen/openapi.stainless.yml ({config}), warning for each; leave the transformations (applied to {oas}) and references to missing endpoints (readme.example_requests, unspecified_endpoints) out of it",
    ]);
    assertMatch(
      plan[2],
      /--spec '<temporary directory>\/inputs\/openapi\.json' --config '<temporary directory>\/inputs\/openapi\.stainless\.yml'/,
    );
    assertEquals(plan[3], "run post_generate hook 1 `ruff format .` in the generated python tree");
    // Placeholders filled in, as the run would.
    assertEquals(
      plan[4],
      `run post_generate hook 2 \`python ${s.trace}/tools/codegen/patch.py weave_server_sdk python\` in the generated python tree`,
    );
    assertEquals(await treeFiles(s.clone), ["README.md"]);
  } finally {
    await removeAll(s.trace, s.clone, s.tmp);
  }
});

Deno.test("stainful's TypeScript preset: the package directory it writes becomes the tree", async () => {
  const s = await setup();
  const ts = await makeClone({ "README.md": "# weave-server-sdk\n" });
  try {
    const result = await runCli([
      "--repo-root",
      s.trace,
      "generate_code",
      "--typescript-output",
      ts,
      "--generator",
      "stainful",
      "--json",
    ], { env: { TMPDIR: s.tmp } });
    assertEquals(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assertEquals(json.targets.typescript.changed, true);
    assertMatch(json.sdk_api.skipped, /no Python SDK was generated/);
    const files = await treeFiles(ts);
    for (const file of ["package.json", "tsconfig.json", "src/index.ts", "src/client.ts"]) {
      assert(files.includes(file), `${file} at the root of the tree: ${files.join(", ")}`);
    }
    assert(files.includes("src/resources/calls.ts"));
    assertStringIncludes(await gitOutput(ts, ["show", "main:src/client.ts"]), "class WeaveTrace");
  } finally {
    await removeAll(s.trace, s.clone, s.tmp, ts);
  }
});

Deno.test("openapi-python-client gets the transformed spec only (it does not read the config)", async () => {
  const s = await setup();
  try {
    const result = await s.run([
      "--generator",
      "openapi-python-client",
      "--strict-config",
      "--json",
    ]);
    assertEquals(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    // The transformations were applied for it too (one of them matches nothing in this spec);
    // no drift for a generator that never sees the config: strict_config has nothing to stop.
    // (The generator's own warning, the endpoint it skips, comes after codegen's.)
    const own = json.warnings.filter((w: Warning) => w.source === "codegen");
    assertEquals(own.length, 1, JSON.stringify(json.warnings));
    assertEquals(
      json.warnings.filter((w: Warning) => w.source !== "codegen").map((w: Warning) => w.source),
      ["openapi-python-client"],
    );
    assertMatch(
      own[0].message,
      /openapi\.stainless\.yml:287: transformation renameKey: .* matches nothing/,
    );
    const files = await treeFiles(s.clone);
    assert(files.includes("weave_server_sdk/models/gte_operation.py"), files.join(", "));
    assertEquals(files.filter((f) => /__pycache__|\.py[co]$/.test(f)), []);
  } finally {
    await removeAll(s.trace, s.clone, s.tmp);
  }
});
