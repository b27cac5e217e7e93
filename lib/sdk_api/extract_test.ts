/** Reading an SDK's API with extract.py: the hosted-Stainless layout, errors, and git commits. */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { join } from "node:path";
import { HOSTED_STAINLESS_FIXTURE, writeTree } from "../../tests/helpers/sdk_api_fixtures.ts";
import { makeClone, removeAll } from "../../tests/helpers/sdk_clone.ts";
import { commitFiles } from "../../tests/helpers/git_fixtures.ts";
import { gitOutput } from "../git/git.ts";
import { pendingCleanups } from "../core/cleanup.ts";
import { CodegenError } from "../core/errors.ts";
import {
  extractPackageApi,
  extractSdkApi,
  extractSdkApiAtCommit,
  SdkLayoutError,
} from "./extract.ts";
import type { SdkApi, SdkParam } from "./model.ts";

const keyword = (name: string, required: boolean, annotation: string | null): SdkParam => ({
  name,
  kind: "keyword",
  required,
  annotation,
});
const positional = (name: string, required: boolean, annotation: string | null): SdkParam => ({
  name,
  kind: "positional",
  required,
  annotation,
});

/** What the fixture in tests/helpers/sdk_api_fixtures.ts declares, read by hand. */
const FIXTURE_API: SdkApi = {
  layout: "stainless",
  package: "acme_sdk",
  packageDir: "src/acme_sdk",
  clients: [
    // Its own __init__, without the private _strict_response_validation.
    {
      name: "Acme",
      kind: "sync",
      params: [keyword("api_key", false, "str | None"), keyword("base_url", false, "str | None")],
    },
    { name: "AsyncAcme", kind: "async", params: null },
  ],
  resources: [
    {
      name: "gadgets",
      methods: [{ name: "list", sync: true, async: true, params: [], returns: "object" }],
    },
    {
      name: "gadgets.parts",
      methods: [
        {
          name: "count",
          sync: true,
          async: false,
          params: [
            positional("gadget_id", true, null),
            positional("color", false, "str"),
            { name: "colors", kind: "var-positional", required: false, annotation: "str" },
            keyword("exact", true, "bool"),
            { name: "filters", kind: "var-keyword", required: false, annotation: null },
          ],
          returns: "int",
        },
        {
          name: "unit",
          sync: true,
          async: false,
          params: [positional("kind", true, "str")],
          returns: "str",
        },
      ],
    },
    {
      name: "widgets",
      methods: [
        {
          name: "create",
          sync: true,
          async: true,
          params: [
            keyword("name", true, "str"),
            keyword("size", false, "widget_create_params.Size | Omit"),
          ],
          returns: "Widget",
        },
        {
          name: "retrieve",
          sync: true,
          async: true,
          params: [positional("widget_id", true, "str"), keyword("expand", false, "bool | Omit")],
          returns: "Widget",
        },
        {
          name: "watch",
          sync: true,
          async: false,
          params: [keyword("stream", false, "bool")],
          returns: "Widget | bytes",
        },
      ],
    },
  ],
  types: ["Color", "Size", "Widget", "WidgetCreateParams"],
};

/** The error `fn` rejects with, which must be an instance of `type`. */
async function rejectsWith<T extends Error>(
  fn: () => Promise<unknown>,
  type: new (...args: never[]) => T,
): Promise<T> {
  const error = await assertRejects(fn);
  assert(error instanceof type, `expected a ${type.name}, got: ${error}`);
  return error;
}

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sdk-api-test-" });
  await writeTree(dir, files);
  return dir;
}

Deno.test("a hosted-Stainless-shaped tree: resources, subresources, clients, exported types", async () => {
  const dir = await tree(HOSTED_STAINLESS_FIXTURE);
  try {
    const api = await extractSdkApi(dir);
    assertEquals(api, FIXTURE_API);
    // Stable: the same tree gives byte-identical JSON.
    assertEquals(JSON.stringify(await extractSdkApi(dir)), JSON.stringify(api));
  } finally {
    await removeAll(dir);
  }
});

