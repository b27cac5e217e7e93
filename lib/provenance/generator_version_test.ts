import { assertEquals } from "../../tests/helpers/assert.ts";
import { exists } from "../core/fs.ts";
import { VENV_BIN } from "../../tests/helpers/cli.ts";
import { join } from "../core/paths.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { generatorVersion, parseVersionOutput, versionCacheFile } from "./generator_version.ts";

Deno.test("parseVersionOutput: the version in what generators print", () => {
  assertEquals(parseVersionOutput("openapi-python-client version: 0.29.1\n"), "0.29.1");
  assertEquals(parseVersionOutput("stainful 0.6.0\n"), "0.6.0");
  assertEquals(parseVersionOutput("\nstlc v1.2.3-beta.4 (abc)\n"), "1.2.3-beta.4");
  assertEquals(parseVersionOutput("mygen 2.0.0+local\nmore text 3.0\n"), "2.0.0+local");
  assertEquals(parseVersionOutput("development build"), "development build");
  assertEquals(parseVersionOutput("\n\n"), null);
});

Deno.test("versionCacheFile: XDG_CACHE_HOME, else ~/.cache, else none", () => {
  assertEquals(
    versionCacheFile({ XDG_CACHE_HOME: "/c", HOME: "/h" }),
    "/c/codegen/generator-versions.json",
  );
  assertEquals(versionCacheFile({ HOME: "/h" }), "/h/.cache/codegen/generator-versions.json");
  assertEquals(versionCacheFile({}), undefined);
});

Deno.test("generatorVersion asks once per install: cached across runs, asked again after a reinstall", async () => {
  // The cache file is passed, not set through XDG_CACHE_HOME: the environment is shared by the
  // test files running in parallel.
  await withTempDir("codegen-version-", async (dir) => {
    const cache = versionCacheFile({ XDG_CACHE_HOME: join(dir, "cache") });
    const counter = join(dir, "asked");
    const tool = join(dir, "mygen");
    const write = (version: string) =>
      Deno.writeTextFile(
        tool,
        `#!/bin/sh\necho asked >> ${counter}\necho "mygen version: ${version}"\n`,
        { mode: 0o755 },
      );
    await write("1.0.0");
    const asked = async () => (await Deno.readTextFile(counter)).split("\n").filter(Boolean).length;
    assertEquals(await generatorVersion([tool, "--version"], { file: cache }), "1.0.0");
    assertEquals(await generatorVersion([tool, "--version"], { file: cache }), "1.0.0");
    assertEquals(await asked(), 1, "once per run (memory)");
    // Another run (a fresh module instance): the cache file answers.
    const fresh = await import(`./generator_version.ts?run=2`);
    assertEquals(await fresh.generatorVersion([tool, "--version"], { file: cache }), "1.0.0");
    assertEquals(await asked(), 1, "across runs (cache file)");
    // A reinstall rewrites the executable: its size or time changes, so it is asked again.
    await write("1.10.0");
    await Deno.utime(tool, new Date(), new Date(Date.now() + 5_000));
    const third = await import(`./generator_version.ts?run=3`);
    assertEquals(await third.generatorVersion([tool, "--version"], { file: cache }), "1.10.0");
    assertEquals(await asked(), 2);
    // A generator that cannot say its version: null, nothing cached.
    const broken = join(dir, "broken");
    await Deno.writeTextFile(broken, "#!/bin/sh\nexit 2\n", { mode: 0o755 });
    assertEquals(await generatorVersion([broken, "--version"], { file: cache }), null);
    // The real one, from the project's environment.
    assertEquals(
      await generatorVersion([join(VENV_BIN, "openapi-python-client"), "--version"], {
        file: cache,
      }),
      "0.29.1",
    );
  });
});

Deno.test("generatorVersion with write: false (a dry run, check) reads the cache but never writes it", async () => {
  await withTempDir("codegen-version-", async (dir) => {
    const cache = versionCacheFile({ XDG_CACHE_HOME: join(dir, "cache") })!;
    const counter = join(dir, "asked");
    const tool = join(dir, "othergen");
    const script = `#!/bin/sh\necho asked >> ${counter}\necho "othergen 2.1.0"\n`;
    await Deno.writeTextFile(tool, script, { mode: 0o755 });
    const asked = async () => (await Deno.readTextFile(counter)).split("\n").filter(Boolean).length;
    const dry = (await import(`./generator_version.ts?dry=1`)).generatorVersion;
    assertEquals(await dry([tool, "--version"], { file: cache, write: false }), "2.1.0");
    assertEquals(await exists(cache), false, "nothing written");
    // A run that writes caches it; a later dry run reads it without asking the generator.
    const real = (await import(`./generator_version.ts?dry=2`)).generatorVersion;
    assertEquals(await real([tool, "--version"], { file: cache }), "2.1.0");
    assertEquals(await asked(), 2);
    const later = (await import(`./generator_version.ts?dry=3`)).generatorVersion;
    assertEquals(await later([tool, "--version"], { file: cache, write: false }), "2.1.0");
    assertEquals(await asked(), 2, "answered by the cache");
  });
});
