/**
 * `codegen diff`, `codegen lint` and `codegen check` end to end (the CLI as a subprocess): diffs of
 * fixture pairs with known classifications and of git revisions; lint on the real Weave files and
 * small fixtures; the drift gate in sync, with a drifted spec (operations, bytes only) and with a
 * stamp from other inputs.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { type CliResult, runCli } from "../helpers/cli.ts";
import { weaveFile } from "../helpers/weave.ts";
import { all, baseConfig, withWorkspace, writeConfig } from "../helpers/all_workspace.ts";
import { commitFiles, gitIn } from "../helpers/git_fixtures.ts";
import { withTempDir } from "../helpers/temp_dir.ts";
import { exportExampleSpec, makeTraceRepo, removeAll } from "../helpers/sdk_clone.ts";

const ok = { responses: { "200": { description: "OK" } } };
const STRING = { type: "string" };

// deno-lint-ignore no-explicit-any -- a fixture document, edited freely by each case
type Doc = Record<string, any>;

/** A spec with a request body schema; `change` edits a copy. */
function spec(change: (doc: Doc) => void = () => {}) {
  const doc: Doc = {
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths: {
      "/obj/read": {
        post: {
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/Req" } } },
          },
          ...ok,
        },
      },
      "/obj/{digest}": {
        delete: {
          parameters: [{ name: "digest", in: "path", required: true, schema: STRING }],
          ...ok,
        },
      },
    },
    components: {
      schemas: {
        Req: { type: "object", required: ["id"], properties: { id: STRING } },
      },
    },
  };
  change(doc);
  return doc;
}

async function withFiles(
  files: Record<string, unknown>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  await withTempDir("codegen-diff-", async (dir) => {
    for (const [name, doc] of Object.entries(files)) {
      await Deno.writeTextFile(join(dir, name), JSON.stringify(doc, null, 2));
    }
    await fn(dir);
  });
}

const diff = (dir: string, ...args: string[]): Promise<CliResult> =>
  runCli(["diff", ...args], { cwd: dir });

Deno.test("diff: fixture pairs classified; --json lists; --fail-on-breaking exits 1 only on breaking", async () => {
  await withFiles({
    "base.json": spec(),
    "removed.json": spec((d) => delete d.paths["/obj/{digest}"]),
    "optional.json": spec((d) => d.components.schemas.Req.properties.note = STRING),
    "required.json": spec((d) => {
      d.components.schemas.Req.properties.kind = STRING;
      d.components.schemas.Req.required.push("kind");
    }),
  }, async (dir) => {
    const removed = await diff(dir, "base.json", "removed.json");
    assertEquals(removed.code, 0, removed.stderr);
    assertEquals(
      removed.stdout,
      "0 operations added, 1 removed, 0 changed\n  - DELETE /obj/{digest} (breaking)\n",
    );

    const optional = await diff(dir, "base.json", "optional.json", "--fail-on-breaking", "--json");
    assertEquals(optional.code, 0, optional.stderr);
    const json = JSON.parse(optional.stdout);
    assertEquals([json.command, json.ok, json.breaking], ["diff", true, false]);
    assertEquals(json.changed[0].operation, "POST /obj/read");
    assertEquals(json.changed[0].changes[0].type, "non-breaking");

    const required = await diff(dir, "base.json", "required.json", "--fail-on-breaking");
    assertEquals(required.code, 1);
    assertMatch(required.stdout, /^0 operations added, 0 removed, 1 changed \(1 breaking\)\n/);
    assertMatch(
      required.stdout,
      /~ POST \/obj\/read: 2 breaking\n.*breaking: \[Added\] required status to `kind`/,
    );
    assertStringIncludes(required.stderr, "breaking API changes from base.json to required.json");
    // The hint points at what this run printed, never back at `diff` or at a rerun.
    assertStringIncludes(required.stderr, "hint: The breaking changes are listed above");
    assert(!/without --fail-on-breaking to accept|codegen diff --json/.test(required.stderr));
    const requiredJson = await diff(
      dir,
      "base.json",
      "required.json",
      "--fail-on-breaking",
      "--json",
    );
    assertEquals(requiredJson.code, 1);
    const failed = JSON.parse(requiredJson.stdout);
    assertEquals([failed.ok, failed.breaking, failed.counts.changedBreaking], [false, true, 1]);
    assertEquals(
      failed.error.message,
      "breaking API changes from base.json to required.json: 1 operation changed incompatibly",
    );
    assertMatch(failed.error.hint, /^The breaking changes are listed in this object: `removed`/);
    assert(!failed.error.hint.includes("above"), "in JSON there is no 'above'");

    const missing = await diff(dir, "base.json", "nope.json");
    assertEquals(missing.code, 1);
    assertStringIncludes(missing.stderr, "OpenAPI spec not found");
    // Neither file: one error naming both.
    const neither = await diff(dir, "gone.json", "nope.json");
    assertEquals(neither.code, 1);
    assertMatch(
      neither.stderr,
      /error: neither spec can be read: OpenAPI spec not found: \S*gone\.json; OpenAPI spec not found: \S*nope\.json/,
    );
  });
});

