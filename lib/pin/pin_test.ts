/**
 * Pinning the SDK: installable URLs without credentials, the SDK's version (worktree or a commit;
 * a missing file, a bad ref and a broken repository told apart), and a pin written or planned.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { commitFiles, gitIn } from "../../tests/helpers/git_fixtures.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { join } from "node:path";
import { redact } from "../core/redact.ts";
import type { CodegenError } from "../core/errors.ts";
import { installableUrl, pinSdk, preparePin, sdkHead } from "./pin.ts";
import { NoSdkVersionError, sdkVersion } from "./sdk_version.ts";

const TRACE_PYPROJECT = `[project]\nname = "trace"\nversion = "1.0.0"\n`;
const sdkPyproject = (version: string) =>
  `[project]\nname = "weave_server_sdk"\nversion = "${version}"\n`;

/** A trace repo's pyproject.toml and an SDK clone (one commit, version 1.2.3, origin set). */
function withSdk(fn: (sdk: string, pyproject: string, root: string) => Promise<void>) {
  return withTempDir("codegen-pin-", async (root) => {
    const sdk = join(root, "sdk");
    await gitIn(root, "init", "--quiet", "-b", "main", sdk);
    await commitFiles(sdk, { message: "SDK", files: { "pyproject.toml": sdkPyproject("1.2.3") } });
    await gitIn(sdk, "remote", "add", "origin", "https://tok3nInUrl@github.com/wandb/sdk.git");
    const pyproject = join(root, "pyproject.toml");
    await Deno.writeTextFile(pyproject, TRACE_PYPROJECT);
    await fn(sdk, pyproject, root);
  });
}

Deno.test("remote URLs become installable URLs without credentials", () => {
  assertEquals(
    installableUrl("git@github.com:wandb/sdk.git"),
    "ssh://git@github.com/wandb/sdk.git",
  );
  assertEquals(installableUrl("github.com:wandb/sdk.git"), "ssh://github.com/wandb/sdk.git");
  assertEquals(
    installableUrl("https://user:tok3nSecret@github.com/wandb/sdk.git"),
    "https://github.com/wandb/sdk.git",
  );
  assertEquals(
    installableUrl("https://x-access-token@github.com/wandb/sdk.git"),
    "https://github.com/wandb/sdk.git",
  );
  assertEquals(installableUrl("ssh://git:pw9876@host/sdk.git"), "ssh://git@host/sdk.git");
  assertEquals(installableUrl("git://127.0.0.1:9418/sdk.git"), "git://127.0.0.1:9418/sdk.git");
  assertEquals(installableUrl("../remote.git", "/work/sdk"), "file:///work/remote.git");
  assertEquals(installableUrl("/srv/remote.git "), "file:///srv/remote.git");
  // A token seen in a remote is never printed afterwards.
  assertEquals(redact("token tok3nSecret"), "token ***");
});

Deno.test("sdkVersion: [project].version of the worktree's or a commit's pyproject.toml", async () => {
  await withSdk(async (sdk) => {
    const first = await gitIn(sdk, "rev-parse", "HEAD");
    await commitFiles(sdk, {
      message: "2.0",
      files: { "pyproject.toml": sdkPyproject(" 2.0.0 ") },
    });
    await Deno.writeTextFile(join(sdk, "pyproject.toml"), sdkPyproject("3.0.0.dev0"));
    assertEquals(await sdkVersion(sdk), "3.0.0.dev0");
    assertEquals(await sdkVersion(sdk, "HEAD"), "2.0.0");
    assertEquals(await sdkVersion(sdk, first), "1.2.3");
    await Deno.writeTextFile(
      join(sdk, "pyproject.toml"),
      `[project]\nname = "x"\ndynamic = ["version"]\n`,
    );
    await assertRejects(() => sdkVersion(sdk), /has no \[project\]\.version \(it is dynamic\)/);
  });
});

Deno.test("sdkVersion: setup.py's literal version= when pyproject.toml has none (openapi-python-client)", async () => {
  await withSdk(async (sdk) => {
    const setupPy = `setup(\n    name="acme",\n    version="0.4.0",\n    packages=[],\n)\n`;
    await commitFiles(sdk, {
      message: "setup.py only",
      files: { "pyproject.toml": null, "setup.py": setupPy },
    });
    assertEquals(await sdkVersion(sdk), "0.4.0");
    assertEquals(await sdkVersion(sdk, "HEAD"), "0.4.0");
    // [project].version comes first.
    await Deno.writeTextFile(join(sdk, "pyproject.toml"), sdkPyproject("0.5.0"));
    assertEquals(await sdkVersion(sdk), "0.5.0");
    await Deno.writeTextFile(join(sdk, "pyproject.toml"), `[project]\nname = "x"\n`);
    assertEquals(await sdkVersion(sdk), "0.4.0");
    await Deno.writeTextFile(join(sdk, "setup.py"), "setup(name='x', version=get_version())\n");
    const neither = await assertRejects(() => sdkVersion(sdk));
    assertMatch(
      neither.message,
      /\/sdk\/pyproject\.toml has no \[project\]\.version; .*\/sdk\/setup\.py has no literal version=$/,
    );
    assertStringIncludes((neither as CodegenError).hint ?? "", "version= in its setup.py");
    assert(neither instanceof NoSdkVersionError, "all tells it from a broken clone");
  });
});

