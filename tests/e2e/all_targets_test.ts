/**
 * `codegen all` with several targets: the Python SDK (openapi-python-client) and a TypeScript SDK
 * (stainful generate-ts, its own repository), each pushed to its own bare remote and pinned in
 * its own file: pyproject.toml, and a package.json of the trace repository with a one-line diff.
 * Also a run with a TypeScript target only (no Python value needed), a target whose generator
 * cannot produce it (a configuration error in the check stage, naming the target), and --release
 * with an up-to-date versionless target (stops before the other target's main moves).
 * A TypeScript SDK generated without a "version" is the same usage error (exit 2) under --release.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { gitIn } from "../helpers/git_fixtures.ts";
import { PROJECT_ROOT, PYTHON, runCli } from "../helpers/cli.ts";
import { EXAMPLE_APP } from "../helpers/example_server.ts";
import {
  addSdkRepo,
  all,
  commitToTrace,
  type ExtraSdk,
  remoteBranch,
  summaryRow,
  withWorkspace,
  writeConfig,
} from "../helpers/all_workspace.ts";
import type { Workspace } from "../helpers/workspace.ts";

const PACKAGE_JSON = "sdks/node/package.json";
const CONSUMER = `{
  "name": "weave-node",
  "version": "0.1.0",
  "dependencies": {
    "undici": "^6.0.0",
    "weave-server-sdk": "0.0.1"
  }
}
`;

/** The TypeScript target's config lines (under `targets:`). */
function typescriptTarget(ts: ExtraSdk): string[] {
  return [
    "  typescript:",
    `    output: ${ts.clone}`,
    "    generator: stainful",
    "    package_name: weave-server-sdk",
    `    package_json: ${PACKAGE_JSON}`,
    "    post_generate:",
    '      - [npm, pkg, set, "name={package}"]',
  ];
}

async function withTwoRepos(fn: (ws: Workspace, ts: ExtraSdk) => Promise<void>): Promise<void> {
  await withWorkspace(async (ws) => {
    const ts = await addSdkRepo(ws, "weave-server-sdk-ts");
    await commitToTrace(ws, { [PACKAGE_JSON]: CONSUMER });
    await fn(ws, ts);
  });
}