Deno.test("diff: REV:path reads the trace repository's history; the real Weave pair has no breaking change", async () => {
  await withWorkspace(async (ws) => {
    await Deno.mkdir(join(ws.trace, "specs"));
    await commitFiles(ws.trace, {
      message: "older spec",
      files: {
        "specs/openapi.json": await Deno.readTextFile(weaveFile("openapi.older.json")),
      },
    });
    await commitFiles(ws.trace, {
      message: "newer spec",
      files: {
        "specs/openapi.json": await Deno.readTextFile(weaveFile("openapi.json")),
      },
    });
    const result = await runCli(
      ["diff", "HEAD~1:specs/openapi.json", "HEAD:specs/openapi.json", "--fail-on-breaking"],
      { cwd: ws.trace },
    );
    assertEquals(result.code, 0, result.stderr);
    assertMatch(result.stdout, /^38 operations added, 0 removed, 26 changed \(0 breaking\)/);
    assertStringIncludes(result.stdout, "  + POST /otel/v1/trace\n");
    const bad = await runCli(["diff", "HEAD~9:specs/openapi.json", "HEAD:specs/openapi.json"], {
      cwd: ws.trace,
    });
    assertEquals(bad.code, 1);
    assertStringIncludes(bad.stderr, "no file specs/openapi.json at revision HEAD~9");
  });
});

