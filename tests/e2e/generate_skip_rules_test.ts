/**
 * What the skip decision of generate_code and vendor takes into account, end to end (the CLI as a
 * subprocess, real git, the fake generator counting its runs): the package name when only a hook
 * uses it, strict_config and --fail-on warnings on an up-to-date target, and dry runs that write
 * no generator-version cache.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { type CliResult, PROJECT_ROOT, PYTHON, runCli } from "../helpers/cli.ts";
import { makeClone, makeTraceRepo, removeAll } from "../helpers/sdk_clone.ts";
import { gitOutput } from "../../lib/git/git.ts";
import { exists } from "../../lib/core/fs.ts";

const FAKE_GENERATOR = `${PROJECT_ROOT}/tests/fixtures/fake_generator.py`;

interface Setup {
  repo: string;
  clone: string;
  run(args: string[], env?: Record<string, string>): Promise<CliResult>;
  runs(): Promise<number>;
}

/** generate_code with the fake generator; `argv`: its arguments after the spec and output. */
async function withSetup(argv: string, fn: (s: Setup) => Promise<void>): Promise<void> {
  const repo = await makeTraceRepo();
  const clone = await makeClone();
  const counter = join(repo, "generator-runs.txt");
  try {
    await fn({
      repo,
      clone,
      run: (args, env = {}) =>
        runCli([
          ...["--repo-root", repo, "generate_code", "--python-output", clone],
          ...["--generator", "command", "--generator-command"],
          `${PYTHON} ${FAKE_GENERATOR} --spec {oas} --out {out} --count ${counter} ${argv}`,
          ...args,
        ], { env }),
      runs: async () =>
        (await Deno.readTextFile(counter).catch(() => "")).split("\n").filter(Boolean).length,
    });
  } finally {
    await removeAll(repo, clone);
  }
}

Deno.test("a package name only a post_generate hook uses is an input: changing it regenerates", async () => {
  // The argv names the package literally: only the hook reads {package}.
  await withSetup("--package weave_server_sdk", async (s) => {
    const hook = [
      "--post-generate",
      `${PYTHON} -c 'import pathlib, sys; pathlib.Path("NAME.txt").write_text(sys.argv[1])' {package}`,
    ];
    const first = await s.run([...hook, "--package-name", "first_sdk"]);
    assertEquals(first.code, 0, first.stderr);
    const same = await s.run([...hook, "--package-name", "first_sdk"]);
    assertStringIncludes(same.stderr, "python: up to date, not regenerated");
    const renamed = await s.run([...hook, "--package-name", "second_sdk"]);
    assertEquals(renamed.code, 0, renamed.stderr);
    assertStringIncludes(renamed.stderr, 'package_name "first_sdk" → "second_sdk"');
    assertEquals(await s.runs(), 2);
    assertEquals(await gitOutput(s.clone, ["show", "main:NAME.txt"]), "second_sdk");
  });
});

Deno.test("strict_config and --fail-on warnings on an up-to-date target", async () => {
  // A generator that reads the config ({config}): the example config has methods SMALL_SPEC lacks.
  await withSetup("--package {package} --config {config}", async (s) => {
    const pkg = ["--package-name", "weave_server_sdk"];
    const first = await s.run(pkg);
    assertEquals(first.code, 0, first.stderr);
    assertStringIncludes(first.stderr, "is not in the spec");
    assertEquals(await s.runs(), 1);
    const main = await gitOutput(s.clone, ["rev-parse", "main"]);

    // Up to date, but the drift strict_config forbids is there: an error, nothing generated.
    const strict = await s.run([...pkg, "--strict-config"]);
    assertEquals(strict.code, 1, strict.stderr);
    assertStringIncludes(strict.stderr, "do not match the spec (strict_config)");
    assertEquals(await s.runs(), 1);

    // --fail-on warnings applies to what runs: the skipped target says its warnings are not
    // looked at again; --regenerate does look.
    const warnings = await s.run([...pkg, "--fail-on", "warnings"]);
    assertEquals(warnings.code, 0, warnings.stderr);
    assertStringIncludes(
      warnings.stderr,
      "(--fail-on warnings: the warnings of its last generation are not re-checked; " +
        "--regenerate re-checks them)",
    );
    const regenerated = await s.run([...pkg, "--fail-on", "warnings", "--regenerate"]);
    assertEquals(regenerated.code, 1, regenerated.stderr);
    assertStringIncludes(regenerated.stderr, "and --fail-on has warnings");
    assertEquals(await gitOutput(s.clone, ["rev-parse", "main"]), main);
  });
});

Deno.test("dry runs of generate_code and vendor write no generator-version cache", async () => {
  const repo = await makeTraceRepo();
  const clone = await makeClone();
  const cache = await Deno.makeTempDir({ prefix: "codegen-cache-" });
  const versions = join(cache, "codegen/generator-versions.json");
  try {
    const cli = (args: string[]) =>
      runCli(["--repo-root", repo, ...args], { env: { XDG_CACHE_HOME: cache } });
    const generator = [
      "--generator",
      "openapi-python-client",
      "--package-name",
      "weave_server_sdk",
    ];
    const plan = await cli(["generate_code", "--python-output", clone, ...generator, "--dry-run"]);
    assertEquals(plan.code, 0, plan.stderr);
    const vendor = await cli(["vendor", "--vendor-dir", "python=sdk", ...generator, "--dry-run"]);
    assertEquals(vendor.code, 0, vendor.stderr);
    assertEquals(await exists(versions), false, "a dry run writes nothing");
    // A real run (here: the one that generates) does cache the version.
    const real = await cli(["generate_code", "--python-output", clone, ...generator]);
    assertEquals(real.code, 0, real.stderr);
    assertEquals(await exists(versions), true);
  } finally {
    await removeAll(repo, clone, cache);
  }
});