Deno.test("the same package without src/ is the stainful layout", async () => {
  const files = Object.fromEntries(
    Object.entries(HOSTED_STAINLESS_FIXTURE).map((
      [path, text],
    ) => [path.replace(/^src\//, ""), text]),
  );
  const dir = await tree(files);
  try {
    assertEquals(await extractSdkApi(dir), {
      ...FIXTURE_API,
      layout: "stainful",
      packageDir: "acme_sdk",
    });
  } finally {
    await removeAll(dir);
  }
});

Deno.test("a package directory read as itself: a staged copy with a temporary name", async () => {
  const files = Object.fromEntries(
    Object.entries(HOSTED_STAINLESS_FIXTURE).filter(([path]) => path.startsWith("src/acme_sdk/"))
      .map(([path, text]) => [path.replace(/^src\/acme_sdk\//, ".acme_sdk.new-1a2b/"), text]),
  );
  const dir = await tree(files);
  try {
    const staged = join(dir, ".acme_sdk.new-1a2b");
    assertEquals(await extractPackageApi(staged, "acme_sdk"), {
      ...FIXTURE_API,
      layout: "stainful",
      packageDir: ".",
    });
    const error = await rejectsWith(() => extractPackageApi(dir, "acme_sdk"), SdkLayoutError);
    assertStringIncludes(error.message, `${dir} is not a Python SDK package`);
  } finally {
    await removeAll(dir);
  }
});

Deno.test("no known layout is an SdkLayoutError that says which layouts are known", async () => {
  const dir = await tree({
    "README.md": "hi\n",
    "tool/__init__.py": "",
    "tool/main.py": "x = 1\n",
  });
  try {
    const error = await rejectsWith(() => extractSdkApi(dir), SdkLayoutError);
    assertStringIncludes(error.message, `no Python SDK package found in ${dir}`);
    assertStringIncludes(error.hint ?? "", "src/<pkg>/resources/ (Stainless)");
    assertStringIncludes(error.hint ?? "", "<pkg>/api/ (openapi-python-client)");
  } finally {
    await removeAll(dir);
  }
});

Deno.test("several SDK packages: an error naming them, unless the package name picks one", async () => {
  const second = Object.fromEntries(
    Object.entries(HOSTED_STAINLESS_FIXTURE).filter(([path]) => path.startsWith("src/"))
      .map(([path, text]) => [path.replace("src/acme_sdk/", "other_sdk/"), text]),
  );
  const dir = await tree({ ...HOSTED_STAINLESS_FIXTURE, ...second });
  try {
    const error = await rejectsWith(() => extractSdkApi(dir), SdkLayoutError);
    assertStringIncludes(error.message, "src/acme_sdk (stainless), other_sdk (stainful)");
    const picked = await extractSdkApi(dir, { packageName: "other_sdk" });
    assertEquals([picked.package, picked.layout], ["other_sdk", "stainful"]);
  } finally {
    await removeAll(dir);
  }
});

Deno.test("a file Python cannot parse is named with its line", async () => {
  const dir = await tree({
    ...HOSTED_STAINLESS_FIXTURE,
    "src/acme_sdk/resources/broken.py": "class BrokenResource(SyncAPIResource):\n    def x(:\n",
  });
  try {
    const error = await rejectsWith(() => extractSdkApi(dir), SdkLayoutError);
    assertStringIncludes(error.message, "src/acme_sdk/resources/broken.py:2: ");
  } finally {
    await removeAll(dir);
  }
});

Deno.test("a missing directory is a clear error", async () => {
  const error = await rejectsWith(() => extractSdkApi("/nonexistent/sdk"), CodegenError);
  assertStringIncludes(error.message, "/nonexistent/sdk is not a directory");
});

Deno.test("a commit's API is read without touching the clone's worktree, index or branches", async () => {
  const clone = await makeClone(HOSTED_STAINLESS_FIXTURE);
  try {
    const first = await gitOutput(clone, ["rev-parse", "HEAD"]);
    await commitFiles(clone, {
      message: "fewer types",
      files: { "src/acme_sdk/types/__init__.py": "from .widget import Widget as Widget\n" },
    });
    // Uncommitted work: a staged change and an untracked file.
    await Deno.writeTextFile(join(clone, "src/acme_sdk/resources/widgets.py"), "# edited\n");
    await gitOutput(clone, ["add", "src/acme_sdk/resources/widgets.py"]);
    await Deno.writeTextFile(join(clone, "notes.txt"), "mine\n");
    const state = async () => [
      await gitOutput(clone, ["status", "--porcelain"]),
      await gitOutput(clone, ["for-each-ref"]),
      await gitOutput(clone, ["ls-files", "--stage"]),
      await gitOutput(clone, ["worktree", "list", "--porcelain"]),
    ];
    const before = await state();

    assertEquals(await extractSdkApiAtCommit(clone, first), FIXTURE_API);
    assertEquals((await extractSdkApiAtCommit(clone, "main")).types, ["Widget"]);

    assertEquals(await state(), before);
    assertEquals(await Deno.readTextFile(join(clone, "notes.txt")), "mine\n");
    assert(!pendingCleanups().some((what) => what.includes("codegen-sdk-api-")), "temp dir left");
    const missing = await rejectsWith(() => extractSdkApiAtCommit(clone, "nope"), CodegenError);
    assertStringIncludes(missing.message, "nope: no such commit");
  } finally {
    await removeAll(clone);
  }
});
