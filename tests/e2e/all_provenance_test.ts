/**
 * `codegen all` and provenance, end to end (the example server really started, real git, a bare
 * origin): an unchanged rerun starts no generator (the fake generator counts its runs) and still
 * merges and pins; a server change is reported as API changes and regenerated; the mirror commit's
 * trailers say where the code came from; --fail-on-breaking stops before generating; the check
 * stage's lint is shown.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { PROJECT_ROOT, PYTHON } from "../helpers/cli.ts";
import {
  all,
  baseConfig,
  remoteBranch,
  withWorkspace,
  writeConfig,
} from "../helpers/all_workspace.ts";
import type { Workspace } from "../helpers/workspace.ts";
import { gitIn } from "../helpers/git_fixtures.ts";
import { canBind } from "../../lib/os/ports.ts";

const FAKE_GENERATOR = `${PROJECT_ROOT}/tests/fixtures/fake_generator.py`;
const SERVER = "weave/trace_server/reference/server.py";

/** The usual config, with the fake generator counting its runs in the workspace. */
async function fakeGeneratorConfig(ws: Workspace): Promise<string> {
  const counter = join(ws.root, "generator-runs.txt");
  await writeConfig(ws, [
    ...baseConfig(ws).filter((line) => !line.startsWith("generator:")),
    "generator: command",
    `generator_command: ${PYTHON} ${FAKE_GENERATOR} --spec {oas} --out {out} --package {package} --count ${counter}`,
  ]);
  return counter;
}

async function runs(counter: string): Promise<number> {
  return (await Deno.readTextFile(counter).catch(() => "")).split("\n").filter(Boolean).length;
}

/** Adds Python to the example server (a route, or code that drops one). */
async function changeServer(ws: Workspace, code: string): Promise<void> {
  const path = join(ws.trace, SERVER);
  await Deno.writeTextFile(path, (await Deno.readTextFile(path)) + `\n${code}\n`);
}

Deno.test("all: an unchanged rerun runs no generator and still merges and pins; a server change is reported and regenerated", async () => {
  await withWorkspace(async (ws) => {
    const counter = await fakeGeneratorConfig(ws);
    // A trace repository with an origin (credentials in its URL must not reach the trailers).
    await gitIn(
      ws.trace,
      "remote",
      "add",
      "origin",
      "https://user:s3cret@example.com/wandb/weave.git",
    );
    const first = await all(ws, ["--json"]);
    assertEquals(first.code, 0, first.stderr);
    assertEquals(await runs(counter), 1);
    assertStringIncludes(first.stderr, "spec: no previous spec to compare with (first run)");
    const firstJson = JSON.parse(first.stdout);
    assertEquals(firstJson.spec_diff, null);
    const mirror = await remoteBranch(ws, "refs/heads/weave/my-feature");
    const message = await gitIn(ws.bare, "log", "-1", "--format=%B", mirror);
    const traceCommit = await gitIn(ws.trace, "rev-parse", "HEAD");
    assertStringIncludes(message, "Trace-Repository: https://example.com/wandb/weave.git\n");
    assertStringIncludes(message, "Trace-Branch: my-feature\n");
    assertStringIncludes(message, `Trace-Commit: ${traceCommit}\n`);
    const stamp = JSON.parse(await gitIn(ws.bare, "show", `${mirror}:.codegen/origin.json`));
    assertStringIncludes(message, `Codegen-Inputs: ${stamp.codegen.inputs}\n`);
    assert(!JSON.stringify(stamp).includes(traceCommit), "the stamp holds no trace commit");

    // Nothing changed: no generator run, the stage is skipped, merge and pin run as usual.
    const second = await all(ws, ["--json"]);
    assertEquals(second.code, 0, second.stderr);
    assertEquals(await runs(counter), 1, "no generator run");
    const json = JSON.parse(second.stdout);
    const generate = json.stages.find((s: { name: string }) => s.name === "generate");
    assertEquals(generate.status, "skipped");
    assertMatch(generate.reason, /^up to date: main \(\w+\) was generated from the same inputs/);
    assertEquals(json.spec_diff.counts, {
      added: 0,
      removed: 0,
      changed: 0,
      changedBreaking: 0,
      breakingChanges: 0,
    });
    assertEquals([json.merge.noop, json.merge.commit], [true, mirror]);
    assertEquals(json.pyproject.changed, false);
    assertMatch(second.stderr, /\[generate\] generate skipped in \d+\.\d s: up to date/);
    const text = await all(ws);
    assertEquals(await runs(counter), 1);
    assertMatch(text.stdout, /python .*\(up to date; not regenerated\)/);
    assertMatch(text.stdout, /changes +no API changes since tools\/codegen\/openapi\.json/);

    // --regenerate runs it; nothing else changes.
    const forced = await all(ws, ["--regenerate"]);
    assertEquals(forced.code, 0, forced.stderr);
    assertEquals(await runs(counter), 2);
    assertEquals(await remoteBranch(ws, "refs/heads/weave/my-feature"), mirror);

    // The server gains an endpoint: reported, regenerated, pushed.
    await changeServer(ws, '@app.get("/extra/ping")\ndef extra_ping() -> dict:\n    return {}');
    const changed = await all(ws, ["--json"]);
    assertEquals(changed.code, 0, changed.stderr);
    assertEquals(await runs(counter), 3);
    assertStringIncludes(changed.stderr, "[spec] spec: 1 operation added, 0 removed, 0 changed");
    assertStringIncludes(changed.stderr, "[spec]   + GET /extra/ping");
    const changedJson = JSON.parse(changed.stdout);
    assertEquals(changedJson.spec_diff.added, ["GET /extra/ping"]);
    assertEquals(changedJson.merge.pushed, true);
    assertStringIncludes(
      await gitIn(ws.sdk, "show", "main:weave_server_sdk/__init__.py"),
      "/extra/ping",
    );
  });
});

