/** Pins are valid PEP 508 requirements: URLs percent-encoded, anything else refused. */
import { assertEquals, assertMatch } from "../../tests/helpers/assert.ts";
import { requirementProblem } from "./pep503.ts";
import { installableUrl } from "./pin.ts";

Deno.test("local remotes with spaces and non-ASCII letters become percent-encoded file URLs", () => {
  assertEquals(installableUrl("/srv/my sdks/é-sdk.git"), "file:///srv/my%20sdks/%C3%A9-sdk.git");
  assertEquals(installableUrl("../a b", "/work/sdk"), "file:///work/a%20b");
  assertEquals(installableUrl("/srv/x#1?.git"), "file:///srv/x%231%3F.git", "# and ? are path");
  // git prints a file URL the way it was configured: raw spaces are encoded, escapes kept.
  assertEquals(installableUrl("file:///srv/my sdks/é.git"), "file:///srv/my%20sdks/%C3%A9.git");
  assertEquals(installableUrl("file:///srv/my%20sdks/x.git"), "file:///srv/my%20sdks/x.git");
  assertEquals(installableUrl("git@host:my org/sdk.git"), "ssh://git@host/my%20org/sdk.git");
  assertEquals(installableUrl("https://host/ä/sdk.git"), "https://host/%C3%A4/sdk.git");
});

Deno.test("valid requirements: URL pins, version pins, extras and markers", async () => {
  for (
    const valid of [
      "weave_server_sdk @ git+file:///srv/my%20sdks/%C3%A9.git@0123456789abcdef0123456789abcdef01234567",
      "weave_server_sdk @ git+ssh://git@github.com/wandb/sdk.git@abc",
      "weave_server_sdk==0.1.0",
      "weave-server-sdk[async, cli] >=1.0, <2 ; python_version >= '3.9'",
      "x @ git+https://h/x.git@v1 ; extra == 'stainless' and (os_name == 'nt' or sys_platform != 'linux')",
      "x==1.*",
      "x (>=1.0)",
      "x ; 'linux' not in sys_platform",
    ]
  ) assertEquals(await requirementProblem(valid), undefined, valid);
});

Deno.test("invalid requirements say what is wrong", async () => {
  const cases: [string, RegExp][] = [
    ["weave_server_sdk @ git+file:///srv/my sdks/x.git@abc", /a space in a URL is written %20/],
    ["x @ git+file:///srv/é.git@abc", /contains "é", which must be percent-encoded/],
    ["x @ git+file:///srv/a%2g.git", /`%` that is not followed by two hex digits/],
    ["x @ /srv/sdk", /has no scheme/],
    ["x @ ", /URL after `@` is empty/],
    ["-x==1", /valid package name/],
    ["x[a b]==1", /extra "a b"/],
    ["x==1.2.x", /"1\.2\.x" is not a PEP 440 version/],
    ["x=>1", /not a version specifier/],
    ["x==1 ; python_version >= 3.9", /invalid marker: "3" is not a marker value/],
    ["x==1 ; (python_version >= '3'", /a `\(` is not closed/],
    ["x==1 ; platform == 'x'", /"platform" is not a marker value/],
    ["x @ https://h/x.whl junk", /unexpected "junk" after the URL/],
  ];
  for (const [text, problem] of cases) {
    assertMatch((await requirementProblem(text)) ?? "(valid)", problem, text);
  }
});
