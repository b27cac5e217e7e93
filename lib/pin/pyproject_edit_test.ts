/** pyproject.toml edits: golden files compared byte for byte. */
import { assert, assertEquals, assertThrows } from "../../tests/helpers/assert.ts";
import { editPyproject } from "./pyproject_edit.ts";

const FIXTURES = new URL("../../tests/fixtures/pyproject/", import.meta.url);
const SHA = "89abcdef0123456789abcdef0123456789abcdef";
const GIT_SPEC = ` @ git+https://github.com/wandb/weave-server-sdk.git@${SHA}`;
const CASES = ["weave", "comments", "crlf", "inline", "created", "single_line"];

function fixture(name: string): string {
  return Deno.readTextFileSync(new URL(name, FIXTURES));
}

function pin(text: string, release: boolean, packageName = "weave_server_sdk") {
  return editPyproject(text, {
    extra: "stainless",
    packageName,
    spec: release ? "==1.2.3" : GIT_SPEC,
    allowDirectReferences: !release,
  }, "pyproject.toml");
}

for (const name of CASES) {
  for (const release of [false, true]) {
    const mode = release ? "release" : "git";
    Deno.test(`golden: ${name} (${mode} pin) matches ${name}.${mode}.toml byte for byte`, () => {
      const output = pin(fixture(`${name}.in.toml`), release).text;
      assertEquals(output, fixture(`${name}.${mode}.toml`));
    });
    Deno.test(`golden: ${name} (${mode} pin) is idempotent`, () => {
      const once = fixture(`${name}.${mode}.toml`);
      assertEquals(pin(once, release).text, once);
    });
  }
}

Deno.test("golden: CRLF files keep CRLF on every line, including new ones", () => {
  const output = pin(fixture("crlf.in.toml"), false).text;
  assertEquals(output.replaceAll("\r\n", "").includes("\n"), false);
});

Deno.test("git pin then release pin gives back the release golden file", () => {
  const git = pin(fixture("single_line.in.toml"), false).text;
  assertEquals(pin(git, true).text, fixture("single_line.release.toml"));
});

Deno.test("an existing entry is replaced by normalized name; similar names are left alone", () => {
  const result = pin(fixture("comments.in.toml"), false, "WEAVE.server-SDK");
  assertEquals(result.replaced, ["Weave-Server-SDK[x]>=1"]);
  assert(result.text.includes(`"weave_server_sdk_extras>=2"`));
  assertEquals(result.entries, [`WEAVE.server-SDK[x]${GIT_SPEC}`]);
});

Deno.test("two entries for the package (different markers) are both pinned, markers kept", () => {
  const text = `[project]\nname = "t"\n[project.optional-dependencies]\nstainless = [\n` +
    `  "weave_server_sdk>=1; python_version < '3.10'",\n  "weave_server_sdk>=2; python_version >= '3.10'",\n]\n`;
  const result = pin(text, true);
  assertEquals(result.entries, [
    "weave_server_sdk==1.2.3 ; python_version < '3.10'",
    "weave_server_sdk==1.2.3 ; python_version >= '3.10'",
  ]);
});

Deno.test("a missing extra is added to the existing table", () => {
  const text =
    `[project]\nname = "t"\n\n[project.optional-dependencies]\ntest = ["pytest"]\n\n[tool.x]\na = 1\n`;
  const result = editPyproject(text, {
    extra: "sdk",
    packageName: "weave_server_sdk",
    spec: "==1.2.3",
    allowDirectReferences: false,
  }, "p");
  assertEquals(
    result.text,
    `[project]\nname = "t"\n\n[project.optional-dependencies]\ntest = ["pytest"]\nsdk = ["weave_server_sdk==1.2.3"]\n\n[tool.x]\na = 1\n`,
  );
});

Deno.test("invalid TOML and a missing [project] table are errors", () => {
  assertThrows(() => pin(`[project\nname = "x"\n`, false), /not valid TOML/);
  assertThrows(() => pin(`[tool.x]\na = 1\n`, false), /no \[project\] table/);
  assertThrows(
    () => pin(`[project]\noptional-dependencies = { stainless = "x" }\n`, false),
    /not a list/,
  );
});
