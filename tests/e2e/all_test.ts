/**
 * `codegen all` end to end: the example trace server really started (uvicorn), the local
 * generator openapi-python-client really run, real pushes to a bare repository that is the SDK
 * clone's origin, the pin read back from pyproject.toml. The CLI runs as a subprocess.
 */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertNotMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { cliEnv, PROJECT_ROOT, runCli } from "../helpers/cli.ts";
import { run } from "../../lib/os/process.ts";
import { snapshotRepos } from "../helpers/tree_snapshot.ts";
import { refsOf } from "../helpers/tree_snapshot.ts";
import { createWorkspace, gitRun, type Workspace } from "../../scripts/demo_workspace.ts";
import { freeEphemeralPort } from "../../lib/os/ports.ts";
import { sha256Hex } from "../../lib/core/sha256.ts";
import { acquireLock } from "../../lib/os/lock.ts";

const GENERATOR = "openapi-python-client";
/** No user or system git config: the tool must bring its own fallbacks. */
const ENV = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };

async function withWorkspace(
  fn: (ws: Workspace) => Promise<void>,
  options: Parameters<typeof createWorkspace>[0] = {},
) {
  const ws = await createWorkspace(options);
  try {
    await fn(ws);
  } finally {
    await ws.dispose();
  }
}

async function writeConfig(
  ws: Workspace,
  lines: string[],
  path = join(ws.trace, "tools/codegen/generate_config.yaml"),
): Promise<string> {
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return path;
}

/** The usual config: everything `all` needs, so the command line can stay empty. */
function baseConfig(ws: Workspace): string[] {
  return [
    `python_output: ${ws.sdk}`,
    "package_name: weave_server_sdk",
    `generator: ${GENERATOR}`,
    `port: ${freeEphemeralPort()}`,
  ];
}

function all(ws: Workspace, args: string[] = [], env: Record<string, string> = {}) {
  return runCli(["all", ...args], { cwd: ws.trace, env: { ...ENV, ...env }, timeoutMs: 300_000 });
}

/** "  label      text" rows of the summary. */
function summaryRow(stdout: string, label: string): string {
  const line = stdout.split("\n").find((l) => l.startsWith(`  ${label.padEnd(10)} `));
  assert(line, `no "${label}" row in the summary:\n${stdout}`);
  return line.slice(13);
}

async function remoteBranch(ws: Workspace, ref: string): Promise<string> {
  return await gitRun(ws.bare, "for-each-ref", "--format=%(objectname)", ref);
}

Deno.test("all: spec, generate, push the mirror branch, pin it; a --json rerun matches the summary", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    const remoteMain = await remoteBranch(ws, "refs/heads/main");
    const first = await all(ws);
    assertEquals(first.code, 0, first.stderr);
    // Stage headers with elapsed times, on stderr.
    for (const stage of ["check", "spec", "generate", "merge"]) {
      assertMatch(first.stderr, new RegExp(`\\[${stage}\\] ── \\d/4 ${stage}:`));
      assertMatch(first.stderr, new RegExp(`\\[${stage}\\] ${stage} done in \\d+\\.\\d s`));
    }

    const specText = await Deno.readTextFile(join(ws.trace, "tools/codegen/openapi.json"));
    const specSha = await sha256Hex(specText);
    assertStringIncludes(summaryRow(first.stdout, "spec"), `8 operations`);
    assertStringIncludes(summaryRow(first.stdout, "spec"), `sha256 ${specSha}`);
    assertEquals(summaryRow(first.stdout, "generator"), GENERATOR);

    const mirror = await remoteBranch(ws, "refs/heads/weave/my-feature");
    assertMatch(mirror, /^[0-9a-f]{40}$/);
    assertEquals(summaryRow(first.stdout, "pushed"), `weave/my-feature ${mirror} (pushed)`);
    const sdkMain = await gitRun(ws.sdk, "rev-parse", "main");
    assertEquals(
      await gitRun(ws.bare, "rev-parse", `${mirror}^{tree}`),
      await gitRun(ws.sdk, "rev-parse", `${sdkMain}^{tree}`),
      "the mirror commit holds the generated tree",
    );
    assertEquals(await gitRun(ws.bare, "rev-parse", `${mirror}^`), remoteMain);
    assertEquals(await remoteBranch(ws, "refs/heads/main"), remoteMain, "main is never pushed");
    const files = await gitRun(ws.bare, "ls-tree", "-r", "--name-only", mirror);
    assertStringIncludes(files, "weave_server_sdk/client.py");

    const entry = `weave_server_sdk @ git+file://${ws.bare}@${mirror}`;
    const pyproject = await Deno.readTextFile(ws.pyproject);
    assertStringIncludes(pyproject, `"${entry}",`);
    assertStringIncludes(pyproject, "allow-direct-references = true");
    assertEquals(summaryRow(first.stdout, "pyproject"), `${ws.pyproject}: ${entry} (written)`);

    // Second run, JSON: exactly one object on stdout, with the same facts; nothing new to push.
    const second = await all(ws, ["--json"]);
    assertEquals(second.code, 0, second.stderr);
    const result = JSON.parse(second.stdout);
    assertEquals(result.ok, true);
    assertEquals(result.dryRun, false);
    assertEquals(result.spec.sha256, specSha);
    assertEquals(result.spec.operations, 8);
    assertEquals(result.generate.generator, GENERATOR);
    assertEquals(result.generate.targets.python.changed, false);
    assertEquals(result.generate.targets.python.commit, sdkMain);
    assertEquals(result.merge.branch, "weave/my-feature");
    assertEquals(result.merge.commit, mirror);
    assertEquals(result.merge.noop, true);
    assertEquals(result.pyproject.entry, entry);
    assertEquals(result.pyproject.changed, false);
    assertEquals(
      result.stages.map((s: { name: string; status: string }) => `${s.name}:${s.status}`),
      ["check:done", "spec:done", "generate:done", "merge:done"],
    );
    assertEquals(await remoteBranch(ws, "refs/heads/weave/my-feature"), mirror);
  });
});

