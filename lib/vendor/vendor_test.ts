/**
 * Vendoring real generator output (openapi-python-client, stainful, stainful generate-ts from the
 * project's .venv, on the example trace server's spec) into a git trace repository as
 * `weave/vendor/weave_server_sdk/`: the package imports under that path without its top-level
 * name ever being imported, the stamp is git's tree, `check` names hand-edited files and stale
 * inputs, and a failed rewrite leaves the previous copy as it was.
 */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { join } from "../core/paths.ts";
import { removeIfExists } from "../core/fs.ts";
import { CodegenError } from "../core/errors.ts";
import { gitIn } from "../../tests/helpers/git_fixtures.ts";
import { gitOutput } from "../git/git.ts";
import {
  generateExampleSdks,
  IMPORT_PATH,
  importVendored,
  makeVendorTraceRepo,
  PACKAGE,
  VENDOR_DIR,
} from "../../tests/helpers/vendor_fixtures.ts";
import { vendorPackage } from "./vendor.ts";
import { checkVendoredCopy, describeVendorCheck } from "./check.ts";
import { formatStamp, readStamp } from "./stamp.ts";
import { hashTree } from "./tree_hash.ts";
import { vendorLayout } from "./presets.ts";

const noBytecode = (path: string) => path.split("/").includes("__pycache__");

/** Paths `git status` reports as changed or new (every untracked file listed). */
async function statusPaths(repo: string): Promise<string[]> {
  const out = await gitOutput(repo, ["status", "--porcelain", "--untracked-files=all"]);
  return out.split("\n").filter(Boolean).map((line) => line.slice(3));
}

/** Hidden staging or holder directories left beside the vendored copy. */
async function leftovers(repo: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(join(repo, "weave/vendor"))) {
    if (entry.name.startsWith(".")) names.push(entry.name);
  }
  return names;
}

