/** package.json pins: golden files byte for byte, one-line diffs, refusals, remote URLs. */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../tests/helpers/assert.ts";
import { join } from "../core/paths.ts";
import { removeIfExists } from "../core/fs.ts";
import { redact } from "../core/redact.ts";
import type { CodegenError } from "../core/errors.ts";
import {
  editPackageJson,
  isValidNpmPackageName,
  npmGitSpec,
  pinPackageJson,
  readPackageVersion,
} from "./package_json.ts";

const FIXTURES = new URL("../../tests/fixtures/package_json/", import.meta.url);
const SHA = "89abcdef0123456789abcdef0123456789abcdef";
const GIT = `git+https://github.com/wandb/weave-server-sdk-node.git#${SHA}`;
const PACKAGE = "weave-server-sdk";

function fixture(name: string): string {
  return Deno.readTextFileSync(new URL(name, FIXTURES));
}

function pin(text: string, spec: string, packageName = PACKAGE) {
  return editPackageJson(text, { packageName, spec }, "package.json");
}

/**
 * The lines that differ: pairwise when the line count is the same (values replaced), else the
 * span between the common head and tail (lines inserted).
 */
function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split("\n");
  const b = after.split("\n");
  if (a.length === b.length) {
    const differ = a.flatMap((line, i) => line === b[i] ? [] : [i]);
    return { removed: differ.map((i) => a[i]), added: differ.map((i) => b[i]) };
  }
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a.at(-1 - end) === b.at(-1 - end)) {
    end++;
  }
  return { removed: a.slice(start, a.length - end), added: b.slice(start, b.length - end) };
}

const CASES: Record<string, { sections: string[]; removed: number; added: number }> = {
  two_spaces: { sections: ["dependencies"], removed: 1, added: 1 },
  four_spaces: { sections: ["devDependencies"], removed: 1, added: 1 },
  tabs_crlf: { sections: ["dependencies"], removed: 0, added: 1 },
  no_newline: { sections: ["dependencies"], removed: 1, added: 4 },
  several: {
    sections: ["dependencies", "devDependencies", "optionalDependencies"],
    removed: 3,
    added: 3,
  },
  unsorted_inline: { sections: ["dependencies"], removed: 1, added: 1 },
  empty_section: { sections: ["dependencies"], removed: 1, added: 3 },
};

for (const [name, expected] of Object.entries(CASES)) {
  for (const [mode, spec] of [["git", GIT], ["release", "1.2.3"]]) {
    Deno.test(`golden: ${name} (${mode} pin) matches ${name}.${mode}.json byte for byte`, () => {
      const input = fixture(`${name}.in.json`);
      const edit = pin(input, spec);
      assertEquals(edit.text, fixture(`${name}.${mode}.json`));
      assertEquals(edit.entries.map((e) => e.section), expected.sections);
      const diff = lineDiff(input, edit.text);
      assertEquals([diff.removed.length, diff.added.length], [expected.removed, expected.added]);
      assert(diff.added.every((line) => !line.includes(PACKAGE) || line.includes(`"${spec}"`)));
    });
    Deno.test(`golden: ${name} (${mode} pin) is idempotent`, () => {
      const once = fixture(`${name}.${mode}.json`);
      const again = pin(once, spec);
      assertEquals(again.text, once);
      assert(again.entries.every((e) => e.previous === spec));
    });
  }
}

Deno.test("a replaced entry is a one-line diff: only the value's bytes change", () => {
  const input = fixture("two_spaces.in.json");
  const diff = lineDiff(input, pin(input, GIT).text);
  assertEquals(diff, {
    removed: ['    "weave-server-sdk": "^0.1.0",'],
    added: [`    "weave-server-sdk": "${GIT}",`],
  });
});

Deno.test("CRLF files keep CRLF on every line, including the new one", () => {
  const output = pin(fixture("tabs_crlf.in.json"), GIT).text;
  assertEquals(output.split("\n").slice(0, -1).filter((line) => !line.endsWith("\r")), []);
  assertStringIncludes(output, `\t\t"axios": "^1.6.0",\r\n\t\t"${PACKAGE}": "${GIT}",\r\n`);
});