Deno.test("all --no-auto-merge: flags override the config file; pins the local commit, pushes nothing", async () => {
  await withWorkspace(async (ws) => {
    // Every value here is wrong for this run and must lose against the flags below.
    const config = join(ws.root, "ci-config.yaml");
    await writeConfig(ws, [
      `python_output: ${join(ws.root, "no-such-clone")}`,
      "package_name: wrong_package",
      "generator: stainless",
      "auto_merge: true",
      `port: ${freeEphemeralPort()}`,
    ], config);
    const before = await refsOf(ws.bare);
    const initial = await gitRun(ws.sdk, "rev-parse", "main");
    const r = await all(ws, [
      "--config",
      config,
      "--python-output",
      ws.sdk,
      "--package-name",
      "weave_server_sdk",
      "--generator",
      GENERATOR,
      "--no-auto-merge",
      "--port",
      String(freeEphemeralPort()),
    ], { STAINLESS_API_KEY: "", GITHUB_TOKEN: "" });
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, /\[pin\] ── 4\/4 pin:/);
    assertNotMatch(r.stderr, /\[merge\]/);
    assertEquals(await refsOf(ws.bare), before, "nothing was pushed");
    const generated = await gitRun(ws.sdk, "rev-parse", "main");
    assertNotEquals(generated, initial);
    const entry = `weave_server_sdk @ git+file://${ws.bare}@${generated}`;
    assertStringIncludes(await Deno.readTextFile(ws.pyproject), `"${entry}",`);
    assertNotMatch(await Deno.readTextFile(ws.pyproject), /wrong_package/);
    assertEquals(summaryRow(r.stdout, "generator"), GENERATOR);
    assertStringIncludes(summaryRow(r.stdout, "pushed"), "nothing (--no-auto-merge)");
    // The config file was really read: its port would be used without the flag.
    const fromFile = await all(ws, ["--config", config, "--dry-run", "--json"]);
    assertEquals(fromFile.code, 2, "python_output from the file does not exist");
    assertStringIncludes(fromFile.stderr, join(ws.root, "no-such-clone"));
    assertEquals(JSON.parse(fromFile.stdout).error.stage, "check");
    assertEquals(summaryRow(r.stdout, "pyproject"), `${ws.pyproject}: ${entry} (written)`);
  });
});

