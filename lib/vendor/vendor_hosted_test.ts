/**
 * Vendoring a hosted-Stainless-shaped SDK: a small package written here with the two places where
 * the real one (wandb/weave-stainless `src/weave_server_sdk/`) names itself, the lazy resources
 * proxy and the `__module__` loop, plus a docstring example that must stay as it is. Also the
 * options' checks and dry runs.
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
import { gitOutput } from "../git/git.ts";
import { commitFiles, writeFiles } from "../../tests/helpers/git_fixtures.ts";
import {
  IMPORT_PATH,
  importVendored,
  makeVendorTraceRepo,
  PACKAGE,
  VENDOR_DIR,
} from "../../tests/helpers/vendor_fixtures.ts";
import { type VendorOptions, vendorPackage } from "./vendor.ts";
import { hashTree } from "./tree_hash.ts";
import { checkVendoredCopy } from "./check.ts";
import { makeUnwritable } from "../../tests/helpers/fs_faults.ts";

const MODULE_LOOP = `__locals = locals()
for __name in __all__:
    if not __name.startswith("__"):
        try:
            __locals[__name].__module__ = "weave_server_sdk"
        except (TypeError, AttributeError):
            pass
`;

/** An SDK repository tree shaped like the hosted generator's. */
function hostedSdk(init = MODULE_LOOP): Record<string, string> {
  const src = `src/${PACKAGE}`;
  return {
    "pyproject.toml": '[project]\nname = "weave_server_sdk"\n',
    "README.md": "# SDK\n",
    "tests/test_client.py": "import weave_server_sdk\n",
    [`${src}/__init__.py`]: `from ._exceptions import NotFoundError
from ._timeout import Timeout
from ._utils import resources

__all__ = ["NotFoundError", "Timeout"]

${init}`,
    [`${src}/_exceptions.py`]: "class NotFoundError(Exception):\n    pass\n",
    [`${src}/_timeout.py`]: "class Timeout:\n    def __init__(self, seconds):\n" +
      "        self.seconds = seconds\n",
    [`${src}/_utils/__init__.py`]: "from ._resources_proxy import resources\n",
    [`${src}/_utils/_resources_proxy.py`]: `class ResourcesProxy:
    """A proxy for the \`weave_server_sdk.resources\` module."""

    def __getattr__(self, name):
        import importlib

        mod = importlib.import_module("weave_server_sdk.resources")
        return getattr(mod, name)


resources = ResourcesProxy()
`,
    [`${src}/_response.py`]: `def parse():
    """Parse into your own model, e.g.

    \`\`\`py
    from weave_server_sdk import BaseModel
    \`\`\`
    """
`,
    [`${src}/resources/__init__.py`]: "from .calls import CallsResource\n",
    [`${src}/resources/calls.py`]: "class CallsResource:\n    pass\n",
  };
}

async function fixture(init?: string) {
  const repo = await makeVendorTraceRepo();
  const generated = await Deno.makeTempDir({ prefix: "hosted-sdk-" });
  await writeFiles(generated, hostedSdk(init));
  const options: VendorOptions = {
    generator: "stainless",
    target: "python",
    packageName: PACKAGE,
    generatedDir: generated,
    repoRoot: repo,
    vendorDir: VENDOR_DIR,
    origin: { "tools/codegen/openapi.json": "sha256:aa", codegen: { generator: "stainless" } },
  };
  return {
    repo,
    generated,
    options,
    dispose: async () => {
      await removeIfExists(repo);
      await removeIfExists(generated);
    },
  };
}

Deno.test("hosted layout: the two self-references rewritten; the proxy and pickle resolve the vendored path", async () => {
  const f = await fixture();
  try {
    const result = await vendorPackage(f.options);
    assertEquals(result.subtree, `src/${PACKAGE}`);
    assertEquals(result.rewrites.map((r) => [r.file, r.count]), [
      ["_utils/_resources_proxy.py", 1],
      ["__init__.py", 1],
    ]);
    const mode = async (dir: string) => ((await Deno.stat(dir)).mode ?? 0) & 0o777;
    // Not the staging directory's 0700: the package directory's own mode.
    assertEquals(
      await mode(join(f.repo, VENDOR_DIR)),
      await mode(join(f.generated, result.subtree)),
    );
    const init = await Deno.readTextFile(join(f.repo, VENDOR_DIR, "__init__.py"));
    assertStringIncludes(init, `__locals[__name].__module__ = "${IMPORT_PATH}"`);
    const response = await Deno.readTextFile(join(f.repo, VENDOR_DIR, "_response.py"));
    assertStringIncludes(response, "    from weave_server_sdk import BaseModel\n");
    const imported = await importVendored(f.repo, IMPORT_PATH, {
      extra: `
import pickle
from weave.vendor.weave_server_sdk import NotFoundError, Timeout, resources
copy = pickle.loads(pickle.dumps(Timeout(3)))
result = [resources.CallsResource.__module__, Timeout.__module__, NotFoundError.__module__,
          copy.seconds]`,
    });
    assertEquals(imported.leaked, []);
    assertEquals(imported.extra, [
      `${IMPORT_PATH}.resources.calls`,
      IMPORT_PATH,
      IMPORT_PATH,
      3,
    ]);
  } finally {
    await f.dispose();
  }
});

