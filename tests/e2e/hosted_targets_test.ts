/**
 * The hosted generator (the fake Stainless API) with endpoint groups and vendoring: the build's
 * revision holds the spec and config filtered to the selected groups (the committed files stay
 * whole), and a vendored target, which has no clone, gets the build's commit through a temporary
 * repository and is vendored with the hosted preset's exact rewrites.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { type CliResult, runCli } from "../helpers/cli.ts";
import { hostedEnv, startFakeStainless } from "../helpers/fake_stainless.ts";
import { commitFiles, gitIn } from "../helpers/git_fixtures.ts";
import { exportExampleSpec, makeClone, makeTraceRepo, removeAll } from "../helpers/sdk_clone.ts";
import { IMPORT_PATH, importVendored, VENDOR_DIR } from "../helpers/vendor_fixtures.ts";
import { isEmptyDir } from "../helpers/local_generate.ts";

const SRC = "src/weave_server_sdk";

/** A hosted-shaped package: the two places where the real one names itself. */
const HOSTED_FILES = {
  [`${SRC}/__init__.py`]: `from ._utils import resources

__all__ = ["resources"]

__locals = locals()
for __name in __all__:
    if not __name.startswith("__"):
        try:
            __locals[__name].__module__ = "weave_server_sdk"
        except (TypeError, AttributeError):
            pass
`,
  [`${SRC}/_utils/__init__.py`]: "from ._resources_proxy import resources\n",
  [`${SRC}/_utils/_resources_proxy.py`]: `class ResourcesProxy:
    def __getattr__(self, name):
        import importlib

        mod = importlib.import_module("weave_server_sdk.resources")
        return getattr(mod, name)


resources = ResourcesProxy()
`,
  [`${SRC}/resources/__init__.py`]: "class CallsResource:\n    pass\n",
};

function hosted(repo: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  return runCli([
    "--repo-root",
    repo,
    ...args,
    "--generator",
    "stainless",
    "--poll-interval",
    "0.01",
  ], {
    env,
  });
}

Deno.test("stainless with endpoint groups: the build gets the filtered spec and config", async () => {
  const fake = await startFakeStainless();
  const repo = await makeTraceRepo();
  const clone = await makeClone();
  try {
    const specPath = join(repo, "tools/codegen/openapi.json");
    await exportExampleSpec(specPath);
    const committed = await Deno.readTextFile(specPath);
    const r = await hosted(repo, [
      "generate_code",
      "--python-output",
      clone,
      "--endpoint-group",
      "objects=tag:Objects",
      "--group",
      "objects",
    ], hostedEnv(fake));
    assertEquals(r.code, 0, r.stderr);
    const create = fake.requests.find((q) => q.method === "POST" && q.path === "/v0/builds")!;
    const revision = (create.body as { revision: Record<string, { content: string }> }).revision;
    const spec = JSON.parse(revision["openapi.json"].content);
    assertEquals(Object.keys(spec.paths).sort(), ["/obj/create", "/obj/read"]);
    assert(!("CallSchema" in spec.components.schemas), "components pruned");
    const config = revision["stainless.yml"].content;
    assertStringIncludes(config, "post /obj/create");
    assert(!config.includes("post /call/start"), "the calls methods left the uploaded config");
    assertEquals(await Deno.readTextFile(specPath), committed);
    const stamp = JSON.parse(await gitIn(clone, "show", "main:.codegen/origin.json"));
    assertEquals(stamp.codegen.endpoint_groups.groups[0].name, "objects");
  } finally {
    await fake.close();
    await removeAll(repo, clone);
  }
});

Deno.test("stainless vendoring: the build's commit through a temporary repository, rewritten", async () => {
  const fake = await startFakeStainless({ extraFiles: HOSTED_FILES });
  const repo = await makeTraceRepo();
  const tmp = await Deno.makeTempDir({ prefix: "hosted-vendor-tmp-" });
  try {
    await exportExampleSpec(join(repo, "tools/codegen/openapi.json"));
    await gitIn(repo, "init", "--quiet", "-b", "main");
    await commitFiles(repo, {
      message: "trace",
      files: {
        "weave/__init__.py": "",
        "weave/vendor/__init__.py": "",
        ".gitignore": "__pycache__/\n",
      },
    });
    const r = await hosted(repo, ["vendor", "--vendor-dir", VENDOR_DIR, "--json"], {
      ...hostedEnv(fake),
      TMPDIR: tmp,
    });
    assertEquals(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assertEquals(result.buildId, fake.builds[0].id);
    assertEquals(result.targets.python.generator, "stainless");
    const init = await Deno.readTextFile(join(repo, VENDOR_DIR, "__init__.py"));
    assertStringIncludes(init, `__locals[__name].__module__ = "${IMPORT_PATH}"`);
    const imported = await importVendored(repo, IMPORT_PATH, {
      extra: `
from weave.vendor.weave_server_sdk import resources
result = resources.CallsResource.__module__`,
    });
    assertEquals(imported.leaked, []);
    assertEquals(imported.extra, `${IMPORT_PATH}.resources`);
    assert(await isEmptyDir(tmp), "the temporary repository and checkout are gone");
    for (const secret of [fake.apiKey, fake.gitToken]) {
      assert(!r.stdout.includes(secret) && !r.stderr.includes(secret), "no secret printed");
    }
  } finally {
    await fake.close();
    await removeAll(repo, tmp);
  }
});