Deno.test("all with a Python and a TypeScript target: each pushed to its own remote and pinned in its own file", async () => {
  await withTwoRepos(async (ws, ts) => {
    await writeConfig(ws, [
      "generator: openapi-python-client",
      `port: ${ws.port}`,
      "targets:",
      "  python:",
      `    output: ${ws.sdk}`,
      "    package_name: weave_server_sdk",
      ...typescriptTarget(ts),
    ]);
    const first = await all(ws, ["--json"]);
    assertEquals(first.code, 0, first.stderr);
    const result = JSON.parse(first.stdout);
    const tsMirror = await gitIn(ts.bare, "rev-parse", "refs/heads/weave/my-feature");
    const pyMirror = await remoteBranch(ws, "refs/heads/weave/my-feature");
    assertEquals(result.targets.typescript.kind, "clone");
    assertEquals(result.targets.typescript.generator, "stainful");
    assertEquals(result.targets.typescript.merge.commit, tsMirror);
    assertEquals(result.targets.python.generator, "openapi-python-client");
    assertEquals(result.targets.python.merge.commit, pyMirror);
    assertEquals(result.merge.commit, pyMirror, "merge stays the Python target's");

    // The TypeScript mirror branch: stainful's package at the root, named by the hook, stamped.
    const files = await gitIn(ts.bare, "ls-tree", "-r", "--name-only", tsMirror);
    for (const file of ["package.json", "src/client.ts", ".codegen/origin.json"]) {
      assertStringIncludes(files, file);
    }
    const pkg = JSON.parse(await gitIn(ts.bare, "show", `${tsMirror}:package.json`));
    assertEquals(pkg.name, "weave-server-sdk");
    const stamp = JSON.parse(await gitIn(ts.bare, "show", `${tsMirror}:.codegen/origin.json`));
    assertEquals([stamp.codegen.target, stamp.codegen.generator], ["typescript", "stainful"]);
    assertEquals(stamp.codegen.post_generate, [["npm", "pkg", "set", "name={package}"]]);
    assert(!first.stderr.includes("calls the package"), "no name warning with the hook");

    // The pins: pyproject.toml for Python, one changed line of the package.json for TypeScript.
    assertStringIncludes(
      await Deno.readTextFile(ws.pyproject),
      `weave_server_sdk @ git+file://${ws.bare}@${pyMirror}`,
    );
    assertEquals(
      await gitIn(ws.trace, "diff", "--numstat", "--", PACKAGE_JSON),
      `1\t1\t${PACKAGE_JSON}`,
    );
    const spec = `git+file://${ts.bare}#${tsMirror}`;
    assertEquals(
      await Deno.readTextFile(join(ws.trace, PACKAGE_JSON)),
      CONSUMER.replace('"0.0.1"', JSON.stringify(spec)),
    );
    assertEquals(result.targets.typescript.pin.kind, "package_json");
    assertEquals(result.targets.typescript.pin.written, true);

    // Again, as a summary: nothing regenerated or pushed, a row per target.
    const second = await all(ws);
    assertEquals(second.code, 0, second.stderr);
    assertStringIncludes(summaryRow(second.stdout, "typescript"), "(up to date; not regenerated");
    assertStringIncludes(second.stdout, `  pushed     typescript: weave/my-feature ${tsMirror} (`);
    assertStringIncludes(
      second.stdout,
      `  pin        typescript: ${
        join(ws.trace, PACKAGE_JSON)
      }: "weave-server-sdk": "${spec}" (already pinned; unchanged)`,
    );
    assertEquals(await gitIn(ts.bare, "rev-parse", "refs/heads/weave/my-feature"), tsMirror);

    // check: each target's pin and main, the TypeScript pin read from the package.json.
    const check = await runCli(["check", "--app", EXAMPLE_APP, "--json"], { cwd: ws.trace });
    assertEquals(check.code, 0, check.stderr);
    const checks = JSON.parse(check.stdout).sdk.map(
      (c: { target: string; name: string; status: string }) => `${c.target} ${c.name}: ${c.status}`,
    );
    assertEquals(checks, [
      "python pinned: in sync",
      "python main: in sync",
      "typescript pinned: in sync",
      "typescript main: in sync",
    ]);

    // open-pr (dry run): one pull request per target, each in its own repository.
    const prs = await runCli([
      "open-pr",
      "--dry-run",
      "--json",
      "--target",
      "python.github_repo=wandb/weave-server-sdk",
      "--target",
      "typescript.github_repo=wandb/weave-server-sdk-ts",
    ], { cwd: ws.trace });
    assertEquals(prs.code, 0, prs.stderr);
    const planned = JSON.parse(prs.stdout).pullRequests;
    assertEquals(
      planned.map((p: { target: string; repo: string }) => [p.target, p.repo]),
      [["python", "wandb/weave-server-sdk"], ["typescript", "wandb/weave-server-sdk-ts"]],
    );
  });
});