Deno.test("hosted layout: a missing expected text fails naming file and text; the copy stays", async () => {
  const f = await fixture();
  try {
    await vendorPackage(f.options);
    await commitFiles(f.repo, { message: "vendored" });
    const before = await hashTree(join(f.repo, VENDOR_DIR));
    await writeFiles(f.generated, hostedSdk("# no module loop any more\n"));
    const error = await assertRejects(() => vendorPackage(f.options));
    assertStringIncludes(
      error.message,
      `__init__.py does not contain the expected text "__locals[__name].__module__ = \\"weave_server_sdk\\""`,
    );
    assertEquals((error as CodegenError).exitCode, 1);
    assertEquals(await hashTree(join(f.repo, VENDOR_DIR)), before);
    assertEquals(await gitOutput(f.repo, ["status", "--porcelain", "--ignored"]), "");
  } finally {
    await f.dispose();
  }
});

Deno.test("a dry run computes the change and writes nothing", async () => {
  const f = await fixture();
  try {
    const result = await vendorPackage({ ...f.options, dryRun: true });
    assert(result.changed);
    assertEquals(result.changes.added.length, 8);
    assertEquals(await gitOutput(f.repo, ["status", "--porcelain", "--ignored"]), "");
  } finally {
    await f.dispose();
  }
});

Deno.test("vendoring refuses an unstamped directory and a path outside the repository", async () => {
  const f = await fixture();
  try {
    await writeFiles(f.repo, { [`${VENDOR_DIR}/mine.py`]: "x = 1\n" });
    const error = await assertRejects(() => vendorPackage(f.options), /has no stamp/);
    assertEquals((error as CodegenError).exitCode, 2);
    assertEquals(await Deno.readTextFile(join(f.repo, VENDOR_DIR, "mine.py")), "x = 1\n");
    for (const vendorDir of ["../elsewhere", "/abs/path", ".", "weave/vendor/not-an-identifier"]) {
      const bad = await assertRejects(() => vendorPackage({ ...f.options, vendorDir }));
      assertEquals((bad as CodegenError).exitCode, 2, `${vendorDir}: ${bad.message}`);
    }
    await assertRejects(
      () => vendorPackage({ ...f.options, vendorDir: "missing/parent/pkg" }),
      /missing\/parent is not a directory/,
    );
  } finally {
    await f.dispose();
  }
});

Deno.test("a malformed stamp (a bad merge, say) is replaced by vendoring again", async () => {
  const f = await fixture();
  try {
    await vendorPackage(f.options);
    const stampPath = join(f.repo, `${VENDOR_DIR}.origin.json`);
    const good = await Deno.readTextFile(stampPath);
    await Deno.writeTextFile(stampPath, `<<<<<<< HEAD\n${good}`);
    const check = () => checkVendoredCopy({ repoRoot: f.repo, vendorDir: VENDOR_DIR });
    assertEquals((await check()).stamp, "invalid");
    const result = await vendorPackage(f.options);
    assertEquals([result.changed, result.changes.changed], [true, []]);
    assertEquals(await Deno.readTextFile(stampPath), good);
    assertEquals((await check()).inSync, true);
  } finally {
    await f.dispose();
  }
});

Deno.test("a vendor directory that cannot be written: what to do, the previous copy kept", async () => {
  const f = await fixture();
  try {
    await vendorPackage(f.options);
    const before = await hashTree(join(f.repo, VENDOR_DIR));
    const undo = await makeUnwritable(join(f.repo, "weave/vendor"));
    try {
      const error = await assertRejects(
        () => vendorPackage({ ...f.options, origin: { changed: "inputs" } }),
        /cannot create a temporary directory for the new copy of .*weave_server_sdk: permission denied/,
      );
      assertStringIncludes((error as CodegenError).hint ?? "", "writable for you");
    } finally {
      await undo();
    }
    assertEquals(await hashTree(join(f.repo, VENDOR_DIR)), before);
  } finally {
    await f.dispose();
  }
});
