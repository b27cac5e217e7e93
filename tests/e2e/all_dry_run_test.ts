/**
 * `codegen all --dry-run`: the plan of every stage, nothing changed (repositories, files, remote
 * and temporary directories compared byte for byte), and a plan that never contradicts itself.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { join } from "node:path";
import { runCli } from "../helpers/cli.ts";
import { snapshotRepos } from "../helpers/tree_snapshot.ts";
import {
  all,
  baseConfig,
  NO_GIT_CONFIG,
  remoteBranch,
  summaryRow,
  withWorkspace,
  writeConfig,
} from "../helpers/all_workspace.ts";

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
    assertStringIncludes(r.stdout, "@<new mirror commit> (the sha of the new commit)");

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
    const tmp = join(ws.root, "tmp"); // removed with the workspace
    await Deno.mkdir(tmp);
    const json = await all(ws, ["--dry-run", "--json", "--no-auto-merge"], { TMPDIR: tmp });
    assertEquals(json.code, 0, json.stderr);
    assertEquals(await snapshotRepos(dirs), withSpec);
    assertEquals([...Deno.readDirSync(tmp)], [], "no temporary directory was created");
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

Deno.test("all --dry-run when origin's mirror branch already holds the tree: one consistent answer", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    const real = await all(ws);
    assertEquals(real.code, 0, real.stderr);
    const mirror = await remoteBranch(ws, "refs/heads/weave/my-feature");
    const dirs = [ws.trace, ws.sdk, ws.bare];
    const before = await snapshotRepos(dirs);
    // Before generating, nobody can tell whether the new tree equals the pushed one: the plan
    // says what a real run decides, once, and every line agrees with it.
    const dry = await all(ws, ["--dry-run"]);
    assertEquals(dry.code, 0, dry.stderr);
    assertEquals(await snapshotRepos(dirs), before);
    const text = dry.stdout + dry.stderr;
    assertEquals(
      summaryRow(dry.stdout, "branch"),
      `weave/my-feature (a new commit would be pushed only if the generated code differs from ${
        mirror.slice(0, 12)
      })`,
    );
    assertNotMatch(text, /nothing would be pushed/);
    assertNotMatch(text, /a new commit would be pushed(\)| to create)/);
    const merge = dry.stdout.split("\n").filter((line) => line.startsWith("  - merge: "));
    assertStringIncludes(
      merge.join("\n"),
      `if they are equal, push nothing and pin ${mirror.slice(0, 12)}`,
    );
    for (
      const line of merge.filter((l) => /create one commit|push that commit|update refs/.test(l))
    ) {
      assert(line.endsWith(", if the trees differ"), line);
    }
    assertStringIncludes(
      merge.at(-1) ?? "",
      `@<new mirror commit> (the sha of the new commit; ${
        mirror.slice(0, 12)
      }'s if nothing is pushed)`,
    );
    // The same facts as data.
    const json = JSON.parse((await all(ws, ["--dry-run", "--json"])).stdout);
    assertEquals(json.merge.plan.push, "unless unchanged");
    assertEquals(json.merge.plan.mirrorTip, mirror);
    assertEquals(json.merge.plan.pin.pins, { kind: "new mirror commit" });
    assertEquals([json.merge.pushed, json.merge.noop, json.merge.commit], [
      false,
      false,
      undefined,
    ]);

    // merge_generated_code knows the tree (it is generated already): nothing would be pushed, and
    // no line says otherwise.
    const merged = await runCli(["merge_generated_code", ws.sdk, "weave_server_sdk", "--dry-run"], {
      cwd: ws.trace,
      env: NO_GIT_CONFIG,
    });
    assertEquals(merged.code, 0, merged.stderr);
    assertStringIncludes(merged.stderr, "so nothing would be pushed");
    assertNotMatch(merged.stderr, /push that commit|create one commit/);
    assertStringIncludes(
      merged.stdout,
      `weave/my-feature (already holds the generated code at ${
        mirror.slice(0, 12)
      }; nothing would be pushed) (dry run)`,
    );
    assertStringIncludes(merged.stdout, `@${mirror}`);
  });
});