Deno.test("all --release (auto-merge): pushes the mirror branch, then pins ==version of the pushed commit", async () => {
  const sdkFiles = {
    "README.md": "# SDK\n",
    "pyproject.toml": '[project]\nname = "weave_server_sdk"\nversion = "1.2.3"\n',
  };
  await withWorkspace(async (ws) => {
    // openapi-python-client writes no [project].version: the SDK keeps its own pyproject.toml.
    await writeConfig(ws, [...baseConfig(ws), "preserve: [pyproject.toml]"]);
    const r = await all(ws, ["--release", "--json"]);
    assertEquals(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    const mirror = await remoteBranch(ws, "refs/heads/weave/my-feature");
    assertEquals(result.release, true);
    assertEquals(result.merge.commit, mirror);
    assertEquals(result.merge.pushed, true);
    assertEquals(result.pyproject.entry, "weave_server_sdk==1.2.3");
    const pyproject = await Deno.readTextFile(ws.pyproject);
    assertStringIncludes(pyproject, `"weave_server_sdk==1.2.3",`);
    assertNotMatch(pyproject, /allow-direct-references/);
    assertStringIncludes(await gitRun(ws.bare, "show", `${mirror}:pyproject.toml`), "1.2.3");
  }, { sdkFiles });
});

Deno.test("all --dry-run prints the plan and leaves repositories, files and remote byte-identical", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    const dirs = [ws.trace, ws.sdk, ws.bare];
    const before = await snapshotRepos(dirs);
    // No spec yet: the plan still covers every stage.
    const r = await all(ws, ["--dry-run"]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(await snapshotRepos(dirs), before);
    assertStringIncludes(r.stdout, "nothing was changed");
    assertMatch(r.stdout, /spec: run `.*uvicorn weave\.trace_server\.reference\.server:app/);
    assertMatch(r.stdout, /generate: run `\S*openapi-python-client generate --path /);
    assertStringIncludes(r.stdout, `generate: move refs/heads/main of ${ws.sdk}`);
    assertStringIncludes(r.stdout, "(git push --force-with-lease; main is never pushed)");
    assertStringIncludes(r.stdout, "refs/heads/weave/my-feature");
    assertStringIncludes(r.stdout, `merge: write ${ws.pyproject}: weave_server_sdk @ git+file://`);
    assertStringIncludes(r.stdout, "@<that commit>");

    // With a spec present the generator's own dry run runs too; --json gives the plan as data.
    const spec = await runCli([
      "get_openapi_spec",
      "--app",
      "weave.trace_server.reference.server:app",
    ], {
      cwd: ws.trace,
    });
    assertEquals(spec.code, 0, spec.stderr);
    const withSpec = await snapshotRepos(dirs);
    const tmp = await Deno.makeTempDir({ prefix: "codegen-dry-tmp-" });
    const json = await all(ws, ["--dry-run", "--json", "--no-auto-merge"], { TMPDIR: tmp });
    assertEquals(json.code, 0, json.stderr);
    assertEquals(await snapshotRepos(dirs), withSpec);
    assertEquals([...Deno.readDirSync(tmp)], [], "no temporary directory was created");
    await Deno.remove(tmp);
    const runs = json.stderr.match(/would run `\S*openapi-python-client generate/g) ?? [];
    assertEquals(runs.length, 1, `the generator is planned once:\n${json.stderr}`);
    const result = JSON.parse(json.stdout);
    assertEquals(result.dryRun, true);
    assertEquals(result.spec.written, false);
    assertEquals(result.pyproject.written, false);
    assert(result.plan.some((line: string) => line.startsWith("pin: write ")), json.stdout);
    assertStringIncludes(json.stderr, "[dry-run] would run");
  });
});

Deno.test("a failing stage is named, with what is done and what is not (text and --json)", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    await Deno.remove(ws.bare, { recursive: true }); // origin is gone: the merge stage fails
    const pyprojectBefore = await Deno.readTextFile(ws.pyproject);
    const r = await all(ws, ["--json"]);
    assertEquals(r.code, 1, r.stderr);
    assertMatch(r.stderr, /error: merge stage failed: /);
    assertMatch(
      r.stderr,
      /done: check \(.*\); spec \(wrote \S+openapi\.json: 8 operations, .*\); generate \(python main /,
    );
    assertStringIncludes(r.stderr, "not done: merge (nothing pushed; pyproject.toml not changed)");
    const result = JSON.parse(r.stdout);
    assertEquals(result.ok, false);
    assertEquals(result.error.stage, "merge");
    assertEquals(result.stages.map((s: { status: string }) => s.status), [
      "done",
      "done",
      "done",
      "failed",
    ]);
    assertEquals(await Deno.readTextFile(ws.pyproject), pyprojectBefore);
  });
});

Deno.test("a pin failing after the push: the report says what was pushed (text and --json)", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    // Runs during the push, after the branch moved: pyproject.toml becomes unreadable TOML.
    const hook = join(ws.bare, "hooks", "post-receive");
    await Deno.writeTextFile(hook, `#!/bin/sh\nprintf 'broken = [' > '${ws.pyproject}'\n`);
    await Deno.chmod(hook, 0o755);
    const r = await all(ws, ["--json"]);
    assertEquals(r.code, 1, r.stderr);
    const mirror = await remoteBranch(ws, "refs/heads/weave/my-feature");
    assertMatch(mirror, /^[0-9a-f]{40}$/);
    const short = mirror.slice(0, 12);
    assertStringIncludes(r.stderr, `merge stage failed: pushed ${short} to weave/my-feature`);
    assertStringIncludes(
      r.stderr,
      `not done: merge (pushed ${short} to weave/my-feature; pyproject.toml not changed)`,
    );
    const result = JSON.parse(r.stdout);
    assertEquals([result.ok, result.error.stage], [false, "merge"]);
    assertEquals(result.merge.commit, mirror);
    assertEquals([result.merge.pushed, result.merge.noop], [true, false]);
  });
});

