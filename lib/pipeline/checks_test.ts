/**
 * `--release` with a generator whose SDK has no [project].version: refused with a hint that names
 * where each setting comes from (a flag, the environment, the config file, or all of them), so it
 * stays right after a first run saved the flags; and the same check from the settings alone.
 */
import { assertEquals, assertMatch, assertThrows } from "../../tests/helpers/assert.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import type { CodegenError } from "../core/errors.ts";
import { Settings } from "../config/settings.ts";
import { loadConfigFile } from "../config/config_file.ts";
import { checkSettingsReleasable, releaseProblem } from "./checks.ts";

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

const refusal = (settings: Settings) =>
  assertThrows(() => checkSettingsReleasable(settings)) as CodegenError;

Deno.test("the hint says where release is set: flag, environment, config file, or a flag over the file", async () => {
  const generator = { generator: "openapi-python-client" };
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
        assertMatch(error.message, /--release pins .* but openapi-python-client generates none/);
        assertMatch(error.hint!, hint);
        assertMatch(error.hint!, /instead of openapi-python-client, set by --generator\)\.$/);
      },
    );
  }
});

Deno.test("a generator chosen at the prompt, a kept pyproject.toml, and no --release", async () => {
  await settingsWith("release: true\n", {}, {}, {}, (settings) => {
    settings.set("generator", "openapi-python-client", "prompt");
    assertMatch(refusal(settings).hint!, /instead of openapi-python-client, chosen at the prompt/);
    assertMatch(releaseProblem("openapi-python-client", settings)!, /^not with --release: /);
    assertEquals(releaseProblem("stainful", settings), undefined);
  });
  await settingsWith("release: true\npreserve: [pyproject.toml]\n", {}, {}, {}, (settings) => {
    settings.set("generator", "openapi-python-client", "prompt");
    checkSettingsReleasable(settings); // the SDK keeps its own pyproject.toml, with its version
    assertEquals(releaseProblem("openapi-python-client", settings), undefined);
  });
  await settingsWith("release: false\n", { generator: "openapi-python-client" }, {}, {}, (s) => {
    checkSettingsReleasable(s);
    assertEquals(releaseProblem("openapi-python-client", s), undefined);
  });
});
