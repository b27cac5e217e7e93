/**
 * Vendoring end to end: a Python target with `vendor_dir` (no SDK clone, no python_output) is
 * generated and copied into the example trace repository by `all` and by `codegen vendor`, with
 * openapi-python-client and then stainful for real: the package imports as
 * `weave.vendor.weave_server_sdk` without `weave_server_sdk` ever being imported, the stamp
 * lists every file, an unchanged run leaves it alone, a generator switch replaces the whole
 * directory (nothing else in the trace repository changes), and `check` names a hand-edited file
 * and a stale stamp. Also a TypeScript target (stainful's src/) and a stamp codegen did not write.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { commitFiles, gitIn } from "../helpers/git_fixtures.ts";
import { runCli } from "../helpers/cli.ts";
import { all, commitToTrace, withWorkspace, writeConfig } from "../helpers/all_workspace.ts";
import { IMPORT_PATH, importVendored, VENDOR_DIR } from "../helpers/vendor_fixtures.ts";
import { EXAMPLE_APP } from "../helpers/example_server.ts";
import type { Workspace } from "../helpers/workspace.ts";
import { sha256Hex } from "../../lib/core/sha256.ts";

const STAMP = `${VENDOR_DIR}.origin.json`;

function cli(ws: Workspace, args: string[]) {
  return runCli(args, { cwd: ws.trace, timeoutMs: 300_000 });
}

/** Paths changed or added in the trace repository's work tree (each untracked file listed). */
async function changed(ws: Workspace): Promise<string[]> {
  const modified = await gitIn(ws.trace, "diff", "--name-only", "HEAD");
  const added = await gitIn(ws.trace, "ls-files", "--others", "--exclude-standard");
  return [...modified.split("\n"), ...added.split("\n")].filter(Boolean).sort();
}

function check(ws: Workspace, extra: string[] = []) {
  return cli(ws, ["check", "--app", EXAMPLE_APP, "--json", ...extra]);
}

Deno.test("vendoring the Python SDK: all, then codegen vendor; import path, stamp, atomic replace, check", async () => {
  await withWorkspace(async (ws) => {
    await commitToTrace(ws, { "weave/vendor/__init__.py": "" });
    await writeConfig(ws, [
      "generator: openapi-python-client",
      `port: ${ws.port}`,
      "targets:",
      "  python:",
      `    vendor_dir: ${VENDOR_DIR}`,
    ]);

    // all: check, spec, vendor; no generate, merge or pin stage, and no SDK clone asked for.
    const first = await all(ws, ["--json"]);
    assertEquals(first.code, 0, first.stderr);
    const result = JSON.parse(first.stdout);
    assertEquals(result.stages.map((s: { name: string }) => s.name), ["check", "spec", "vendor"]);
    assertEquals(result.targets.python.kind, "vendored");
    const vendored = result.vendor.targets.python;
    assertEquals([vendored.vendor_dir, vendored.changed], [VENDOR_DIR, true]);
    assertEquals(vendored.import_path, IMPORT_PATH);
    const stamp = JSON.parse(await Deno.readTextFile(join(ws.trace, STAMP)));
    assertEquals(stamp.codegen.generator, "openapi-python-client");
    assertEquals(stamp.codegen.vendor.tree, vendored.tree);
    assert(Object.keys(stamp.codegen.vendor.files).includes("client.py"));
    const spec = await Deno.readFile(join(ws.trace, "tools/codegen/openapi.json"));
    assertEquals(stamp["tools/codegen/openapi.json"], `sha256:${await sha256Hex(spec)}`);
    const opc = await importVendored(ws.trace, IMPORT_PATH);
    assertEquals(opc.leaked, [], "weave_server_sdk itself is never imported");
    assert(opc.modules > 20, `${opc.modules} modules imported`);
    assertEquals(
      (await changed(ws)).filter((p) => !p.startsWith(`${VENDOR_DIR}/`)).sort(),
      ["tools/codegen/openapi.json", STAMP],
      "vendoring writes the vendored directory and its stamp, nothing else (and the spec, for all)",
    );
    await commitFiles(ws.trace, { message: "vendored" });

    // Unchanged inputs, intact copy: left as it is.
    const again = await cli(ws, ["vendor", "--json"]);
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(JSON.parse(again.stdout).targets.python.skipped, "is intact");
    assertEquals(await changed(ws), []);

    // Another generator: the whole directory replaced at once, stamped anew.
    const stainful = await cli(ws, ["vendor", "--generator", "stainful"]);
    assertEquals(stainful.code, 0, stainful.stderr);
    assertStringIncludes(stainful.stdout, `python\t${VENDOR_DIR}\tupdated:`);
    const now = await changed(ws);
    assertEquals(now.filter((p) => !p.startsWith(`${VENDOR_DIR}/`)), [STAMP]);
    assert(now.includes(`${VENDOR_DIR}/client.py`), "openapi-python-client's files are gone");
    assert(now.includes(`${VENDOR_DIR}/_core/_resource.py`), now.join("\n"));
    const hidden = [...Deno.readDirSync(join(ws.trace, "weave/vendor"))].map((e) => e.name)
      .filter((name) => name.startsWith("."));
    assertEquals(hidden, [], "no staging or old copy left beside it");
    const imported = await importVendored(ws.trace, IMPORT_PATH);
    assertEquals(imported.leaked, []);
    await commitFiles(ws.trace, { message: "vendored with stainful" });

    // check compares the copy with what a generation would use now: the config's generator is
    // openapi-python-client, so the copy vendored with --generator stainful differs.
    const otherGenerator = await check(ws);
    assertEquals(otherGenerator.code, 1, otherGenerator.stderr);
    assertStringIncludes(
      otherGenerator.stderr,
      `${VENDOR_DIR}: it was vendored from other inputs: generator "stainful" → "openapi-python-client"`,
    );
    await writeConfig(ws, [
      "generator: stainful",
      `port: ${ws.port}`,
      "targets:",
      "  python:",
      `    vendor_dir: ${VENDOR_DIR}`,
    ]);
    // check: in sync; a hand edit is named; a stale stamp is named.
    const inSync = await check(ws);
    assertEquals(inSync.code, 0, inSync.stderr);
    assertEquals(JSON.parse(inSync.stdout).vendored[0].status, "in sync");
    const edited = join(ws.trace, VENDOR_DIR, "_client.py");
    await Deno.writeTextFile(edited, (await Deno.readTextFile(edited)) + "# hand edit\n");
    const drift = await check(ws);
    assertEquals(drift.code, 1, drift.stderr);
    assertStringIncludes(drift.stderr, `${VENDOR_DIR}/_client.py: edited since it was vendored`);
    assertStringIncludes(drift.stderr, "Vendor again (`codegen vendor`)");
    // The vendored target and generator given as flags: the hint repeats them (a plain
    // `codegen vendor` would not know the target without the config).
    const flagged = await check(ws, [
      ...["--vendor-dir", `python=${VENDOR_DIR}`, "--generator", "stainful"],
      ...["--post-generate", "true 'a b'"],
    ]);
    assertEquals(flagged.code, 1, flagged.stderr);
    assertStringIncludes(
      flagged.stderr,
      `Vendor again (\`codegen vendor --vendor-dir python=${VENDOR_DIR} --generator stainful ` +
        `--post-generate 'true '\\''a b'\\'''\`)`,
    );
    await gitIn(ws.trace, "checkout", "--", `${VENDOR_DIR}/_client.py`);
    const config = join(ws.trace, "tools/codegen/openapi.stainless.yml");
    await Deno.writeTextFile(config, (await Deno.readTextFile(config)) + "# changed\n");
    const stale = await check(ws);
    assertEquals(stale.code, 1, stale.stderr);
    assertStringIncludes(
      stale.stderr,
      `${VENDOR_DIR}: it was vendored from other inputs: the Stainless config (tools/codegen/openapi.stainless.yml)`,
    );
    const report = JSON.parse(stale.stdout);
    assertEquals(report.vendored[0].status, "differs");
  });
});