Deno.test("lint: the real Weave files drift (errors with config lines, exit 1); --json; a clean pair exits 0", async () => {
  const weave = [
    "--spec",
    weaveFile("openapi.json"),
    "--stainless-config",
    weaveFile("openapi.stainless.yml"),
  ];
  const text = await runCli(["lint", ...weave]);
  assertEquals(text.code, 1, text.stderr);
  assertMatch(
    text.stdout,
    /openapi\.stainless\.yml:\d+: error: v2_scores\.delete: delete \/v2\/\{entity\}\/\{project\}\/scores\/\{score_id\} is not in the spec/,
  );
  assertMatch(
    text.stdout,
    /: 6 errors, 8 warnings \(66 methods, 16 models and 5 transformations checked against 67 operations/,
  );
  assertStringIncludes(text.stderr, "6 errors (listed above)");
  const json = await runCli(["lint", ...weave, "--json"]);
  assertEquals(json.code, 1);
  const result = JSON.parse(json.stdout);
  // In JSON there is no "above": the error points at the object's findings.
  assertMatch(result.error.message, /openapi\.stainless\.yml: 6 errors \(see `findings`\)$/);
  assertMatch(result.error.hint, /^Fix the config entries named in `findings`/);
  assertEquals([result.ok, result.errors, result.warnings], [false, 6, 8]);
  assert(result.findings.every((f: { line: number }) => f.line > 0));

  // The example trace server's spec and config (the defaults of a trace repository): in sync (its
  // transformation has its target), nothing found, exit 0.
  const repo = await makeTraceRepo();
  try {
    await exportExampleSpec(join(repo, "tools/codegen/openapi.json"));
    const example = await runCli(["--repo-root", repo, "lint", "--json"]);
    assertEquals(example.code, 0, example.stderr);
    const clean = JSON.parse(example.stdout);
    assertEquals([clean.errors, clean.warnings, clean.findings], [0, 0, []]);
    // A model whose schema the spec lacks: an error with its line.
    const config = join(repo, "tools/codegen/openapi.stainless.yml");
    const text = await Deno.readTextFile(config);
    await Deno.writeTextFile(
      config,
      text.replace("call_schema: CallSchema", "call_schema: CallSchemaX"),
    );
    const model = await runCli(["--repo-root", repo, "lint"]);
    assertEquals(model.code, 1);
    assertMatch(
      model.stdout,
      /openapi\.stainless\.yml:\d+: error: calls\.models\.call_schema: schema CallSchemaX is not in the spec \(did you mean CallSchema\?\) \[model-not-in-spec\]/,
    );
  } finally {
    await removeAll(repo);
  }
});

Deno.test("check: in sync; a drifted spec names its operations; bytes-only drift fails; a stamp from another config fails", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    const first = await all(ws);
    assertEquals(first.code, 0, first.stderr);
    const app = ["--app", "weave.trace_server.reference.server:app"];
    const check = (...args: string[]) => runCli(["check", ...app, ...args], { cwd: ws.trace });
    const before = await gitIn(ws.sdk, "for-each-ref");

    const synced = await check("--json");
    assertEquals(synced.code, 0, synced.stderr);
    const report = JSON.parse(synced.stdout);
    assertEquals(report.spec.status, "in sync");
    assertEquals(report.sdk.map((c: { name: string; status: string }) => `${c.name}:${c.status}`), [
      "pinned:in sync",
      "main:in sync",
    ]);
    const human = await check();
    assertEquals(human.code, 0, human.stderr);
    assertMatch(
      human.stdout,
      /^codegen check: in sync\n {2}spec {5}tools\/codegen\/openapi\.json: in sync/,
    );

    // The saved spec is reformatted: no operation differs, but it is not what the tool writes.
    const specPath = join(ws.trace, "tools/codegen/openapi.json");
    const saved = await Deno.readTextFile(specPath);
    await Deno.writeTextFile(specPath, JSON.stringify(JSON.parse(saved)));
    const bytes = await check("--json");
    assertEquals(bytes.code, 1);
    const bytesReport = JSON.parse(bytes.stdout);
    assertEquals([bytesReport.spec.status, bytesReport.spec.bytes_only], ["differs", true]);
    assertStringIncludes(bytes.stderr, "in its bytes, but no operation differs");
    assert(!bytes.stderr.includes("codegen diff"), "no operation to review");
    await Deno.writeTextFile(specPath, saved);

    // The server changed: the operation is named, and the SDK stamps no longer match it.
    const server = join(ws.trace, "weave/trace_server/reference/server.py");
    await Deno.writeTextFile(
      server,
      (await Deno.readTextFile(server)) +
        '\n@app.get("/extra/ping")\ndef extra_ping() -> dict:\n    return {}\n',
    );
    const drifted = await check();
    assertEquals(drifted.code, 1);
    assertStringIncludes(drifted.stdout, "differs from the server's spec:");
    assertStringIncludes(drifted.stdout, "+ GET /extra/ping");
    assertStringIncludes(
      drifted.stderr,
      "tools/codegen/openapi.json is not the server's spec: + GET /extra/ping",
    );
    assertMatch(
      drifted.stdout,
      /pinned +differs: \w+: it was generated from other inputs: the spec \(tools\/codegen\/openapi\.json\)/,
    );
    // check writes no spec: to diff, the server's spec is written first, the same way.
    assertStringIncludes(
      drifted.stderr,
      "`codegen get_openapi_spec --app weave.trace_server.reference.server:app` (it writes the " +
        "server's spec), then `codegen diff HEAD:tools/codegen/openapi.json tools/codegen/openapi.json`",
    );
    // Next to a checked pin, main is information: its drift is shown, not counted.
    assertMatch(drifted.stdout, /main +differs \(information only: the pinned commit is what/);
    assertEquals(drifted.stderr.match(/SDK: /g)?.length, 1, drifted.stderr);
    await gitIn(ws.trace, "checkout", "--", "weave/trace_server/reference/server.py");

    // The Stainless config changed after generation: both SDK commits are stale.
    const config = join(ws.trace, "tools/codegen/openapi.stainless.yml");
    await Deno.writeTextFile(config, (await Deno.readTextFile(config)) + "# edited\n");
    const stale = await check("--json");
    assertEquals(stale.code, 1);
    const staleReport = JSON.parse(stale.stdout);
    assertEquals(staleReport.spec.status, "in sync");
    assertEquals(
      staleReport.sdk.map((c: { status: string; role: string }) => `${c.status}:${c.role}`),
      ["differs:gate", "differs:information"],
    );
    assertMatch(
      staleReport.problems[0],
      /other inputs: the Stainless config \(tools\/codegen\/openapi\.stainless\.yml\)/,
    );
    assertEquals(staleReport.problems.length, 1, "main is not counted next to the pin");
    assertEquals(await gitIn(ws.sdk, "for-each-ref"), before, "check moved no ref");
  });
});