Deno.test("all --fail-on-breaking: a removed endpoint stops the run before generating; the spec is written", async () => {
  await withWorkspace(async (ws) => {
    const counter = await fakeGeneratorConfig(ws);
    const first = await all(ws);
    assertEquals(first.code, 0, first.stderr);
    const main = await gitIn(ws.sdk, "rev-parse", "main");
    await changeServer(
      ws,
      'app.router.routes = [r for r in app.router.routes if getattr(r, "path", "") != "/obj/read"]',
    );
    const result = await all(ws, ["--fail-on-breaking", "--json"]);
    assertEquals(result.code, 1, result.stderr);
    assertStringIncludes(result.stderr, "[spec]   - POST /obj/read (breaking)");
    assertStringIncludes(result.stderr, "generate stage failed: breaking API changes");
    assertStringIncludes(result.stderr, "The new spec was written to");
    const json = JSON.parse(result.stdout);
    assertEquals(json.error.stage, "generate");
    assertEquals(json.spec_diff.removed, ["POST /obj/read"]);
    assertEquals(json.spec.written, true);
    const spec = await Deno.readTextFile(join(ws.trace, "tools/codegen/openapi.json"));
    assert(!spec.includes('"/obj/read"'), "the new spec is written");
    assertEquals(await runs(counter), 1, "the generator did not run");
    assertEquals(await gitIn(ws.sdk, "rev-parse", "main"), main);
  });
});

Deno.test("all: the check stage lints the Stainless config and shows its findings without failing", async () => {
  await withWorkspace(async (ws) => {
    await fakeGeneratorConfig(ws);
    // A config method the spec does not have (drift): an error finding, and the run goes on; the
    // operation it replaced is now mapped by no method: a warning finding.
    const config = join(ws.trace, "tools/codegen/openapi.stainless.yml");
    const text = await Deno.readTextFile(config);
    await Deno.writeTextFile(config, text.replace("read: post /obj/read", "gone: post /obj/gone"));
    const first = await all(ws, ["--json"]);
    assertEquals(first.code, 0, first.stderr);
    // No spec before the first run: the lint runs after the spec stage, against the new spec.
    assertMatch(
      first.stderr,
      /\[spec\] error: lint: tools\/codegen\/openapi\.stainless\.yml:\d+: objects\.gone: post \/obj\/gone is not in the spec/,
    );
    assertStringIncludes(
      first.stderr,
      "lint against the new spec: 1 error, 1 warning (2 new, 0 resolved)",
    );
    const second = await all(ws, ["--json"]);
    assertEquals(second.code, 0, second.stderr);
    assertMatch(second.stderr, /\[check\] error: lint: .*objects\.gone/);
    assert(!/warning: .*error: /.test(second.stderr), "no error finding under a warning prefix");
    assertStringIncludes(second.stderr, "[check] lint: 1 error, 1 warning in the Stainless config");
    assert(
      !second.stderr.includes("lint against the new spec"),
      "the same spec is not linted twice",
    );
    const lint = JSON.parse(second.stdout).lint;
    assertEquals([lint.errors, lint.warnings], [1, 1]);
    assertEquals(
      lint.findings.map((f: { code: string }) => f.code).sort(),
      ["endpoint-not-in-spec", "unmapped-operation"],
    );
  });
});

Deno.test("all: the trace server started with the check stage is stopped when the check fails; nothing written", async () => {
  await withWorkspace(async (ws) => {
    await fakeGeneratorConfig(ws);
    await Deno.writeTextFile(join(ws.sdk, "wip.txt"), "uncommitted\n"); // a dirty checked-out main
    const result = await all(ws); // on the workspace's reserved port (baseConfig)
    assertEquals(result.code, 1, result.stderr);
    assertStringIncludes(result.stderr, "check stage failed");
    assertStringIncludes(result.stderr, "check (nothing was written");
    assert(canBind(ws.port), "no server left listening");
    const spec = join(ws.trace, "tools/codegen/openapi.json");
    assertEquals(await Deno.stat(spec).then(() => true, () => false), false, "no spec written");
  });
});