Deno.test("vendoring a TypeScript target: stainful's src/ only, no import path; a foreign stamp", async () => {
  await withWorkspace(async (ws) => {
    const tsDir = "sdks/node/src/vendor/weave-server-sdk";
    await commitToTrace(ws, { "sdks/node/src/vendor/README.md": "vendored\n" });
    const spec = await cli(ws, ["get_openapi_spec", "--app", EXAMPLE_APP]);
    assertEquals(spec.code, 0, spec.stderr);
    const r = await cli(ws, [
      "vendor",
      "--vendor-dir",
      `typescript=${tsDir}`,
      "--target",
      "typescript.generator=stainful",
      "--json",
    ]);
    assertEquals(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout).targets.typescript;
    assertEquals([result.generator, result.import_path], ["stainful", undefined]);
    const files = [...Deno.readDirSync(join(ws.trace, tsDir))].map((e) => e.name).sort();
    assert(files.includes("client.ts") && files.includes("index.ts"), files.join(", "));
    assert(!files.includes("package.json"), "only src/ is vendored");

    // A stamp codegen did not write: Weave's own, as its scripts/vendor_weave_server_sdk.py
    // writes it (the trace server's commit and the input hashes keyed by their paths in Weave's
    // repository, no codegen object, no file list).
    const foreign = "weave/vendor/weave_server_sdk";
    await commitToTrace(ws, { [`${foreign}/__init__.py`]: "# vendored by hand\n" });
    const hashOf = async (path: string) =>
      `sha256:${await sha256Hex(await Deno.readFile(join(ws.trace, path)))}`;
    const configKey = "services/weave-trace/tools/codegen/openapi.stainless.yml";
    const weaveStamp = {
      core_commit: "0".repeat(40),
      "services/weave-trace/openapi.json": `sha256:${"2".repeat(64)}`,
      [configKey]: await hashOf("tools/codegen/openapi.stainless.yml"),
    };
    const writeStamp = () =>
      Deno.writeTextFile(
        join(ws.trace, `${foreign}.origin.json`),
        JSON.stringify(weaveStamp, null, 2) + "\n",
      );
    await writeStamp();
    const args = ["--vendor-dir", `python=${foreign}`];
    const note = await check(ws, args);
    assertEquals(note.code, 0, note.stderr);
    const python = JSON.parse(note.stdout).vendored.find((v: { target: string }) =>
      v.target === "python"
    );
    assertEquals(python.status, "not checked");
    assertStringIncludes(python.details[0], "its files cannot be checked");
    assertEquals(
      python.details.slice(1),
      [
        `current: its hash of ${configKey} (tools/codegen/openapi.stainless.yml here)`,
        "not compared (no such input here): services/weave-trace/openapi.json",
      ],
    );
    // A hash that names a current input and is stale: the copy is stale, one problem.
    weaveStamp[configKey] = `sha256:${"1".repeat(64)}`;
    await writeStamp();
    const stale = await check(ws, args);
    assertEquals(stale.code, 1, stale.stderr);
    const report = JSON.parse(stale.stdout);
    assertEquals(report.problems.length, 1, report.problems.join("\n"));
    assertStringIncludes(
      report.problems[0],
      `${foreign}: its stamp (not written by codegen) has ${configKey} ` +
        "(tools/codegen/openapi.stainless.yml here) sha256:111111111111…, but",
    );
  });
});