Deno.test("all with a TypeScript target only: no Python value asked for; pyproject.toml untouched", async () => {
  await withTwoRepos(async (ws, ts) => {
    // package_name here is a leftover of the Python setup: it makes no Python target.
    await writeConfig(ws, [
      `port: ${ws.port}`,
      "package_name: weave_server_sdk",
      "targets:",
      ...typescriptTarget(ts).filter((line) => !/post_generate|npm/.test(line)),
    ]);
    const pyproject = await Deno.readTextFile(ws.pyproject);
    const r = await all(ws, ["--json"]);
    assertEquals(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assertEquals(Object.keys(result.targets), ["typescript"]);
    assertEquals(result.pyproject, undefined);
    assertEquals(await Deno.readTextFile(ws.pyproject), pyproject);
    assertEquals(await remoteBranch(ws, "refs/heads/weave/my-feature"), "", "no Python push");
    assertMatch(await gitIn(ts.bare, "rev-parse", "refs/heads/weave/my-feature"), /^[0-9a-f]{40}$/);
    // Without the hook, the name stainful writes is not the target's: a warning says what to do.
    assertStringIncludes(
      r.stderr,
      'the generated package.json calls the package "weave_server_sdk", not "weave-server-sdk"',
    );
    // Every warning is the one target's: codegen's about the copies it read, too.
    const targets = result.generate.warnings.map((w: { target?: string }) => w.target);
    assertEquals(
      new Set(targets),
      new Set(["typescript"]),
      JSON.stringify(result.generate.warnings),
    );
  });
});

Deno.test("a target whose generator cannot produce it: exit 2 in the check stage, naming the target", async () => {
  await withTwoRepos(async (ws, ts) => {
    await writeConfig(ws, [
      "generator: openapi-python-client",
      `port: ${ws.port}`,
      `python_output: ${ws.sdk}`,
      "package_name: weave_server_sdk",
      `typescript_output: ${ts.clone}`,
    ]);
    const r = await all(ws, ["--json"]);
    assertEquals(r.code, 2, r.stderr);
    assertStringIncludes(
      r.stderr,
      "the typescript target: generator openapi-python-client cannot generate a typescript SDK",
    );
    assertStringIncludes(r.stderr, "targets.typescript.generator");
    const json = JSON.parse(r.stdout);
    assertEquals([json.ok, json.error.stage, json.error.kind], [false, "check", "usage"]);
    assertEquals(await gitIn(ts.clone, "rev-list", "--count", "main"), "1", "nothing generated");
  });
});

Deno.test("all --release: an up-to-date Python main without a version stops the run before the TypeScript main moves", async () => {
  await withTwoRepos(async (ws, ts) => {
    const python = [
      "generator: command",
      `generator_command: ${PYTHON} ${PROJECT_ROOT}/tests/fixtures/fake_generator.py --spec {oas} ` +
      "--out {out} --package {package} --no-version",
      `port: ${ws.port}`,
      "targets:",
      "  python:",
      `    output: ${ws.sdk}`,
      "    package_name: weave_server_sdk",
    ];
    await writeConfig(ws, python);
    const first = await all(ws, ["--no-auto-merge"]);
    assertEquals(first.code, 0, first.stderr);
    await writeConfig(ws, [...python, ...typescriptTarget(ts)]);
    const pyMain = await gitIn(ws.sdk, "rev-parse", "main");
    const tsMain = await gitIn(ts.clone, "rev-parse", "main");
    const r = await all(ws, ["--release", "--no-auto-merge", "--json"]);
    assertEquals(r.code, 2, r.stderr);
    assertStringIncludes(r.stderr, "python: up to date");
    assertMatch(
      r.stderr,
      /but command wrote none: .*pyproject\.toml .* has no \[project\]\.version/,
    );
    assertEquals(JSON.parse(r.stdout).error.stage, "generate");
    assertEquals(await gitIn(ws.sdk, "rev-parse", "main"), pyMain);
    assertEquals(
      await gitIn(ts.clone, "rev-parse", "main"),
      tsMain,
      "the TypeScript main did not move",
    );
    assertEquals(await gitIn(ts.bare, "for-each-ref", "refs/heads/weave/"), "", "nothing pushed");
  });
});

Deno.test("all --release: a generated TypeScript SDK whose package.json has no version is exit 2, naming the generator", async () => {
  await withTwoRepos(async (ws, ts) => {
    await writeConfig(ws, [
      `port: ${ws.port}`,
      "targets:",
      ...typescriptTarget(ts),
      "      - [npm, pkg, delete, version]",
    ]);
    const tsMain = await gitIn(ts.clone, "rev-parse", "main");
    const consumer = await Deno.readTextFile(join(ws.trace, PACKAGE_JSON));
    const r = await all(ws, ["--release", "--json"]);
    assertEquals(r.code, 2, r.stderr);
    assertMatch(
      r.stderr,
      /but stainful wrote none: package\.json of \w{12} in \S+ has no "version"/,
    );
    assertStringIncludes(r.stderr, 'Make the generator write "version" in package.json');
    assertEquals(JSON.parse(r.stdout).error.stage, "generate");
    assertEquals(await gitIn(ts.clone, "rev-parse", "main"), tsMain, "local main did not move");
    assertEquals(await gitIn(ts.bare, "for-each-ref", "refs/heads/weave/"), "", "nothing pushed");
    assertEquals(await Deno.readTextFile(join(ws.trace, PACKAGE_JSON)), consumer);
  });
});
