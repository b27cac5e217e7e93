/** Rewrites on small package fixtures: exact and loud, docstrings left alone, leftovers found. */
import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../tests/helpers/assert.ts";
import { join } from "../core/paths.ts";
import { removeIfExists } from "../core/fs.ts";
import { CodegenError } from "../core/errors.ts";
import {
  applyRewrites,
  findSelfImports,
  linesOutsideStrings,
  requireNoSelfImports,
} from "./rewrite.ts";
import { vendorLayout } from "./presets.ts";

const NAMES = { packageName: "weave_server_sdk", importPath: "weave.vendor.weave_server_sdk" };

async function writePackage(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "rewrite-" });
  for (const [path, content] of Object.entries(files)) {
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, path), content);
  }
  return dir;
}

Deno.test("linesOutsideStrings: docstrings, strings with quotes, comments, escapes", () => {
  const text = [
    'x = "a \\" """ b"', // 1: a triple quote inside a one-line string
    '"""Doc', // 2
    "from weave_server_sdk import X", // 3: inside the docstring
    '"""', // 4
    "y = '''one line'''  # '''", // 5
    "from weave_server_sdk import Y", // 6
    "z = r'\\''", // 7
    "w = 1", // 8
  ].join("\n");
  assertEquals(linesOutsideStrings(text), [true, true, false, false, true, true, true, true]);
});

Deno.test("stainful preset: absolute self-imports rewritten in code, not in docstrings", async () => {
  const dir = await writePackage({
    "__init__.py": '"""weave_server_sdk: generated."""\nfrom ._client import Client\n',
    "resources/calls.py": [
      "from weave_server_sdk._core._resource import SyncAPIResource",
      "from weave_server_sdk.types import CallStartParams",
      "from weave_server_sdk import _core",
      "from weave_server_sdk_other import x",
      "def f():",
      '    """Example:',
      "    from weave_server_sdk import BaseModel",
      '    """',
      "    from weave_server_sdk.types import Lazy",
      "",
    ].join("\n"),
  });
  try {
    const layout = vendorLayout("stainful", "python", NAMES);
    const applied = await applyRewrites(dir, layout.rewrites, NAMES);
    assertEquals(applied, [{
      file: "resources/calls.py",
      from: "from weave_server_sdk",
      to: "from weave.vendor.weave_server_sdk",
      count: 4,
    }]);
    const text = await Deno.readTextFile(join(dir, "resources/calls.py"));
    assertStringIncludes(text, "from weave.vendor.weave_server_sdk._core._resource import");
    assertStringIncludes(text, "from weave.vendor.weave_server_sdk import _core\n");
    assertStringIncludes(text, "    from weave.vendor.weave_server_sdk.types import Lazy\n");
    assertStringIncludes(text, "from weave_server_sdk_other import x\n");
    assertStringIncludes(text, "    from weave_server_sdk import BaseModel\n"); // docstring
    assertEquals(await findSelfImports(dir, NAMES.packageName), []);
  } finally {
    await removeIfExists(dir);
  }
});

Deno.test("stainful preset: no absolute import at all is an error (the output changed)", async () => {
  const dir = await writePackage({ "__init__.py": "from .a import b\n" });
  try {
    const layout = vendorLayout("stainful", "python", NAMES);
    const error = await assertRejects(() => applyRewrites(dir, layout.rewrites, NAMES));
    assertStringIncludes((error as Error).message, "`from weave_server_sdk...`");
  } finally {
    await removeIfExists(dir);
  }
});

Deno.test("hosted preset: a missing file or text, or a second occurrence, names both", async () => {
  const layout = vendorLayout("stainless", "python", NAMES);
  const proxy = 'mod = importlib.import_module("weave_server_sdk.resources")\n';
  const init = '    __locals[__name].__module__ = "weave_server_sdk"\n';
  const cases: [Record<string, string>, string][] = [
    [{ "__init__.py": init }, "_utils/_resources_proxy.py does not exist"],
    [
      { "__init__.py": "pass\n", "_utils/_resources_proxy.py": proxy },
      `__init__.py does not contain the expected text "__locals[__name].__module__ = \\"weave_server_sdk\\""`,
    ],
    [
      { "__init__.py": init, "_utils/_resources_proxy.py": proxy + proxy },
      "_utils/_resources_proxy.py contains",
    ],
  ];
  for (const [files, message] of cases) {
    const dir = await writePackage(files);
    try {
      const error = await assertRejects(() => applyRewrites(dir, layout.rewrites, NAMES));
      assertStringIncludes((error as Error).message, message);
      assertEquals((error as CodegenError).exitCode, 1);
    } finally {
      await removeIfExists(dir);
    }
  }
});

Deno.test("the guard finds every way a package could still import its own name", async () => {
  const dir = await writePackage({
    "a.py": [
      "import weave_server_sdk",
      "import weave_server_sdk.types as t",
      'm = importlib.import_module("weave_server_sdk.resources")',
      "x = __import__('weave_server_sdk')",
      'X.__module__ = "weave_server_sdk"',
      'log = logging.getLogger("weave_server_sdk")', // a name, not an import
      "# import weave_server_sdk",
      "",
    ].join("\n"),
  });
  try {
    const found = await findSelfImports(dir, NAMES.packageName);
    assertEquals(found.map((f) => f.line), [1, 2, 3, 4, 5]);
    const error = await assertRejects(() => requireNoSelfImports(dir, NAMES.packageName));
    assertStringIncludes((error as CodegenError).details ?? "", "a.py:3: m = importlib");
  } finally {
    await removeIfExists(dir);
  }
});

Deno.test("presets: layouts per generator and target; unknown ones are usage errors", () => {
  assertEquals(vendorLayout("openapi-python-client", "python", NAMES).subtree, "weave_server_sdk");
  assertEquals(vendorLayout("stainful", "python", NAMES).subtree, "weave_server_sdk");
  assertEquals(vendorLayout("stainless", "python", NAMES).subtree, "src/weave_server_sdk");
  assertEquals(vendorLayout("stlc", "python", NAMES).subtree, "src/weave_server_sdk");
  assertEquals(vendorLayout("stainful", "node", NAMES).subtree, "*/src");
  assertEquals(vendorLayout("stainless", "typescript", NAMES).rewrites, []);
  for (
    const [generator, target, text] of [
      ["openapi-python-client", "typescript", "does not produce a typescript SDK"],
      ["command", "python", "has no vendoring preset"],
      ["stainful", "go", "cannot vendor target `go`"],
    ]
  ) {
    const error = assertThrows(() => vendorLayout(generator, target, NAMES));
    assertStringIncludes(error.message, text);
    assertEquals((error as CodegenError).exitCode, 2);
  }
});