Deno.test("peerDependencies are reported, never edited; a peer-only package is refused", () => {
  const edit = pin(fixture("several.in.json"), GIT);
  assertEquals(edit.peer, ">=0.1");
  assertStringIncludes(edit.text, `"${PACKAGE}": ">=0.1"`);
  assertEquals(edit.entries[1], {
    section: "devDependencies",
    previous: "file:../weave-server-sdk-node",
    value: GIT,
  });
  const peerOnly = `{\n  "peerDependencies": {\n    "${PACKAGE}": ">=0.1"\n  }\n}\n`;
  const error = assertThrows(() => pin(peerOnly, GIT), /only in peerDependencies/);
  assertEquals((error as CodegenError).exitCode, 2);
});

Deno.test("broken or ambiguous files are refused with the file named", () => {
  const cases: [string, RegExp][] = [
    ['{"name": "x",}', /package\.json is not valid JSON/],
    ["[1]", /package\.json is not a JSON object/],
    ['{"dependencies": []}', /dependencies is not an object/],
    [`{"dependencies": {"${PACKAGE}": 1}}`, /dependencies\.weave-server-sdk is not a string/],
    [
      `{"dependencies": {"${PACKAGE}": "1", "${PACKAGE}": "2"}}`,
      /has 2 entries "weave-server-sdk" in dependencies/,
    ],
    ['{"dependencies": {}, "dependencies": {}}', /has 2 entries "dependencies"/],
  ];
  for (const [text, pattern] of cases) {
    assertThrows(() => pin(text, GIT), pattern);
  }
});

Deno.test("scoped names, and names npm refuses", () => {
  const out = pin('{\n  "dependencies": {\n    "@wandb/sdk": "1"\n  }\n}\n', "2", "@wandb/sdk");
  assertEquals(out.text, '{\n  "dependencies": {\n    "@wandb/sdk": "2"\n  }\n}\n');
  assert(isValidNpmPackageName("weave_server_sdk")); // what stainful's package.json calls it
  for (const bad of ["Weave", "", "a b", "@scope", "../x"]) {
    assert(!isValidNpmPackageName(bad), bad);
  }
});

Deno.test("npmGitSpec: https without credentials, scp-style as ssh, a local path as file", () => {
  const url = npmGitSpec("https://user:s3cr3t-token@github.com/wandb/sdk.git", SHA);
  assertEquals(url, `git+https://github.com/wandb/sdk.git#${SHA}`);
  assertEquals(redact("token s3cr3t-token"), "token ***");
  assertEquals(
    npmGitSpec("git@github.com:wandb/sdk.git", SHA),
    `git+ssh://git@github.com/wandb/sdk.git#${SHA}`,
  );
  assertEquals(npmGitSpec("../sdk.git", SHA, "/work/trace"), `git+file:///work/sdk.git#${SHA}`);
  assertThrows(() => npmGitSpec("../sdk.git", "abc123"), /not a full commit id/);
});

Deno.test("pinPackageJson writes once (not in a dry run); readPackageVersion", async () => {
  const dir = await Deno.makeTempDir({ prefix: "package-json-" });
  const path = join(dir, "package.json");
  try {
    const input = fixture("two_spaces.in.json");
    await Deno.writeTextFile(path, input);
    const dry = await pinPackageJson({
      packageJsonPath: path,
      packageName: PACKAGE,
      spec: GIT,
      dryRun: true,
    });
    assertEquals([dry.changed, await Deno.readTextFile(path)], [true, input]);
    const done = await pinPackageJson({ packageJsonPath: path, packageName: PACKAGE, spec: GIT });
    assertEquals(done.entries, [{ section: "dependencies", previous: "^0.1.0", value: GIT }]);
    assertEquals(await Deno.readTextFile(path), fixture("two_spaces.git.json"));
    const again = await pinPackageJson({ packageJsonPath: path, packageName: PACKAGE, spec: GIT });
    assertEquals(again.changed, false);
    assertEquals(await readPackageVersion(path), "0.52.0");
    await assertRejects(
      () => pinPackageJson({ packageJsonPath: path, packageName: "Bad Name", spec: GIT }),
      /invalid npm package name/,
    );
    await assertRejects(
      () =>
        pinPackageJson({
          packageJsonPath: join(dir, "none.json"),
          packageName: PACKAGE,
          spec: GIT,
        }),
      /package\.json not found/,
    );
    await Deno.writeTextFile(path, '{"name": "x"}');
    await assertRejects(() => readPackageVersion(path), /has no "version"/);
  } finally {
    await removeIfExists(dir);
  }
});
