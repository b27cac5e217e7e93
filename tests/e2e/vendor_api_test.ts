/**
 * The SDK API report of a vendored Python target, end to end with stainful for real: a first
 * vendoring has nothing to compare with (said so); a second one restricted to the Objects endpoint
 * group loses the calls and service resources. With --fail-on api-removals, `codegen vendor` and
 * the vendor stage of `all` stop before the swap (exit 1, the removed names in the message, the
 * copy and its stamp untouched, `sdk_api` in --json); without it the report shows the removals and
 * nothing else (the kept methods have the same names and signatures in the old and the new copy,
 * both vendored under weave.vendor.weave_server_sdk).
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { commitFiles, gitIn } from "../helpers/git_fixtures.ts";
import { runCli } from "../helpers/cli.ts";
import { all, commitToTrace, withWorkspace, writeConfig } from "../helpers/all_workspace.ts";
import { VENDOR_DIR } from "../helpers/vendor_fixtures.ts";
import { EXAMPLE_APP } from "../helpers/example_server.ts";
import type { Workspace } from "../helpers/workspace.ts";

const STAMP = `${VENDOR_DIR}.origin.json`;
const OBJECTS_ONLY = ["--endpoint-group", "o=tag:Objects", "--group", "o"];

function cli(ws: Workspace, args: string[]) {
  return runCli(args, { cwd: ws.trace, timeoutMs: 300_000 });
}

/** Paths changed or added in the trace repository's work tree. */
async function changed(ws: Workspace): Promise<string[]> {
  const modified = await gitIn(ws.trace, "diff", "--name-only", "HEAD");
  const added = await gitIn(ws.trace, "ls-files", "--others", "--exclude-standard");
  return [...modified.split("\n"), ...added.split("\n")].filter(Boolean).sort();
}

interface Item {
  kind: string;
  name: string;
}

Deno.test("vendoring reports the SDK API against the vendored copy; api-removals stops before the swap", async () => {
  await withWorkspace(async (ws) => {
    await commitToTrace(ws, { "weave/vendor/__init__.py": "" });
    await writeConfig(ws, [
      "generator: stainful",
      `port: ${ws.port}`,
      "targets:",
      "  python:",
      `    vendor_dir: ${VENDOR_DIR}`,
    ]);
    const spec = await cli(ws, ["get_openapi_spec", "--app", EXAMPLE_APP]);
    assertEquals(spec.code, 0, spec.stderr);

    // A first vendoring: no previous copy, so no comparison, and it says so.
    const first = await cli(ws, ["vendor", "--fail-on", "api-removals", "--json"]);
    assertEquals(first.code, 0, first.stderr);
    const firstApi = JSON.parse(first.stdout).sdk_api;
    assertStringIncludes(firstApi.skipped, `${VENDOR_DIR} did not exist (a first vendoring)`);
    assertStringIncludes(first.stderr, "python: SDK API report skipped: no previous SDK");
    await commitFiles(ws.trace, { message: "vendored" });
    const stampBefore = await Deno.readTextFile(join(ws.trace, STAMP));

    // Only the Objects group, with --fail-on api-removals: stopped before the swap.
    const stopped = await cli(ws, [
      "vendor",
      ...OBJECTS_ONLY,
      "--fail-on",
      "api-removals",
      "--json",
    ]);
    assertEquals(stopped.code, 1, stopped.stderr);
    assertStringIncludes(
      stopped.stderr,
      "the generated python SDK removes public API (--fail-on api-removals)",
    );
    assertStringIncludes(stopped.stderr, "calls.start");
    assertStringIncludes(stopped.stderr, `${VENDOR_DIR} and its stamp were left as they were`);
    const stoppedApi = JSON.parse(stopped.stdout).sdk_api;
    assertEquals(stoppedApi.removals, true);
    assert(
      stoppedApi.removed.some((i: Item) => i.kind === "resource" && i.name === "calls"),
      JSON.stringify(stoppedApi.removed),
    );
    assertEquals(await changed(ws), [], "the vendored copy is untouched");
    assertEquals(await Deno.readTextFile(join(ws.trace, STAMP)), stampBefore);
    const hidden = [...Deno.readDirSync(join(ws.trace, "weave/vendor"))].map((e) => e.name)
      .filter((name) => name.startsWith("."));
    assertEquals(hidden, [], "no staged copy left beside it");

    // The vendor stage of `all` stops the same way, and its result has vendor.sdk_api.
    const allStopped = await all(ws, [...OBJECTS_ONLY, "--fail-on", "api-removals", "--json"]);
    assertEquals(allStopped.code, 1, allStopped.stderr);
    const allResult = JSON.parse(allStopped.stdout);
    assertEquals(allResult.error.stage, "vendor");
    assertEquals(allResult.vendor.sdk_api.removed, stoppedApi.removed);
    assertEquals(
      (await changed(ws)).filter((p) => p !== "tools/codegen/openapi.json"),
      [],
      "all wrote the spec, and nothing of the vendored copy",
    );

    // Without api-removals: vendored; the report lists the removals and nothing else.
    const accepted = await cli(ws, ["vendor", ...OBJECTS_ONLY]);
    assertEquals(accepted.code, 0, accepted.stderr);
    const row = accepted.stdout.split("\n").find((l) => l.startsWith("sdk api\t"));
    assert(row, accepted.stdout);
    assertStringIncludes(row, `vs the vendored copy ${VENDOR_DIR} (tree `);
    assertStringIncludes(row, "removed: calls");
    assertStringIncludes(accepted.stderr, "python: ");
    assert(await Deno.readTextFile(join(ws.trace, STAMP)) !== stampBefore, "stamped anew");
    await commitFiles(ws.trace, { message: "objects only" });

    // All groups again (--json, through all): only additions; the kept names compare equal.
    const restored = await all(ws, ["--fail-on", "api-removals", "--json"]);
    assertEquals(restored.code, 0, restored.stderr);
    const api = JSON.parse(restored.stdout).vendor.sdk_api;
    assertEquals([api.removals, api.removed, api.changed], [false, [], []]);
    assertEquals(api.base.vendor_dir, VENDOR_DIR);
    assert(api.added.some((i: Item) => i.name === "calls.start"), JSON.stringify(api.added));
  });
});
