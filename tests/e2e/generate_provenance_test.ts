/**
 * generate_code and provenance, end to end (CLI as a subprocess, real git, a real generator
 * process): the origin stamp in the generated tree, no generator run when nothing changed (the
 * fake generator counts its runs), --regenerate, a changed spec or a hand-edited main regenerated;
 * generator warnings shown, listed and, with --fail-on warnings, fatal before main moves.
 */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { type CliResult, PROJECT_ROOT, PYTHON, runCli } from "../helpers/cli.ts";
import { head, makeClone, makeTraceRepo, removeAll } from "../helpers/sdk_clone.ts";
import { commitFiles } from "../helpers/git_fixtures.ts";
import { weaveFile } from "../helpers/weave.ts";
import { gitOutput } from "../../lib/git/git.ts";
import { sha256Hex } from "../../lib/core/sha256.ts";

const FAKE_GENERATOR = `${PROJECT_ROOT}/tests/fixtures/fake_generator.py`;

interface Setup {
  repo: string;
  clone: string;
  counter: string;
  /** `generate_code` with the fake generator (`extra`: more of its flags). */
  run(args?: string[], extra?: string): Promise<CliResult>;
  runs(): Promise<number>;
  cleanup(): Promise<void>;
}

async function setup(): Promise<Setup> {
  const repo = await makeTraceRepo();
  const clone = await makeClone();
  const counter = join(repo, "generator-runs.txt");
  return {
    repo,
    clone,
    counter,
    run: (args = [], extra = "") =>
      runCli([
        "--repo-root",
        repo,
        "generate_code",
        "--python-output",
        clone,
        "--package-name",
        "weave_server_sdk",
        "--generator",
        "command",
        "--generator-command",
        `${PYTHON} ${FAKE_GENERATOR} --spec {oas} --out {out} --package {package} --count ${counter} ${extra}`,
        ...args,
      ]),
    runs: async () =>
      (await Deno.readTextFile(counter).catch(() => "")).split("\n").filter(Boolean).length,
    cleanup: () => removeAll(repo, clone),
  };
}

Deno.test("generate_code: stamp written; unchanged rerun runs no generator; --regenerate, a new spec and a hand edit do", async () => {
  const s = await setup();
  try {
    const first = await s.run(["--json"]);
    assertEquals(first.code, 0, first.stderr);
    assertEquals(await s.runs(), 1);
    const main = await head(s.clone, "main");
    const stamp = JSON.parse(await gitOutput(s.clone, ["show", "main:.codegen/origin.json"]));
    const specBytes = await Deno.readFile(join(s.repo, "tools/codegen/openapi.json"));
    assertEquals(stamp["tools/codegen/openapi.json"], `sha256:${await sha256Hex(specBytes)}`);
    assertMatch(stamp["tools/codegen/openapi.stainless.yml"], /^sha256:[0-9a-f]{64}$/);
    assertEquals(stamp.codegen.generator, "command");
    assertEquals(stamp.codegen.generator_version, null); // a custom command is not asked
    assertEquals(stamp.codegen.package_name, "weave_server_sdk");
    assertEquals(stamp.codegen.configured_endpoints, 8);
    assertEquals(stamp.codegen.endpoint_groups, null);

    // Nothing changed: the generator is not started, main stays, the result says why.
    const second = await s.run(["--json"]);
    assertEquals(second.code, 0, second.stderr);
    assertEquals(await s.runs(), 1, "no generator run");
    const json = JSON.parse(second.stdout);
    assertEquals(json.targets.python.commit, main);
    assertEquals(json.targets.python.changed, false);
    assertMatch(json.targets.python.skipped, /generated from the same inputs .* and is intact/);
    assertStringIncludes(second.stderr, "python: up to date, not regenerated");
    assertEquals(await head(s.clone, "main"), main);
    const plan = await s.run(["--dry-run"]);
    assertStringIncludes(plan.stderr, "would leave python main");
    assertEquals(await s.runs(), 1);

    // --regenerate runs it; the same output and inputs make no new commit.
    const forced = await s.run(["--regenerate"]);
    assertEquals(forced.code, 0, forced.stderr);
    assertEquals(await s.runs(), 2);
    assertEquals(await head(s.clone, "main"), main);

    // A new spec: generated again, and the new stamp has its hash.
    const spec = JSON.parse(new TextDecoder().decode(specBytes));
    spec.paths["/extra"] = { get: { responses: { "200": { description: "ok" } } } };
    await Deno.writeTextFile(join(s.repo, "tools/codegen/openapi.json"), JSON.stringify(spec));
    const changed = await s.run();
    assertEquals(changed.code, 0, changed.stderr);
    assertEquals(await s.runs(), 3);
    assertMatch(
      changed.stderr,
      /python: generating: inputs changed .*: the spec \(tools\/codegen\/openapi\.json\)/,
    );
    const regenerated = await head(s.clone, "main");
    assertNotEquals(regenerated, main);
    const newStamp = JSON.parse(await gitOutput(s.clone, ["show", "main:.codegen/origin.json"]));
    assertNotEquals(newStamp.codegen.inputs, stamp.codegen.inputs);

    // A hand edit of a generated file: main is not intact any more, so it is regenerated.
    await commitFiles(s.clone, {
      message: "hand edit",
      files: { "weave_server_sdk/__init__.py": "EDITED = True\n" },
    });
    const edited = await s.run();
    assertEquals(edited.code, 0, edited.stderr);
    assertEquals(await s.runs(), 4);
    assertStringIncludes(edited.stderr, "was changed after it was generated");
    assert(
      !(await gitOutput(s.clone, ["show", "main:weave_server_sdk/__init__.py"])).includes("EDITED"),
    );
    assertEquals(
      await gitOutput(s.clone, ["rev-parse", "main^{tree}"]),
      await gitOutput(s.clone, ["rev-parse", `${regenerated}^{tree}`]),
      "the same inputs gave the same tree, stamp included",
    );
  } finally {
    await s.cleanup();
  }
});

