/**
 * `codegen all` end to end: the example trace server really started (uvicorn), the local
 * generator openapi-python-client really run, real pushes to a bare repository that is the SDK
 * clone's origin, the pin read back from pyproject.toml. The CLI runs as a subprocess.
 * (Options, dry runs and failures are in the other all_*_test.ts files, so that they run in
 * parallel.)
 */
import { join } from "node:path";
import {
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { gitIn } from "../helpers/git_fixtures.ts";
import { sha256Hex } from "../../lib/core/sha256.ts";
import { FALLBACK_IDENTITY } from "../../lib/git/identity.ts";
import {
  all,
  baseConfig,
  GENERATOR,
  NO_GIT_IDENTITY,
  remoteBranch,
  summaryRow,
  withWorkspace,
  writeConfig,
} from "../helpers/all_workspace.ts";

Deno.test("all: spec, generate, push the mirror branch, pin it; a --json rerun matches the summary", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    const remoteMain = await remoteBranch(ws, "refs/heads/main");
    const first = await all(ws, [], NO_GIT_IDENTITY);
    assertEquals(first.code, 0, first.stderr);
    // The bundled example's requires-python fits the generated SDK: no warning about it.
    assertNotMatch(first.stderr + first.stdout, /needs Python/);
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
    const sdkMain = await gitIn(ws.sdk, "rev-parse", "main");
    assertEquals(
      await gitIn(ws.bare, "rev-parse", `${mirror}^{tree}`),
      await gitIn(ws.sdk, "rev-parse", `${sdkMain}^{tree}`),
      "the mirror commit holds the generated tree",
    );
    assertEquals(await gitIn(ws.bare, "rev-parse", `${mirror}^`), remoteMain);
    assertEquals(await remoteBranch(ws, "refs/heads/main"), remoteMain, "main is never pushed");
    // One identity for the generated commit and the mirror commit: codegen's own, since this
    // machine (as the run sees it) has none.
    const who = "%an <%ae> / %cn <%ce>";
    const fallback = `${FALLBACK_IDENTITY.name} <${FALLBACK_IDENTITY.email}>`;
    assertEquals(
      await gitIn(ws.sdk, "log", "-1", `--format=${who}`, sdkMain),
      `${fallback} / ${fallback}`,
    );
    assertEquals(
      await gitIn(ws.bare, "log", "-1", `--format=${who}`, mirror),
      `${fallback} / ${fallback}`,
    );
    const files = await gitIn(ws.bare, "ls-tree", "-r", "--name-only", mirror);
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
    assertMatch(result.generate.targets.python.skipped, /generated from the same inputs/);
    assertEquals(result.merge.branch, "weave/my-feature");
    assertEquals(result.merge.commit, mirror);
    assertEquals(result.merge.noop, true);
    assertEquals(result.pyproject.entry, entry);
    assertEquals(result.pyproject.changed, false);
    assertEquals(
      result.stages.map((s: { name: string; status: string }) => `${s.name}:${s.status}`),
      ["check:done", "spec:done", "generate:skipped", "merge:done"],
    );
    assertEquals(await remoteBranch(ws, "refs/heads/weave/my-feature"), mirror);
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
    assertStringIncludes(await gitIn(ws.bare, "show", `${mirror}:pyproject.toml`), "1.2.3");
  }, { sdkFiles });
});

Deno.test("all --release --generator openapi-python-client: pins ==version of the pushed commit's setup.py (the spec's info.version)", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    const r = await all(ws, ["--release", "--generator", GENERATOR, "--json"]);
    assertEquals(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    const mirror = await remoteBranch(ws, "refs/heads/weave/my-feature");
    assertEquals([result.merge.commit, result.merge.pushed], [mirror, true]);
    const spec = JSON.parse(await Deno.readTextFile(join(ws.trace, "tools/codegen/openapi.json")));
    const version = spec.info.version;
    assertMatch(version, /^\d+\.\d+\.\d+$/);
    // openapi-python-client writes the spec's info.version into setup.py, and no [project].version.
    const setupPy = await gitIn(ws.bare, "show", `${mirror}:setup.py`);
    assertStringIncludes(setupPy, `version="${version}"`);
    const pushedPyproject = await gitIn(ws.bare, "show", `${mirror}:pyproject.toml`);
    assertNotMatch(pushedPyproject, /^version\s*=/m);
    assertEquals(result.pyproject.entry, `weave_server_sdk==${version}`);
    assertStringIncludes(await Deno.readTextFile(ws.pyproject), `"weave_server_sdk==${version}",`);
  });
});
