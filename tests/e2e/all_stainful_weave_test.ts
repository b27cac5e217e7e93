/**
 * `codegen all --generator stainful` on the real Weave spec and Stainless config: a trace server
 * (real uvicorn + FastAPI) that serves shared/weave/openapi.json verbatim, the real stainful from
 * .venv, a real bare origin. The first run must succeed (drift pruned and reported, Expr and
 * Operation generated, no bytecode, the package pip-installs and imports); the second changes the
 * API (one method removed from the spec, one added by fixing the config) and stops with
 * --fail-on api-removals before anything moves; the third accepts it.
 */
import { join } from "node:path";
import { pipInstallOffline } from "../helpers/pip.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { PYTHON } from "../helpers/cli.ts";
import { weaveFile } from "../helpers/weave.ts";
import { gitIn } from "../helpers/git_fixtures.ts";
import type { Workspace } from "../helpers/workspace.ts";
import { run } from "../../lib/os/process.ts";
import { removeIfExists } from "../../lib/core/fs.ts";
import {
  all,
  baseConfig,
  remoteBranch,
  summaryRow,
  withWorkspace,
  writeConfig,
} from "../helpers/all_workspace.ts";

const SERVER_DIR = "weave/trace_server/reference";

/** A FastAPI app whose only route serves the real Weave spec, byte for byte. */
const SPEC_SERVER =
  `"""Serves the real Weave OpenAPI document verbatim (codegen's end-to-end tests)."""
import pathlib

from fastapi import FastAPI
from fastapi.responses import Response

SPEC = pathlib.Path(__file__).with_name("weave_openapi.json")

app = FastAPI(openapi_url=None)


@app.get("/openapi.json")
def openapi() -> Response:
    return Response(SPEC.read_bytes(), media_type="application/json")
`;

async function useRealWeaveFiles(ws: Workspace): Promise<void> {
  await Deno.writeTextFile(join(ws.trace, SERVER_DIR, "server.py"), SPEC_SERVER);
  await Deno.copyFile(weaveFile("openapi.json"), join(ws.trace, SERVER_DIR, "weave_openapi.json"));
  await Deno.copyFile(
    weaveFile("openapi.stainless.yml"),
    join(ws.trace, "tools/codegen/openapi.stainless.yml"),
  );
  await gitIn(ws.trace, "add", "--all");
  await gitIn(ws.trace, "commit", "--quiet", "-m", "Serve the real Weave spec");
}

/** The next version of the API: calls.query_stats gone, v2_scores.read added (drift fixed). */
async function changeTheApi(ws: Workspace): Promise<void> {
  const specPath = join(ws.trace, SERVER_DIR, "weave_openapi.json");
  const spec = JSON.parse(await Deno.readTextFile(specPath));
  assert(spec.paths["/calls/query_stats"], "the real spec changed");
  delete spec.paths["/calls/query_stats"];
  await Deno.writeTextFile(specPath, JSON.stringify(spec, null, 2));
  const configPath = join(ws.trace, "tools/codegen/openapi.stainless.yml");
  const config = await Deno.readTextFile(configPath);
  const drifted = "read: get /v2/{entity}/{project}/scores/{score_id}/versions/{digest}";
  assert(config.includes(drifted), "the real config changed");
  await Deno.writeTextFile(
    configPath,
    config.replace(drifted, "read: get /v2/{entity}/{project}/scores/{score_id}"),
  );
}

/** pip-installs the tree of `commit` (offline, no build isolation) and imports it. */
async function installAndImport(ws: Workspace, commit: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "codegen-install-" });
  try {
    const tree = join(dir, "tree");
    await Deno.mkdir(tree);
    await gitIn(ws.bare, "--work-tree", tree, "checkout", commit, "--", ".");
    const site = join(dir, "site");
    await pipInstallOffline(tree, site);
    const code = "import weave_server_sdk as sdk\n" +
      "from weave_server_sdk.types import Expr, Operation\n" +
      "client = sdk.WeaveTrace(api_key='u', base_url='http://127.0.0.1:9')\n" +
      "print(type(client).__name__, client.calls.start.__name__, Expr is not None)\n";
    const imported = await run(PYTHON, ["-c", code], {
      env: { PYTHONPATH: site },
      cwd: dir,
      what: "import the installed SDK",
    });
    return imported.stdout.trim();
  } finally {
    await removeIfExists(dir);
  }
}

