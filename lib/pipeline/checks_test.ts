/**
 * `--release` with a generator that wrote an SDK without a version: refused with a hint that names
 * where each setting comes from (a flag, the environment, the config file, or all of them), so it
 * stays right after a first run saved the flags.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { CodegenError } from "../core/errors.ts";
import { Settings } from "../config/settings.ts";
import { loadConfigFile } from "../config/config_file.ts";
import { noReleaseVersion, releaseOrigins } from "./checks.ts";

async function settingsWith(
  file: string,
  flags: Record<string, string | boolean>,
  env: Record<string, string> = {},
  origins: Record<string, string> = {},
  fn: (settings: Settings) => void,
) {
  await withTempDir("codegen-checks-", async (dir) => {
    const path = `${dir}/generate_config.yaml`;
    await Deno.writeTextFile(path, `python_output: /sdk\npackage_name: acme\n${file}`);
    fn(
      new Settings({
        repoRoot: dir,
        cwd: dir,
        configFile: await loadConfigFile(path),
        flags,
        flagOrigins: origins,
        env,
      }),
    );
  });
}

const noVersion = new CodegenError(
  "abc:pyproject.toml of /sdk does not exist; abc:setup.py of /sdk does not exist",
);
const refusal = (settings: Settings) =>
  noReleaseVersion(
    settings.get("generator")!,
    noVersion,
    releaseOrigins(settings, { origins: {} }),
  );

Deno.test("the hint says where release is set: flag, environment, config file, or a flag over the file", async () => {
  const generator = { generator: "my-gen" };
  const cases: [string, Record<string, string | boolean>, Record<string, string>, RegExp][] = [
    ["", { ...generator, release: true }, {}, /\(drop --release, or pass --no-release\)/],
    ["", generator, { CODEGEN_RELEASE: "true" }, /\(unset CODEGEN_RELEASE, or pass --no-release\)/],
    [
      "release: true\n",
      generator,
      {},
      /\(set `release: false` in \S+generate_config\.yaml:3, or pass --no-release\)/,
    ],
    [
      "release: true\n",
      { ...generator, release: true },
      {},
      /\(drop --release and set `release: false` in \S+generate_config\.yaml:3, or pass/,
    ],
  ];
  for (const [file, flags, env, hint] of cases) {
    await settingsWith(
      file,
      flags,
      env,
      { generator: "--generator", release: "--release" },
      (s) => {
        const error = refusal(s);
        assertEquals(error.exitCode, 2);
        assertMatch(
          error.message,
          /^--release pins the version of the generated SDK, but my-gen wrote none: abc:pyproject\.toml .* abc:setup\.py of \/sdk does not exist$/,
        );
        assertMatch(error.hint!, hint);
        assertMatch(
          error.hint!,
          /\[project\]\.version in pyproject\.toml or a literal version= in setup\.py/,
        );
        assertMatch(error.hint!, /--preserve pyproject\.toml/);
        assertMatch(error.hint!, /\(my-gen is set by --generator\)\.$/);
      },
    );
  }
});

Deno.test("a TypeScript SDK without a version: the hint names package.json", () => {
  const cause = new CodegenError('package.json of abc in /sdk has no "version"');
  const error = noReleaseVersion("my-gen", cause, {}, "package_json");
  assertEquals(error.exitCode, 2);
  assertStringIncludes(error.message, 'my-gen wrote none: package.json of abc in /sdk has no "v');
  assertStringIncludes(error.hint!, 'Make the generator write "version" in package.json');
  assertStringIncludes(error.hint!, "--preserve package.json");
  assert(!error.hint!.includes("pyproject"), error.hint);
});

Deno.test("a generator chosen at the prompt, or the default one, is named as such", async () => {
  await settingsWith("release: true\n", {}, {}, {}, (settings) => {
    settings.set("generator", "my-gen", "prompt");
    assertMatch(refusal(settings).hint!, /\(my-gen is chosen at the prompt\)\.$/);
  });
  await settingsWith("", { release: true }, {}, { release: "--release" }, (settings) => {
    assertMatch(refusal(settings).hint!, /\(drop --release, or pass --no-release\)\.$/);
  });
});
