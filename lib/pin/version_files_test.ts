/** Version files: found in a commit, agreeing, and edited so that only the version changes. */
import { assertEquals, assertRejects, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { makeClone, removeAll } from "../../tests/helpers/sdk_clone.ts";
import type { CodegenError } from "../core/errors.ts";
import {
  agreedVersion,
  readVersionFiles,
  topLevelStringSpan,
  withVersion,
} from "./version_files.ts";

const PYPROJECT =
  `# The SDK\r\n[project]\r\nname = "weave_server_sdk"\r\nversion = '0.4.1'  # x-release-please-version\r\ndependencies = ["httpx>=0.27"]\r\n\r\n[tool.x]\r\nversion = "9.9.9"\r\n`;
const VERSION_PY =
  `# generated\n__title__ = "weave_server_sdk"\n__version__ = "0.4.1"  # x-release-please-version\n`;
const PACKAGE_JSON =
  `{\n  "name": "weave-sdk",\n  "scripts": { "version": "echo 1" },\n  "dependencies": {"a": {"version": "1"}},\n  "version":   "0.4.1",\n  "license": "MIT"\n}\n`;

Deno.test("python: pyproject [project].version and _version.py, edited byte-minimally", async () => {
  const clone = await makeClone({
    "pyproject.toml": PYPROJECT,
    "src/weave_server_sdk/_version.py": VERSION_PY,
    "src/weave_server_sdk/__init__.py": "from ._version import __version__\n",
    "tests/test_x.py": '__version__ = "not a version file"\n',
  });
  try {
    const files = await readVersionFiles(clone, "HEAD", "python");
    assertEquals(files.map((f) => [f.path, f.version]), [
      ["pyproject.toml", "0.4.1"],
      ["src/weave_server_sdk/_version.py", "0.4.1"],
    ]);
    assertEquals(agreedVersion(files), "0.4.1");
    assertEquals(withVersion(files[0], "0.5.0", "python"), PYPROJECT.replace("'0.4.1'", "'0.5.0'"));
    assertEquals(
      withVersion(files[1], "0.5.0", "python"),
      VERSION_PY.replace('"0.4.1"', '"0.5.0"'),
    );
  } finally {
    await removeAll(clone);
  }
});

/** setup.py as openapi-python-client 0.29.1 writes it (`--meta setup`). */
const SETUP_PY = `import pathlib

from setuptools import find_packages, setup

here = pathlib.Path(__file__).parent.resolve()
long_description = (here / "README.md").read_text(encoding="utf-8")

setup(
    name="weave_server_sdk",
    version="0.1.0",
    description="A client library for accessing Weave",
    long_description=long_description,
    long_description_content_type="text/markdown",
    packages=find_packages(),
    python_requires=">=3.11, <4",
    install_requires=["httpx >= 0.23.1, < 0.29.0", "attrs >= 22.2.0"],
    package_data={"weave_server_sdk": ["py.typed"]},
)
`;

Deno.test("python: a literal version= of setup(...) in setup.py (openapi-python-client), edited byte-minimally", async () => {
  const clone = await makeClone({
    "setup.py": SETUP_PY,
    "pyproject.toml": "[tool.ruff]\nline-length = 120\n",
    "weave_server_sdk/__init__.py": '"""A client library"""\n',
  });
  try {
    const files = await readVersionFiles(clone, "HEAD", "python");
    assertEquals(files.map((f) => [f.path, f.version]), [["setup.py", "0.1.0"]]);
    assertEquals(
      withVersion(files[0], "0.2.0-rc.1", "python"),
      SETUP_PY.replace('version="0.1.0"', 'version="0.2.0-rc.1"'),
    );
  } finally {
    await removeAll(clone);
  }
  // A computed version is not read (nor a version= of another call, or a python_version=).
  const computed = await makeClone({
    "setup.py":
      'setup(name="x", python_version="3", version=read_version(), extras=dict(version="9"))\n',
  });
  try {
    const none = await assertRejects(() => readVersionFiles(computed, "HEAD", "python"));
    assertStringIncludes(none.message, "or a literal version= in setup.py");
    assertStringIncludes((none as CodegenError).hint!, "--preserve pyproject.toml");
    assertStringIncludes((none as CodegenError).hint!, "post_generate");
  } finally {
    await removeAll(computed);
  }
});

Deno.test("typescript: top-level package.json version and src/version.ts, nothing else touched", async () => {
  const clone = await makeClone({
    "package.json": PACKAGE_JSON,
    "src/version.ts": "export const VERSION = '0.4.1'; // x-release-please-version\n",
  });
  try {
    const files = await readVersionFiles(clone, "HEAD", "typescript");
    assertEquals(files.map((f) => f.version), ["0.4.1", "0.4.1"]);
    assertEquals(
      withVersion(files[0], "1.0.0", "typescript"),
      PACKAGE_JSON.replace('"0.4.1"', '"1.0.0"'),
    );
    assertEquals(
      withVersion(files[1], "1.0.0", "typescript"),
      "export const VERSION = '1.0.0'; // x-release-please-version\n",
    );
    assertEquals(topLevelStringSpan('{"a": {"version": "x"}}', "version"), undefined);
  } finally {
    await removeAll(clone);
  }
});

Deno.test("disagreeing files and no version at all are errors that say where to look", async () => {
  const clone = await makeClone({
    "pyproject.toml": `[project]\nname = "x"\nversion = "1.0.0"\n`,
    "sdk/__init__.py": '__version__ = "0.9.0"\n',
  });
  try {
    const error = (() => {
      try {
        agreedVersion([{ path: "a", text: "", version: "1" }, {
          path: "b",
          text: "",
          version: "2",
        }]);
      } catch (e) {
        return e as CodegenError;
      }
    })()!;
    assertEquals(error.message, "the SDK's version files disagree");
    assertEquals(error.details, "a: 1\nb: 2");
    const files = await readVersionFiles(clone, "HEAD", "python");
    assertEquals(files.map((f) => `${f.path}=${f.version}`), [
      "pyproject.toml=1.0.0",
      "sdk/__init__.py=0.9.0",
    ]);
    const none = await assertRejects(
      () => readVersionFiles(clone, "HEAD", "typescript"),
      /the SDK has no version/,
    );
    assertStringIncludes(none.message, '"version" in package.json');
  } finally {
    await removeAll(clone);
  }
});
