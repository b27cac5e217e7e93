/** A publish release commit, recognized by what it changes (real git, the plumbing publish uses). */
import { assertEquals } from "../../tests/helpers/assert.ts";
import { makeClone, removeAll } from "../../tests/helpers/sdk_clone.ts";
import { commitFiles as commitInWorkTree, gitIn } from "../../tests/helpers/git_fixtures.ts";
import { commitFilesOnTop as commitFiles } from "../git/commit_files.ts";
import { releaseChangeOf } from "./release_commit.ts";
import { readVersionFiles, withVersion } from "../pin/version_files.ts";

const PYPROJECT = `[project]\nname = "weave_server_sdk"\nversion = "0.1.0"\n`;
const VERSION_PY = `__version__ = "0.1.0"\n`;
const PACKAGE_JSON = `{\n  "name": "weave-server-sdk",\n  "version": "0.1.0"\n}\n`;

/** The commit publish makes on `tip`: every version file at `version`, plus `extra` files. */
async function release(
  clone: string,
  tip: string,
  version: string,
  language: "python" | "typescript",
  extra: Record<string, string> = { "CHANGELOG.md": `# Changelog\n\n## ${version}\n` },
): Promise<string> {
  const files: Record<string, string> = { ...extra };
  for (const file of await readVersionFiles(clone, tip, language)) {
    files[file.path] = withVersion(file, version, language);
  }
  return await commitFiles(clone, tip, files, `release: ${version}\n`);
}

Deno.test("a release commit: version literals and CHANGELOG.md only, on one parent", async () => {
  const clone = await makeClone({
    "pyproject.toml": PYPROJECT,
    "weave_server_sdk/_version.py": VERSION_PY,
    "weave_server_sdk/client.py": "class Client: ...\n",
  });
  try {
    const tip = await gitIn(clone, "rev-parse", "HEAD");
    const released = await release(clone, tip, "0.2.0", "python");
    assertEquals(await releaseChangeOf(clone, released, "python"), {
      parent: tip,
      version: "0.2.0",
    });
    // Released again on top: the next one's parent is the first release.
    const next = await release(clone, released, "0.3.0", "python", {
      "CHANGELOG.md": "# Changelog\n\n## 0.3.0\n\n## 0.2.0\n",
    });
    assertEquals((await releaseChangeOf(clone, next, "python"))?.parent, released);
    // Only the changelog (the files already said the version): still a release commit.
    const notes = await commitFiles(clone, tip, { "CHANGELOG.md": "## 0.1.0\n" }, "release\n");
    assertEquals(await releaseChangeOf(clone, notes, "python"), {
      parent: tip,
      version: undefined,
    });

    // Anything else in the commit: not a release.
    const withCode = await release(clone, tip, "0.2.0", "python", {
      "CHANGELOG.md": "## 0.2.0\n",
      "weave_server_sdk/client.py": "class Client: edited = True\n",
    });
    assertEquals(await releaseChangeOf(clone, withCode, "python"), undefined);
    // A version file edited beyond its version literal: not a release.
    const more = await commitFiles(clone, tip, {
      "pyproject.toml": PYPROJECT.replace("0.1.0", "0.2.0") + 'dependencies = ["x"]\n',
    }, "release: 0.2.0\n");
    assertEquals(await releaseChangeOf(clone, more, "python"), undefined);
    // Two versions in one commit: not what publish writes.
    const split = await commitFiles(clone, tip, {
      "pyproject.toml": PYPROJECT.replace("0.1.0", "0.2.0"),
      "weave_server_sdk/_version.py": VERSION_PY.replace("0.1.0", "0.3.0"),
    }, "release\n");
    assertEquals(await releaseChangeOf(clone, split, "python"), undefined);
    // No change at all, and a root commit: no release either.
    const empty = await commitFiles(clone, tip, {}, "empty\n");
    assertEquals(await releaseChangeOf(clone, empty, "python"), undefined);
    const root = (await gitIn(clone, "rev-list", "--max-parents=0", "HEAD")).trim();
    assertEquals(await releaseChangeOf(clone, root, "python"), undefined);
  } finally {
    await removeAll(clone);
  }
});

Deno.test("a TypeScript release commit: package.json's version; a merge commit is no release", async () => {
  const clone = await makeClone({ "package.json": PACKAGE_JSON, "src/index.ts": "export {};\n" });
  try {
    const tip = await gitIn(clone, "rev-parse", "HEAD");
    const released = await release(clone, tip, "0.2.0", "typescript");
    assertEquals(await releaseChangeOf(clone, released, "typescript"), {
      parent: tip,
      version: "0.2.0",
    });
    // The same change read as Python: package.json is no Python version file.
    assertEquals(await releaseChangeOf(clone, released, "python"), undefined);
    await gitIn(clone, "checkout", "--quiet", "-b", "side");
    await commitInWorkTree(clone, { message: "side", files: { "side.ts": "1\n" } });
    await gitIn(clone, "checkout", "--quiet", "main");
    await gitIn(clone, "merge", "--quiet", "--no-ff", "-m", "merge", "side");
    assertEquals(await releaseChangeOf(clone, "HEAD", "typescript"), undefined);
  } finally {
    await removeAll(clone);
  }
});
