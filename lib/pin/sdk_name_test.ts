import { join } from "../core/paths.ts";
import { assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { nameMismatchWarning, sdkDistributionName, setupPyName } from "./sdk_name.ts";

Deno.test("setup.py: the literal name= of setup(), not a nested call's nor a computed one", () => {
  assertEquals(
    setupPyName(`setup(\n    name="weave-server-sdk",\n    version="1.0",\n)`),
    "weave-server-sdk",
  );
  assertEquals(setupPyName(`setup(version='1', name='x_sdk')`), "x_sdk");
  assertEquals(setupPyName(`setup(name=NAME, version="1")`), undefined);
  assertEquals(setupPyName(`setup(author=dict(name="someone"))`), undefined);
  assertEquals(setupPyName(`print("no setup here")`), undefined);
});

Deno.test("setup.py: comments and string contents are not code", () => {
  assertEquals(setupPyName(`setup(\n  # name="comment",\n  name="real")`), "real");
  assertEquals(setupPyName(`# setup(name="commented")\nsetup(name=NAME)`), undefined);
  assertEquals(
    setupPyName(`setup(description="use name = 'x',", name="real")`),
    "real",
  );
  assertEquals(setupPyName(`setup(description="""a (\nname="x", """, name='real',)`), "real");
  assertEquals(setupPyName(`setup(version="1")  # name="x"`), undefined);
  assertEquals(setupPyName(`setup(\n  name="a#b",\n)`), "a#b");
  assertEquals(setupPyName(`setup(name="a\\"b")`), undefined);
});

Deno.test("the SDK's name: pyproject [project].name first, else setup.py, else none", async () => {
  const dir = await Deno.makeTempDir({ prefix: "codegen-sdk-name-" });
  try {
    assertEquals(await sdkDistributionName(dir), undefined);
    await Deno.writeTextFile(join(dir, "setup.py"), `setup(name="from-setup")\n`);
    assertEquals(await sdkDistributionName(dir), "from-setup");
    await Deno.writeTextFile(join(dir, "pyproject.toml"), `[project]\ndynamic = ["name"]\n`);
    assertEquals(await sdkDistributionName(dir), "from-setup");
    await Deno.writeTextFile(join(dir, "pyproject.toml"), `[project]\nname = "Weave.Server-SDK"\n`);
    assertEquals(await sdkDistributionName(dir), "Weave.Server-SDK");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the name mismatch warning: PEP 503 equal names are the same; others named", () => {
  assertEquals(
    nameMismatchWarning("weave_server_sdk", "Weave.Server-SDK", "/sdk", true),
    undefined,
  );
  assertEquals(nameMismatchWarning("anything", undefined, "/sdk", true), undefined);
  const warning = nameMismatchWarning("no_such_pkg", "weave_server_sdk", "/sdk", true)!;
  assertStringIncludes(
    warning,
    "the SDK in /sdk is named weave_server_sdk; pinning no_such_pkg (a new entry): did you mean weave_server_sdk?",
  );
  assertEquals(
    nameMismatchWarning("old_name", "new_name", "/sdk", false)!.includes("new entry"),
    false,
  );
});
