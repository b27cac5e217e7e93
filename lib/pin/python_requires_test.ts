/** requiresPythonWarning: the SDK's requires-python (pyproject.toml or setup.py) against the trace's. */
import { join } from "node:path";
import { assertEquals, assertMatch } from "../../tests/helpers/assert.ts";
import { commitFiles, gitIn } from "../../tests/helpers/git_fixtures.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { requiresPythonWarning } from "./python_requires.ts";

Deno.test("an SDK needing a newer Python than the trace repository allows is named; others are not", async () => {
  await withTempDir("codegen-python-", async (root) => {
    const sdk = join(root, "sdk");
    await gitIn(root, "init", "--quiet", "-b", "main", sdk);
    const setupPy = await commitFiles(sdk, {
      message: "setup.py SDK",
      files: { "setup.py": 'setup(name="x", python_requires=">=3.11, <4")\n' },
    });
    const pyproject = await commitFiles(sdk, {
      message: "pyproject SDK",
      files: {
        "pyproject.toml": '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.9"\n',
      },
    });
    const warning = await requiresPythonWarning(sdk, setupPy, ">=3.10", "/t/pyproject.toml");
    assertMatch(
      warning ?? "",
      /needs Python >=3\.11, <4 \(its setup\.py\), but \/t\/pyproject\.toml allows >=3\.10 \(requires-python\): on Python 3\.10/,
    );
    assertEquals(await requiresPythonWarning(sdk, setupPy, ">=3.11", "/t/p"), undefined);
    assertEquals(await requiresPythonWarning(sdk, setupPy, ">=3.12,<3.14", "/t/p"), undefined);
    // pyproject.toml wins over setup.py; an SDK that allows older Pythons is fine.
    assertEquals(await requiresPythonWarning(sdk, pyproject, ">=3.10", "/t/p"), undefined);
    assertMatch(
      (await requiresPythonWarning(sdk, pyproject, ">=3.8", "/t/p")) ?? "",
      /on Python 3\.8/,
    );
    assertEquals(await requiresPythonWarning(sdk, pyproject, undefined, "/t/p"), undefined);
    assertEquals(await requiresPythonWarning(sdk, pyproject, "not a range", "/t/p"), undefined);
  });
});
