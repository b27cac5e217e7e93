/** Atomic writes, and file errors that name the path and what to do. */
import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/helpers/assert.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { exists, readTextFile, removeIfExists, writeFileAtomic } from "./fs.ts";
import { pendingCleanups } from "./cleanup.ts";
import type { CodegenError } from "./errors.ts";

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

Deno.test("atomic writes keep the old file when writing fails and leave no temp file", async () => {
  await withTempDir("codegen-fs-", async (dir) => {
    await writeFileAtomic(`${dir}/a.json`, "one\n");
    await Deno.chmod(`${dir}/a.json`, 0o640);
    await writeFileAtomic(`${dir}/a.json`, new TextEncoder().encode("two\n"));
    assertEquals(await Deno.readTextFile(`${dir}/a.json`), "two\n");
    assertEquals((await Deno.stat(`${dir}/a.json`)).mode! & 0o777, 0o640, "mode kept");
    await Deno.mkdir(`${dir}/sub.json`);
    await assertRejects(() => writeFileAtomic(`${dir}/sub.json`, "x"), /cannot write file/);
    assertEquals(names(dir), ["a.json", "sub.json"]);
    assertEquals(pendingCleanups(), [], "the temporary file is no longer registered");
  });
});

Deno.test("atomic writes go through a symlink: the link stays, its target gets the content", async () => {
  await withTempDir("codegen-fs-", async (dir) => {
    await Deno.writeTextFile(`${dir}/real.toml`, "old\n");
    await Deno.symlink(`${dir}/real.toml`, `${dir}/link.toml`);
    await writeFileAtomic(`${dir}/link.toml`, "new\n");
    assert((await Deno.lstat(`${dir}/link.toml`)).isSymlink, "still a symlink");
    assertEquals(await Deno.readTextFile(`${dir}/real.toml`), "new\n");
  });
});

Deno.test("a missing or non-directory parent is an error naming the file, the flag and a fix", async () => {
  await withTempDir("codegen-fs-", async (dir) => {
    const setting = {
      origin: "-o",
      change: "--openapi-output, or openapi_output in the config file",
    };
    const options = { what: "OpenAPI spec", setting };
    const missing = await assertRejects(
      () => writeFileAtomic(`${dir}/nope/o.json`, "x", options),
      /^cannot write OpenAPI spec .*\/nope\/o\.json: directory .*\/nope does not exist \(set by -o\)$/,
    );
    assertEquals(
      (missing as CodegenError).hint,
      `Create it (mkdir -p ${dir}/nope), or choose another path (--openapi-output, or openapi_output in the config file).`,
    );
    await Deno.writeTextFile(`${dir}/file`, "");
    await assertRejects(
      () => writeFileAtomic(`${dir}/file/o.json`, "x", options),
      /\/file is not a directory \(set by -o\)$/,
    );
    assertEquals(names(dir), ["file"]);
  });
});

Deno.test("readTextFile: missing files and directories are errors naming what and where", async () => {
  await withTempDir("codegen-fs-", async (dir) => {
    await Deno.writeTextFile(`${dir}/a.txt`, "text\n");
    assertEquals(await readTextFile(`${dir}/a.txt`, "notes"), "text\n");
    const missing = await assertRejects(
      () => readTextFile(`${dir}/b.txt`, "the config", "Create it."),
      /^the config not found: .*\/b\.txt$/,
    );
    assertEquals((missing as CodegenError).hint, "Create it.");
    await assertRejects(
      () => readTextFile(dir, "the config"),
      /^the config .* is a directory, not a file$/,
    );
  });
});

Deno.test("exists and removeIfExists: present, absent, recursive", async () => {
  await withTempDir("codegen-fs-", async (dir) => {
    await Deno.mkdir(`${dir}/tree/sub`, { recursive: true });
    await Deno.writeTextFile(`${dir}/tree/sub/f`, "x");
    assert(await exists(`${dir}/tree/sub/f`));
    await removeIfExists(`${dir}/tree`);
    assert(!(await exists(`${dir}/tree`)));
    await removeIfExists(`${dir}/tree`); // already gone: no error
    assertMatch(names(dir).join(","), /^$/);
  });
});