Deno.test("all --generator stainful on the real Weave files: pruned, transformed, clean, installable; API removals stop the next run", async () => {
  await withWorkspace(async (ws) => {
    await useRealWeaveFiles(ws);
    await writeConfig(
      ws,
      [...baseConfig(ws), "generator: stainful"].filter((l) =>
        l !== "generator: openapi-python-client"
      ),
    );

    // 1. The first generation: nothing to compare with on origin/main (README and pyproject only).
    const first = await all(ws, ["--json"]);
    assertEquals(first.code, 0, first.stderr);
    const one = JSON.parse(first.stdout);
    const drift = one.generate.warnings.map((w: { message: string }) => w.message)
      .filter((message: string) => message.includes("removed from the"));
    assertEquals(drift.length, 6, JSON.stringify(one.generate.warnings));
    assertStringIncludes(
      drift[5],
      "v2_scores.delete: delete /v2/{entity}/{project}/scores/{score_id} is not in the spec",
    );
    assertMatch(one.generate.sdk_api.skipped, /^no previous SDK to compare with: origin\/main/);
    const mirror = await remoteBranch(ws, "refs/heads/weave/my-feature");
    assertEquals(one.merge.commit, mirror);
    const files = (await gitIn(ws.bare, "ls-tree", "-r", "--name-only", mirror)).split("\n");
    assertEquals(files.filter((f) => /__pycache__|\.py[co]$/.test(f)), []);
    const types = await gitIn(ws.bare, "show", `${mirror}:weave_server_sdk/types/__init__.py`);
    assertMatch(types, /\bExpr\b/);
    assertMatch(types, /\bOperation\b/);
    assertEquals(await installAndImport(ws, mirror), "WeaveTrace start True");
    const generated = await gitIn(ws.sdk, "rev-parse", "main");
    const pyproject = await Deno.readTextFile(ws.pyproject);

    // 2. One method removed, one added: --fail-on api-removals stops before main moves.
    await changeTheApi(ws);
    const second = await all(ws, ["--json", "--fail-on", "api-removals"]);
    assertEquals(second.code, 1, second.stderr);
    const two = JSON.parse(second.stdout);
    assertEquals(two.error.stage, "generate");
    assertStringIncludes(two.error.message, "removes public API (--fail-on api-removals)");
    // Compared with the last generation (origin/main holds no SDK): local main before the run.
    assertEquals(two.generate.sdk_api.base, { rev: "main", commit: generated });
    const methods = (list: { kind: string; name: string }[]) =>
      list.filter((i) => i.kind === "method").map((i) => i.name);
    assertEquals(methods(two.generate.sdk_api.removed), ["calls.query_stats"]);
    assertEquals(methods(two.generate.sdk_api.added), ["v2_scores.read"]);
    assertStringIncludes(second.stderr, "removed methods: calls.query_stats");
    assertEquals(await gitIn(ws.sdk, "rev-parse", "main"), generated, "main did not move");
    assertEquals(await remoteBranch(ws, "refs/heads/weave/my-feature"), mirror, "nothing pushed");
    assertEquals(await Deno.readTextFile(ws.pyproject), pyproject, "nothing pinned");

    // 3. Accepted: the same report, and the run goes through.
    const third = await all(ws);
    assertEquals(third.code, 0, third.stderr);
    assertMatch(
      summaryRow(third.stdout, "sdk api"),
      /^vs main \([0-9a-f]{12}\): methods 1 added, 1 removed(, \d+ changed)?; types .*; removed: calls\.query_stats$/,
    );
    // 1 transformation matching nothing, 5 drifted methods left, calls.query_stats now drifted.
    assertMatch(summaryRow(third.stdout, "warnings"), /^7 /);
    assertMatch(
      third.stdout,
      /^ +python: codegen: \S+openapi\.stainless\.yml:\d+: calls\.query_stats: post \/calls\/query_stats is not in the spec/m,
    );
    assert(await remoteBranch(ws, "refs/heads/weave/my-feature") !== mirror, "pushed");
  });
});