Deno.test("the check stage refuses before anything is written: not a clone, the trace repo, dirty, locked", async () => {
  await withWorkspace(async (ws) => {
    const spec = join(ws.trace, "tools/codegen/openapi.json");
    const traceRefs = await refsOf(ws.trace);
    const flags = ["--package-name", "weave_server_sdk", "--generator", GENERATOR];
    const run = (pythonOutput: string) =>
      all(ws, ["--python-output", pythonOutput, ...flags, "--port", String(freeEphemeralPort())]);
    await Deno.mkdir(join(ws.trace, "sdkdir")); // a wrong python_output inside the trace repository
    const sub = await run("sdkdir");
    assertEquals(sub.code, 2, sub.stderr);
    assertStringIncludes(
      sub.stderr,
      `check stage failed: python SDK clone ${ws.trace}/sdkdir is not a repository of its own`,
    );
    assertStringIncludes(sub.stderr, `inside the git repository ${ws.trace}`);
    assertStringIncludes(sub.stderr, "--python-output");
    const itself = await run(".");
    assertEquals(itself.code, 2, itself.stderr);
    assertStringIncludes(itself.stderr, "is the trace repository");

    await Deno.writeTextFile(join(ws.sdk, "wip.txt"), "uncommitted\n");
    const dirty = await run(ws.sdk);
    assertEquals(dirty.code, 1, dirty.stderr);
    assertMatch(
      dirty.stderr,
      /check stage failed: python SDK clone: `main` is checked out .* uncommitted/,
    );
    await Deno.remove(join(ws.sdk, "wip.txt"));

    const held = await acquireLock(join(ws.sdk, ".git", "codegen.lock"), "test");
    try {
      const locked = await run(ws.sdk);
      assertEquals(locked.code, 1, locked.stderr);
      assertMatch(locked.stderr, /check stage failed: .* in use by another codegen run: PID \d+/);
      assertStringIncludes(locked.stderr, `PID ${Deno.pid}`);
    } finally {
      await held.release();
    }
    for (const r of [sub, itself, dirty]) assertNotMatch(r.stderr, /\[spec\]/);
    assertEquals(await Deno.stat(spec).then(() => true, () => false), false, "no spec written");
    assertEquals(await refsOf(ws.trace), traceRefs, "the trace repository's refs never moved");
  });
});

Deno.test("all without required values or a branch fails at once, before starting anything", async () => {
  await withWorkspace(async (ws) => {
    const missing = await all(ws, ["--package-name", "weave_server_sdk", "--json"]);
    assertEquals(missing.code, 2);
    assertEquals(JSON.parse(missing.stdout).ok, false, "--json: one object even then");
    assertMatch(missing.stderr, /missing required value `python_output`/);
    assertStringIncludes(missing.stderr, "--python-output");

    await gitRun(ws.trace, "checkout", "--quiet", "--detach");
    await writeConfig(ws, baseConfig(ws));
    const detached = await all(ws, [], { GITHUB_HEAD_REF: "", GITHUB_REF_NAME: "" });
    assertEquals(detached.code, 2, detached.stderr);
    assertMatch(detached.stderr, /error: check stage failed: .*detached HEAD/);
    assertStringIncludes(detached.stderr, "--trace-branch");
    assertNotMatch(detached.stderr, /\[spec\]/);
  });
});

Deno.test("make demo (scripts/demo.ts): summary, pyproject.toml diff, mirror branch; cleans up", async () => {
  const r = await run(Deno.execPath(), [
    "run",
    "--allow-all",
    "--quiet",
    `${PROJECT_ROOT}/scripts/demo.ts`,
  ], {
    cwd: PROJECT_ROOT,
    env: cliEnv(),
    clearEnv: true,
    check: false,
    timeoutMs: 300_000,
  });
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(r.stdout, "codegen all: done in");
  assertMatch(r.stdout, /^\+ {2}"weave_server_sdk @ git\+file:\/\/.*@[0-9a-f]{40}",$/m);
  assertMatch(
    r.stdout,
    /\(weave\/my-feature\) Update generated code from weave branch: my-feature/,
  );
  const root = /in (\/\S+)\/weave$/m.exec(r.stdout)?.[1];
  assert(root, r.stdout);
  assertEquals(await Deno.stat(root).then(() => true, () => false), false, "workspace removed");
});