Deno.test("check: a pinned commit missing from the clone is fetched without touching its work tree; a ==version pin is said to be uncheckable", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    assertEquals((await all(ws)).code, 0);
    const app = ["--app", "weave.trace_server.reference.server:app"];
    // A fresh clone of origin's main only: the pinned mirror commit is not in it.
    const fresh = join(ws.root, "fresh-sdk");
    await gitIn(
      ws.root,
      "clone",
      "--quiet",
      "--single-branch",
      "--branch",
      "main",
      ws.bare,
      fresh,
    );
    const status = await gitIn(fresh, "status", "--porcelain");
    const result = await runCli(["check", ...app, "--python-output", fresh, "--json"], {
      cwd: ws.trace,
    });
    assertEquals(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assertEquals(report.sdk[0].status, "in sync");
    assertEquals(report.sdk[1].status, "no stamp"); // origin's main was never generated
    assertEquals(await gitIn(fresh, "status", "--porcelain"), status);
    assertEquals(await gitIn(fresh, "for-each-ref", "refs/codegen*"), "");

    const pyproject = await Deno.readTextFile(ws.pyproject);
    await Deno.writeTextFile(
      ws.pyproject,
      pyproject.replace(/"weave_server_sdk @ git\+[^"]+"/, '"weave_server_sdk==0.1.0"'),
    );
    const version = await runCli(["check", ...app, "--json"], { cwd: ws.trace });
    assertEquals(version.code, 0, version.stderr);
    const pinned = JSON.parse(version.stdout).sdk[0];
    assertEquals(pinned.status, "not checked");
    assertStringIncludes(pinned.detail, "==0.1.0 is a released version");
  });
});

Deno.test("get_openapi_spec: compares with the committed spec; --fail-on-breaking exits 1 after writing", async () => {
  await withWorkspace(async (ws) => {
    const app = ["get_openapi_spec", "--app", "weave.trace_server.reference.server:app"];
    const first = await runCli([...app, "--json"], { cwd: ws.trace });
    assertEquals(first.code, 0, first.stderr);
    assertStringIncludes(first.stderr, "spec: no previous spec to compare with (first run)");
    assertEquals(JSON.parse(first.stdout).spec_diff, null);
    await gitIn(ws.trace, "add", "tools/codegen/openapi.json");
    await gitIn(ws.trace, "commit", "--quiet", "-m", "spec");

    const server = join(ws.trace, "weave/trace_server/reference/server.py");
    await Deno.writeTextFile(
      server,
      (await Deno.readTextFile(server)) +
        '\napp.router.routes = [r for r in app.router.routes if getattr(r, "path", "") != "/obj/read"]\n',
    );
    const removed = await runCli([...app, "--fail-on-breaking", "--json"], { cwd: ws.trace });
    assertEquals(removed.code, 1, removed.stderr);
    assertStringIncludes(
      removed.stderr,
      "spec: 0 operations added, 1 removed, 0 changed since HEAD:tools/codegen/openapi.json",
    );
    assertStringIncludes(removed.stderr, "  - POST /obj/read (breaking)");
    assertStringIncludes(removed.stderr, "The new spec was written to tools/codegen/openapi.json");
    // A command that shows the changes again: the old spec is still committed.
    assertStringIncludes(
      removed.stderr,
      "(`codegen diff HEAD:tools/codegen/openapi.json tools/codegen/openapi.json` shows them again)",
    );
    const json = JSON.parse(removed.stdout);
    assertEquals([json.ok, json.written, json.spec_diff.removed], [false, true, [
      "POST /obj/read",
    ]]);
    const saved = await Deno.readTextFile(join(ws.trace, "tools/codegen/openapi.json"));
    assert(!saved.includes('"/obj/read"'), "the new spec is written");
    // Without the flag the same change is reported and the run succeeds.
    const again = await runCli(app, { cwd: ws.trace });
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stderr, "  - POST /obj/read (breaking)");
  });
});
