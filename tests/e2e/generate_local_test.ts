/**
 * Local generators: argv templates and presets, and the `command` backend end to end (CLI as a
 * subprocess, a real generator process, real git clones).
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../helpers/assert.ts";
import { join } from "node:path";
import { type CliResult, PROJECT_ROOT, PYTHON, runCli } from "../helpers/cli.ts";
import {
  exportExampleSpec,
  head,
  makeClone,
  makeTraceRepo,
  removeAll,
  treeFiles,
} from "../helpers/sdk_clone.ts";
import { expandArgv } from "../../lib/generate/command/argv.ts";
import { getGenerator } from "../../lib/generate/registry.ts";
import type { GenerateInput, TargetClone } from "../../lib/generate/types.ts";
import type { CommandGenerator } from "../../lib/generate/command/generator.ts";
import { Settings } from "../../lib/config/settings.ts";
import { gitOutput } from "../../lib/git/git.ts";
import { acquireLock } from "../../lib/os/lock.ts";

const FAKE_GENERATOR = `${PROJECT_ROOT}/tests/fixtures/fake_generator.py`;

function settings(repoRoot: string, flags: Record<string, unknown> = {}): Settings {
  const configFile = {
    path: join(repoRoot, "generate_config.yaml"),
    exists: false,
    values: {},
    placeholders: {},
    warnings: [],
  };
  return new Settings({ repoRoot, cwd: repoRoot, configFile, flags, env: {} });
}

function input(repoRoot: string, s: Settings, targets: TargetClone[]): GenerateInput {
  return {
    repoRoot,
    specPath: join(repoRoot, "tools/codegen/openapi.json"),
    stainlessConfigPath: join(repoRoot, "tools/codegen/openapi.stainless.yml"),
    targets,
    settings: s,
    dryRun: true,
  };
}

Deno.test("expandArgv fills placeholders inside arguments and rejects unknown ones", () => {
  assertEquals(expandArgv(["gen", "--out={out}", "{package}"], { out: "/tmp/o", package: "pkg" }), [
    "gen",
    "--out=/tmp/o",
    "pkg",
  ]);
  assertThrows(() => expandArgv(["gen", "{outt}"], { out: "/o" }), /unknown placeholder \{outt\}/);
});

Deno.test("stlc preset: argv construction (stlc itself is not available here)", async () => {
  const repo = await makeTraceRepo();
  try {
    const targets: TargetClone[] = [{
      target: "typescript",
      clone: "/sdk/ts",
      source: "--typescript-path",
    }];
    const stlc = (await getGenerator("stlc", settings(repo))) as CommandGenerator;
    const argv = await stlc.argvFor(targets[0], input(repo, settings(repo), targets), "/work");
    assertEquals(argv.slice(1), [
      "generate",
      "--oas",
      join(repo, "tools/codegen/openapi.json"),
      "--config",
      join(repo, "tools/codegen/openapi.stainless.yml"),
      "--target",
      "typescript",
      "--out",
      "/work/out",
    ]);
    assertMatch(argv[0], /(^|\/)stlc$/);
    // Teams set the argv of their stlc release through generator_command.
    const custom = settings(repo, {
      generator_command: "stlc build --spec {oas} --stainless-config {config} -o {out} {target}",
    });
    const mine = (await getGenerator("stlc", custom)) as CommandGenerator;
    assertEquals((await mine.argvFor(targets[0], input(repo, custom, targets), "/w")).slice(1), [
      "build",
      "--spec",
      join(repo, "tools/codegen/openapi.json"),
      "--stainless-config",
      join(repo, "tools/codegen/openapi.stainless.yml"),
      "-o",
      "/w/out",
      "typescript",
    ]);
    // Without stlc installed, a real run stops before doing anything, saying what to install.
    const real = { ...input(repo, settings(repo), targets), dryRun: false };
    const error = assertThrows(() => mine.preflight(real), /`stlc` not found/);
    assertStringIncludes((error as { hint?: string }).hint ?? "", "self-hosted");
  } finally {
    await removeAll(repo);
  }
});

Deno.test("openapi-python-client preset: pinned executable, package name and its own config file", async () => {
  const repo = await makeTraceRepo();
  const work = await Deno.makeTempDir();
  try {
    const targets: TargetClone[] = [{
      target: "python",
      clone: "/sdk/py",
      source: "--python-path",
    }];
    const s = settings(repo);
    const opc = (await getGenerator("openapi-python-client", s)) as CommandGenerator;
    const argv = await opc.argvFor(targets[0], { ...input(repo, s, targets), dryRun: false }, work);
    assertEquals(argv[0], `${PROJECT_ROOT}/.venv/bin/openapi-python-client`);
    assertEquals(argv.slice(1, 8), [
      "generate",
      "--path",
      join(repo, "tools/codegen/openapi.json"),
      "--output-path",
      `${work}/out`,
      "--meta",
      "setup",
    ]);
    const config = JSON.parse(await Deno.readTextFile(argv[9]));
    // No package_name configured: it comes from targets.python.package_name of the Stainless config.
    assertEquals(config.package_name_override, "weave_server_sdk");
    assertEquals(config.content_type_overrides, {
      "application/jsonl": "application/octet-stream",
    });
    await assertRejects(async () => {
      const ts: TargetClone = { target: "typescript", clone: "/sdk/ts", source: "x" };
      await opc.preflight(input(repo, s, [ts]));
    }, /cannot generate the typescript SDK/);
  } finally {
    await removeAll(repo, work);
  }
});

interface Local {
  repo: string;
  clone: string;
  tmp: string;
  run(args: string[]): Promise<CliResult>;
}

async function local(): Promise<Local> {
  const repo = await makeTraceRepo();
  const clone = await makeClone({
    "stale.py": "old\n",
    "src/custom/keep.py": "mine\n",
    "README.md": "readme\n",
  });
  const tmp = await Deno.makeTempDir({ prefix: "gen-tmpdir-" });
  const fake = (extra: string) =>
    `${PYTHON} ${FAKE_GENERATOR} --spec {oas} --out {out} --package {package} ${extra}`;
  return {
    repo,
    clone,
    tmp,
    run: (args) => {
      const i = args.indexOf("--fake");
      const argv = i < 0 ? args : [
        ...args.slice(0, i),
        "--generator",
        "command",
        "--generator-command",
        fake(args[i + 1]),
        ...args.slice(i + 2),
      ];
      // TMPDIR: the generator's temporary directory must be gone afterwards.
      return runCli(["--repo-root", repo, "generate_code", "--python-path", clone, ...argv], {
        env: { TMPDIR: tmp },
      });
    },
  };
}

async function isEmptyDir(dir: string): Promise<boolean> {
  for await (const _ of Deno.readDir(dir)) return false;
  return true;
}

Deno.test("command backend: output replaces main's tree; stale files go, preserved paths stay", async () => {
  const l = await local();
  try {
    const before = await head(l.clone);
    const result = await l.run([
      "--fake",
      "",
      "--preserve",
      "src/custom,README.md",
      "--package-name",
      "my_sdk",
    ]);
    assertEquals(result.code, 0, result.stderr);
    const tip = await head(l.clone, "main");
    assertEquals(await gitOutput(l.clone, ["rev-parse", "main^"]), before);
    assertEquals(await treeFiles(l.clone), [
      ".codegen/origin.json",
      "README.md",
      "my_sdk/__init__.py",
      "pyproject.toml",
      "src/custom/keep.py",
    ]);
    assertEquals(
      await Deno.readTextFile(join(l.clone, "my_sdk/__init__.py")),
      "PATHS = ['/health']\n",
    );
    assertEquals(await Deno.stat(join(l.clone, "stale.py")).catch(() => null), null);
    assertEquals(result.stdout.trim(), `python\t${l.clone}\tmain ${tip}\tupdated`);
    assert(await isEmptyDir(l.tmp), "temporary directory left behind");
    // Same input again: nothing changes (the generator is not even run: main is up to date).
    const again = await l.run([
      "--fake",
      "",
      "--preserve",
      "src/custom,README.md",
      "--package-name",
      "my_sdk",
    ]);
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stdout, "up to date");
    assertEquals(await head(l.clone, "main"), tip);
  } finally {
    await removeAll(l.repo, l.clone, l.tmp);
  }
});

Deno.test("command backend: a crashing generator shows its output and leaves the clone untouched", async () => {
  const l = await local();
  try {
    const before = await head(l.clone);
    const result = await l.run(["--fake", "--crash"]);
    assertEquals(result.code, 1);
    assertStringIncludes(result.stderr, "generator command (python) failed");
    assertStringIncludes(result.stderr, "exit code 3");
    assertStringIncludes(result.stderr, "fake_generator: error: cannot handle");
    assertStringIncludes(result.stderr, "was not changed");
    assertEquals(result.stdout, "");
    assertEquals(await head(l.clone, "main"), before);
    assertEquals(await gitOutput(l.clone, ["status", "--porcelain"]), "");
    assert(await isEmptyDir(l.tmp), "temporary directory left behind");

    const nothing = await l.run(["--fake", "--nothing"]);
    assertEquals(nothing.code, 1);
    assertStringIncludes(nothing.stderr, "wrote nothing to {out}");
  } finally {
    await removeAll(l.repo, l.clone, l.tmp);
  }
});

Deno.test("command backend: a dirty main is refused before the generator runs", async () => {
  const l = await local();
  try {
    await Deno.writeTextFile(join(l.clone, "stale.py"), "edited\n");
    const result = await l.run(["--fake", "--crash"]); // would fail differently if it ran
    assertEquals(result.code, 1);
    assertStringIncludes(result.stderr, "has uncommitted changes");
    assert(!result.stderr.includes("fake_generator"), result.stderr);
    assertEquals(await Deno.readTextFile(join(l.clone, "stale.py")), "edited\n");
  } finally {
    await removeAll(l.repo, l.clone, l.tmp);
  }
});

Deno.test("command backend --dry-run: .git/index untouched, no temporary directory, no commit", async () => {
  const l = await local();
  try {
    const index = join(l.clone, ".git", "index");
    const before = await Deno.readFile(index);
    const main = await head(l.clone, "main");
    // Same content, new mtime: a plain `git status` would refresh the index's stat cache.
    await Deno.utime(join(l.clone, "stale.py"), 1_000_000_000, 1_000_000_000);
    const result = await l.run(["--fake", "", "--dry-run"]);
    assertEquals(result.code, 0, result.stderr);
    assertMatch(
      result.stderr,
      /\[dry-run\] would run `.*fake_generator\.py .*<temporary directory>/,
    );
    assertEquals(await Deno.readFile(index), before, ".git/index is byte-identical");
    assertEquals(await head(l.clone, "main"), main);
    assert(await isEmptyDir(l.tmp), "a dry run creates no temporary directory");
  } finally {
    await removeAll(l.repo, l.clone, l.tmp);
  }
});

Deno.test("command backend: a clone locked by another run is refused at once, naming the PID", async () => {
  const l = await local();
  try {
    const main = await head(l.clone, "main");
    const held = await acquireLock(join(l.clone, ".git", "codegen.lock"), "test");
    try {
      const result = await l.run(["--fake", ""]);
      assertEquals(result.code, 1, result.stderr);
      assertStringIncludes(result.stderr, `in use by another codegen run: PID ${Deno.pid}`);
      assertEquals(await head(l.clone, "main"), main);
    } finally {
      await held.release();
    }
    const free = await l.run(["--fake", ""]);
    assertEquals(free.code, 0, free.stderr);
    assertEquals(await Deno.stat(join(l.clone, ".git", "codegen.lock")).catch(() => null), null);
  } finally {
    await removeAll(l.repo, l.clone, l.tmp);
  }
});

Deno.test("generator choice: usage errors for unknown names, missing argv, missing paths", async () => {
  const l = await local();
  try {
    const unknown = await l.run(["--generator", "openapi-generator"]);
    assertEquals(unknown.code, 2);
    assertStringIncludes(unknown.stderr, "unknown generator `openapi-generator`");
    assertStringIncludes(
      unknown.stderr,
      "stainless, openapi-python-client, stainful, stlc, command",
    );
    const noArgv = await l.run(["--generator", "command"]);
    assertEquals(noArgv.code, 2);
    assertStringIncludes(noArgv.stderr, "needs generator_command");
    const noPath = await runCli([
      "--repo-root",
      l.repo,
      "generate_code",
      "--generator",
      "stainful",
    ]);
    assertEquals(noPath.code, 2);
    assertStringIncludes(
      noPath.stderr,
      "at least one of --python-path, --node-path, --typescript-path",
    );
    // The config file chooses the generator when no flag does.
    await Deno.writeTextFile(
      join(l.repo, "tools/codegen/generate_config.yaml"),
      "generator: nope\n",
    );
    const fromConfig = await l.run([]);
    assertEquals(fromConfig.code, 2);
    assertStringIncludes(fromConfig.stderr, "unknown generator `nope`");
  } finally {
    await removeAll(l.repo, l.clone, l.tmp);
  }
});

Deno.test("stainful preset: generates the Python package from the spec and openapi.stainless.yml", async () => {
  const l = await local();
  try {
    await exportExampleSpec(join(l.repo, "tools/codegen/openapi.json"));
    const result = await l.run(["--generator", "stainful", "-n", "--json"]);
    assertEquals(result.code, 0, result.stderr);
    assertMatch(result.stderr, /\[dry-run\] would run `\S*stainful generate --spec /);
    const planned = JSON.parse(result.stdout);
    assertEquals([planned.command, planned.ok, planned.dryRun], ["generate_code", true, true]);
    assertEquals(planned.generator, "stainful");
    const real = await l.run(["--generator", "stainful"]);
    assertEquals(real.code, 0, real.stderr);
    const files = await treeFiles(l.clone);
    assert(files.includes("weave_server_sdk/_client.py"), files.join("\n"));
    assert(files.includes("src/custom/keep.py") === false, "no preserve configured: replaced");
  } finally {
    await removeAll(l.repo, l.clone, l.tmp);
  }
});