Deno.test("vendoring real generator output into a trace repository", async (t) => {
  const sdks = await generateExampleSdks();
  const repo = await makeVendorTraceRepo();
  const vendor = (generator: string, generatedDir: string) =>
    vendorPackage({
      generator,
      target: "python",
      packageName: PACKAGE,
      generatedDir,
      repoRoot: repo,
      vendorDir: VENDOR_DIR,
      origin: sdks.origin,
      exclude: noBytecode,
    });
  const check = () =>
    checkVendoredCopy({ repoRoot: repo, vendorDir: VENDOR_DIR, inputs: sdks.inputs });
  try {
    await t.step(
      "openapi-python-client: relative imports only, stamped with git's tree",
      async () => {
        const result = await vendor("openapi-python-client", sdks.opc);
        assertEquals([result.subtree, result.importPath], [PACKAGE, IMPORT_PATH]);
        assertEquals(result.rewrites, []);
        assert(result.changed && result.changes.added.includes("client.py"));
        const imported = await importVendored(repo, IMPORT_PATH);
        assertEquals(imported.leaked, []);
        assert(imported.modules > 30, `imported ${imported.modules} modules`);
        const stamp = await readStamp(join(repo, `${VENDOR_DIR}.origin.json`));
        assertEquals(stamp?.vendor?.tree, result.tree);
        await gitIn(repo, "add", "--all");
        const gitTree = await gitIn(
          repo,
          "rev-parse",
          `${await gitIn(repo, "write-tree")}:${VENDOR_DIR}`,
        );
        assertEquals(result.tree, gitTree);
        assert(
          (await statusPaths(repo)).every((p) =>
            p.startsWith(`${VENDOR_DIR}/`) || p === `${VENDOR_DIR}.origin.json`
          ),
        );
        assertEquals((await check()).inSync, true);
        await gitIn(repo, "commit", "--quiet", "-m", "vendor opc");
      },
    );

    await t.step("vendoring the same output again changes nothing", async () => {
      const again = await vendor("openapi-python-client", sdks.opc);
      assertEquals([again.changed, again.changes.added, again.changes.changed], [false, [], []]);
      assertEquals(await statusPaths(repo), []);
    });

    await t.step(
      "stainful: absolute self-imports rewritten; imports as the vendored path",
      async () => {
        const result = await vendor("stainful", sdks.stainful);
        assertEquals(result.rewrites.map((r) => r.file), [
          "resources/calls.py",
          "resources/objects.py",
          "resources/services.py",
        ]);
        assert(result.changes.removed.includes("client.py")); // the opc copy was replaced
        assert(!result.changes.added.some(noBytecode));
        const imported = await importVendored(repo, IMPORT_PATH, {
          bytecode: true, // leaves __pycache__/ behind, as running it in a checkout does
          extra: `
from weave.vendor.weave_server_sdk import WeaveTrace
client = WeaveTrace(api_key="k", base_url="http://127.0.0.1:9")
result = [type(client.calls).__module__, WeaveTrace.__module__]`,
        });
        assertEquals(imported.leaked, []);
        assertEquals(imported.extra, [
          `${IMPORT_PATH}.resources.calls`,
          `${IMPORT_PATH}._client`,
        ]);
        const stampPath = join(repo, `${VENDOR_DIR}.origin.json`);
        const text = await Deno.readTextFile(stampPath);
        const stamp = JSON.parse(text);
        assertEquals(text, formatStamp(stamp));
        assertEquals(
          stamp["tools/codegen/openapi.json"],
          sdks.inputs["tools/codegen/openapi.json"],
        );
        assertEquals(stamp.codegen.generator, "stainful");
        assertEquals(stamp.codegen.vendor.import_path, IMPORT_PATH);
        assertEquals(stamp.codegen.vendor.tree, result.tree);
        assert(stamp.codegen.vendor.files["resources/calls.py"].startsWith("100644 "));
        const checked = await check();
        assertEquals(checked.inSync, true);
        assert(checked.ignored.some((p) => p.startsWith("__pycache__/")), "bytecode ignored");
        await gitIn(repo, "add", "--all");
        await gitIn(repo, "commit", "--quiet", "-m", "vendor stainful");
      },
    );

    await t.step("check names a one-byte hand edit, an added and a removed file", async () => {
      const calls = join(repo, VENDOR_DIR, "resources/calls.py");
      const bytes = await Deno.readFile(calls);
      bytes[100] ^= 1; // one byte, one bit
      await Deno.writeFile(calls, bytes);
      await Deno.writeTextFile(join(repo, VENDOR_DIR, "extra.py"), "x = 1\n");
      await Deno.remove(join(repo, VENDOR_DIR, "types/shared.py"));
      const checked = await check();
      assertEquals(checked.inSync, false);
      assertEquals(checked.files, {
        added: ["extra.py"],
        removed: ["types/shared.py"],
        changed: ["resources/calls.py"],
      });
      const lines = describeVendorCheck(checked, repo);
      assertStringIncludes(lines.join("\n"), `${VENDOR_DIR}/resources/calls.py: edited since`);
    });

    await t.step("vendoring again restores the copy", async () => {
      const result = await vendor("stainful", sdks.stainful);
      assertEquals(result.changes, {
        added: ["types/shared.py"],
        removed: ["extra.py"],
        changed: ["resources/calls.py"],
      });
      assertEquals((await check()).inSync, true);
      assertEquals(await statusPaths(repo), []);
    });

    await t.step("check names stale inputs", async () => {
      const spec = "tools/codegen/openapi.json";
      const checked = await checkVendoredCopy({
        repoRoot: repo,
        vendorDir: VENDOR_DIR,
        inputs: { ...sdks.inputs, [spec]: "sha256:0000" },
        codegen: { generator: "openapi-python-client" },
      });
      assertEquals(checked.inSync, false);
      assertEquals(checked.files, { added: [], removed: [], changed: [] });
      assertEquals(checked.inputs.map((m) => m.key), [spec, "codegen.generator"]);
      assertStringIncludes(describeVendorCheck(checked, repo).join("\n"), `stamp's ${spec} is`);
    });

    await t.step(
      "a failing rewrite leaves the previous copy and its stamp as they were",
      async () => {
        const stampPath = join(repo, `${VENDOR_DIR}.origin.json`);
        const before = [await hashTree(join(repo, VENDOR_DIR)), await Deno.readTextFile(stampPath)];
        // The hosted preset's rewrites on stainful's layout: weave's script would fail the same way.
        const hosted = vendorLayout("stainless", "python", {
          packageName: PACKAGE,
          importPath: IMPORT_PATH,
        });
        const error = await assertRejects(() =>
          vendorPackage({
            generator: "stainful",
            target: "python",
            packageName: PACKAGE,
            generatedDir: sdks.stainful,
            repoRoot: repo,
            vendorDir: VENDOR_DIR,
            origin: sdks.origin,
            layout: { ...hosted, subtree: PACKAGE },
          })
        );
        assertStringIncludes(error.message, "_utils/_resources_proxy.py does not exist");
        assertEquals((error as CodegenError).exitCode, 1);
        const after = [await hashTree(join(repo, VENDOR_DIR)), await Deno.readTextFile(stampPath)];
        assertEquals(after, before);
        assertEquals(await leftovers(repo), []);
      },
    );

    await t.step("a preset whose package is missing names the output's actual layout", async () => {
      const error = await assertRejects(() => vendor("stainless", sdks.stainful));
      assertStringIncludes(
        error.message,
        "stainless's python output has no src/weave_server_sdk/ to vendor (its top level: " +
          "pyproject.toml, weave_server_sdk/)",
      );
      assertEquals((error as CodegenError).exitCode, 2);
    });

    await t.step("stainful generate-ts: src/ copied as is, no rewrites", async () => {
      const vendorDir = "sdks/node/src/vendor/weave-server-sdk";
      const result = await vendorPackage({
        generator: "stainful",
        target: "node",
        packageName: "weave-server-sdk",
        generatedDir: sdks.stainfulTs,
        repoRoot: repo,
        vendorDir,
        origin: sdks.origin,
      });
      assertEquals(result.subtree, `${PACKAGE}/src`);
      assertEquals([result.importPath, result.rewrites], [undefined, []]);
      const files = (await hashTree(join(repo, vendorDir))).files.map((f) => f.path);
      assert(files.includes("index.ts") && files.includes("client.ts"), files.join(", "));
      assert(!files.includes("package.json"));
      const generated = await Deno.readTextFile(join(sdks.stainfulTs, PACKAGE, "src/client.ts"));
      assertEquals(await Deno.readTextFile(join(repo, vendorDir, "client.ts")), generated);
      const checked = await checkVendoredCopy({ repoRoot: repo, vendorDir });
      assertEquals(checked.inSync, true);
    });
  } finally {
    await removeIfExists(sdks.dir);
    await removeIfExists(repo);
  }
});