Deno.test("generator warnings: shown at normal verbosity with a count, listed in --json; --fail-on warnings fails before main moves", async () => {
  const s = await setup();
  try {
    const warned = await s.run(
      ["--json"],
      "--warn 'endpoint POST /x skipped' --warn 'key y ignored'",
    );
    assertEquals(warned.code, 0, warned.stderr);
    assertStringIncludes(warned.stderr, "warning: python: command: endpoint POST /x skipped");
    // One list, in the order found: codegen's own first (the example config has a transformation
    // that matches nothing in the spec; found while preparing the inputs), then the generator's.
    assertStringIncludes(warned.stderr, "warning: 3 warnings (listed above)");
    const [own, ...generator] = JSON.parse(warned.stdout).warnings;
    assertEquals(own.source, "codegen");
    assertMatch(
      own.message,
      /openapi\.stainless\.yml:\d+: transformation renameKey: .* matches nothing/,
    );
    assertEquals(generator, [
      { source: "command", target: "python", message: "endpoint POST /x skipped" },
      { source: "command", target: "python", message: "key y ignored" },
    ]);

    const before = await head(s.clone, "main");
    const failed = await s.run(
      ["--regenerate", "--fail-on", "warnings", "--json"],
      "--warn 'endpoint POST /x skipped' --package other_name",
    );
    assertEquals(failed.code, 1, failed.stderr);
    assertStringIncludes(failed.stderr, "2 warnings, and --fail-on has warnings");
    assertStringIncludes(failed.stderr, "was not changed");
    const failure = JSON.parse(failed.stdout);
    assertEquals(failure.ok, false);
    assertEquals(
      failure.warnings.map((w: { source: string }) => w.source),
      ["codegen", "command"],
      "--json lists the warnings the run stopped on",
    );
    assertEquals(await head(s.clone, "main"), before);
  } finally {
    await s.cleanup();
  }
});

Deno.test("openapi-python-client on the real Weave spec: the endpoint it skips is a warning", async () => {
  const repo = await makeTraceRepo(JSON.parse(await Deno.readTextFile(weaveFile("openapi.json"))));
  const clone = await makeClone();
  try {
    const result = await runCli([
      "--repo-root",
      repo,
      "generate_code",
      "--python-output",
      clone,
      "--package-name",
      "weave_server_sdk",
      "--generator",
      "openapi-python-client",
      "--json",
    ], { timeoutMs: 300_000 });
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(
      result.stderr,
      "warning: python: openapi-python-client: parsing POST /v2/{entity}/{project}/evaluations within evaluations. Endpoint will not be generated.",
    );
    assertStringIncludes(result.stderr, "Incorrect path templating");
    assertStringIncludes(result.stderr, "2 warnings (listed above)"); // and codegen's renameKey one
    const [warning] = JSON.parse(result.stdout).warnings
      .filter((w: { source: string }) => w.source === "openapi-python-client");
    assertEquals(warning.source, "openapi-python-client");
    assertMatch(warning.detail, /Path parameters do not match with path/);
    const stamp = JSON.parse(await gitOutput(clone, ["show", "main:.codegen/origin.json"]));
    assertEquals(stamp.codegen.generator_version, "0.29.1");
  } finally {
    await removeAll(repo, clone);
  }
});