Deno.test("sdkVersion at a ref: a missing file, a bad ref and a broken repository are different errors", async () => {
  await withSdk(async (sdk, _pyproject, root) => {
    await commitFiles(sdk, { message: "no pyproject", files: { "pyproject.toml": null } });
    await assertRejects(
      () => sdkVersion(sdk, "HEAD"),
      /^HEAD:pyproject\.toml of .*\/sdk does not exist; HEAD:setup\.py of .*\/sdk does not exist$/,
    );
    await assertRejects(
      () => sdkVersion(sdk, "no-such-branch"),
      /^no-such-branch is not a commit of the SDK clone .*\/sdk$/,
    );
    await Deno.mkdir(join(root, "not-a-repo"));
    const broken = await assertRejects(
      () => sdkVersion(join(root, "not-a-repo"), "HEAD"),
      /^cannot read HEAD in the SDK clone .*not-a-repo: git failed$/,
    );
    assertMatch((broken as CodegenError).details ?? "", /not a git repository/);
    // A commit whose tree object is gone: git fails reading it, which is not "no such file".
    const tree = await gitIn(sdk, "rev-parse", "HEAD~1^{tree}");
    await Deno.remove(join(sdk, ".git/objects", tree.slice(0, 2), tree.slice(2)));
    const missingTree = await assertRejects(() => sdkVersion(sdk, "HEAD~1"));
    assertStringIncludes(missingTree.message, "pyproject.toml of HEAD~1 failed");
  });
});

Deno.test("sdkHead: HEAD of the clone; a clone without a commit is an error", async () => {
  await withSdk(async (sdk, _pyproject, root) => {
    assertEquals(await sdkHead(sdk), await gitIn(sdk, "rev-parse", "HEAD"));
    const empty = join(root, "empty");
    await gitIn(root, "init", "--quiet", empty);
    await assertRejects(() => sdkHead(empty), /the SDK clone .*\/empty has no commit yet/);
  });
});

Deno.test("preparePin checks the package name and pyproject.toml before anything", async () => {
  await withSdk(async (sdk, pyproject, root) => {
    const target = { pyprojectPath: pyproject, packageName: "weave_server_sdk", sdkRepo: sdk };
    const badName = await assertRejects(
      () => preparePin({ ...target, packageName: "not a name" }),
      /invalid package name "not a name"/,
    );
    assertEquals((badName as CodegenError).exitCode, 2);
    await assertRejects(
      () => preparePin({ ...target, pyprojectPath: join(root, "missing.toml") }),
      /pyproject\.toml not found: .*missing\.toml/,
    );
    await Deno.writeTextFile(join(root, "tool.toml"), "[tool.x]\na = 1\n");
    await assertRejects(
      () => preparePin({ ...target, pyprojectPath: join(root, "tool.toml") }),
      /tool\.toml has no \[project\] table/,
    );
    const prepared = await preparePin(target);
    assertEquals(prepared.gitUrl, "git+https://github.com/wandb/sdk.git");
    assertEquals([prepared.extra, prepared.release], ["stainless", false]);
  });
});

Deno.test("pinSdk: a dry run changes nothing; a commit pin, then a release pin, are written", async () => {
  await withSdk(async (sdk, pyproject) => {
    const sha = await gitIn(sdk, "rev-parse", "HEAD");
    const target = { pyprojectPath: pyproject, packageName: "weave_server_sdk", sdkRepo: sdk };
    const entry = `weave_server_sdk @ git+https://github.com/wandb/sdk.git@${sha}`;
    const planned = await pinSdk({ ...target, dryRun: true });
    assertEquals([planned.entry, planned.changed, planned.replaced], [entry, true, []]);
    assertEquals(await Deno.readTextFile(pyproject), TRACE_PYPROJECT, "dry run: not written");
    const written = await pinSdk(target);
    assertEquals(written.entry, entry);
    assertStringIncludes(await Deno.readTextFile(pyproject), `"${entry}"`);
    const release = await pinSdk({ ...target, release: true });
    assertEquals([release.entry, release.replaced], ["weave_server_sdk==1.2.3", [entry]]);
    const again = await pinSdk({ ...target, release: true });
    assert(!again.changed, "the same pin twice changes nothing");
  });
});
