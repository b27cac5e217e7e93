/**
 * Pins of a local SDK remote whose path has spaces and non-ASCII letters: the URL is
 * percent-encoded, the entry is a valid PEP 508 requirement, and pip installs that URL (offline,
 * with git). Entries that are not valid requirements are never written.
 */
import { join } from "node:path";
import { pipInstallOffline } from "../helpers/pip.ts";
import { assert, assertEquals, assertMatch } from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import { commitFiles, GIT_ENV, gitIn, TRACE_PYPROJECT } from "../helpers/git_fixtures.ts";
import { requirementProblem } from "../../lib/pin/pep503.ts";
import { withTempDir } from "../helpers/temp_dir.ts";

const SDK_FILES = {
  "pyproject.toml": `[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "weave_server_sdk"
version = "1.2.3"
`,
  "weave_server_sdk/__init__.py": "VERSION = '1.2.3'\n",
};

/** A bare origin under `root/my sdks/é-origin.git`, a clone holding one pushed commit. */
async function sdkWithAwkwardOrigin(root: string): Promise<{ sdk: string; sha: string }> {
  const origin = join(root, "my sdks", "é-origin.git");
  await Deno.mkdir(join(root, "my sdks"));
  await gitIn(root, "init", "--quiet", "--bare", "-b", "main", origin);
  const sdk = join(root, "sdk");
  await gitIn(root, "init", "--quiet", "-b", "main", sdk);
  const sha = await commitFiles(sdk, { message: "SDK", files: SDK_FILES });
  await gitIn(sdk, "remote", "add", "origin", origin);
  await gitIn(sdk, "push", "--quiet", "origin", "main");
  return { sdk, sha };
}

Deno.test("a local remote with a space and é is pinned percent-encoded, and pip installs it", async () => {
  await withTempDir("codegen-pin-url-", async (root) => {
    const { sdk, sha } = await sdkWithAwkwardOrigin(root);
    await Deno.writeTextFile(join(root, "pyproject.toml"), TRACE_PYPROJECT);
    const result = await runCli(
      ["--repo-root", root, "update_pyproject", sdk, "weave_server_sdk", "--json"],
      { env: GIT_ENV },
    );
    assertEquals(result.code, 0, result.stderr);
    const url = `git+file://${root}/my%20sdks/%C3%A9-origin.git`;
    const entry = `weave_server_sdk @ ${url}@${sha}`;
    assertEquals(JSON.parse(result.stdout).entry, entry);
    assert((await Deno.readTextFile(join(root, "pyproject.toml"))).includes(`"${entry}"`));
    assertEquals(await requirementProblem(entry), undefined);
    // pip clones the URL with git and builds the package: no index, no network.
    const site = join(root, "site");
    await pipInstallOffline(`${url}@${sha}`, site, {
      what: "pip install the pinned URL",
      env: GIT_ENV,
    });
    assert((await Deno.stat(join(site, "weave_server_sdk/__init__.py"))).isFile);
  });
});

Deno.test("an entry that would not be a valid PEP 508 requirement is refused; the file is kept", async () => {
  await withTempDir("codegen-pin-url-", async (root) => {
    const { sdk } = await sdkWithAwkwardOrigin(root);
    // The existing entry's marker is kept by the pin, and it is not a valid marker.
    const pyproject = TRACE_PYPROJECT.replace(
      '"weave_server_sdk==0.0.1", # generated SDK',
      `"weave_server_sdk==0.0.1 ; python_version >= 3.9",`,
    );
    await Deno.writeTextFile(join(root, "pyproject.toml"), pyproject);
    const result = await runCli(
      ["--repo-root", root, "update_pyproject", sdk, "weave_server_sdk"],
      {
        env: GIT_ENV,
      },
    );
    assertEquals(result.code, 1, result.stderr);
    assertMatch(
      result.stderr,
      /refusing to write .*pyproject\.toml: `weave_server_sdk @ git\+file:\/\/.*%20.*` is not a valid PEP 508 requirement \(invalid marker: "3" is not a marker value\)/,
    );
    assertMatch(result.stderr, /hint: No installer \(pip, uv\) would accept it/);
    assertEquals(await Deno.readTextFile(join(root, "pyproject.toml")), pyproject);
  });
});
