/** A local generator's argv template: placeholders, the package name, where tools are found. */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../../tests/helpers/assert.ts";
import { PROJECT_ROOT } from "../../../tests/helpers/cli.ts";
import { flagSettings, generateInput, targetClone } from "../../../tests/helpers/generate_input.ts";
import { makeTraceRepo } from "../../../tests/helpers/sdk_clone.ts";
import { withTempDir } from "../../../tests/helpers/temp_dir.ts";
import type { CodegenError } from "../../core/errors.ts";
import { expandArgv, packageNameFor, toolDirs } from "./argv.ts";
import { removeIfExists } from "../../core/fs.ts";

Deno.test("expandArgv fills placeholders inside arguments and rejects unknown ones", () => {
  assertEquals(expandArgv(["gen", "--out={out}", "{package}"], { out: "/tmp/o", package: "pkg" }), [
    "gen",
    "--out=/tmp/o",
    "pkg",
  ]);
  assertEquals(expandArgv(["{a}{b}", "{a}"], { a: "1", b: "2" }), ["12", "1"]);
  assertEquals(expandArgv(["{Not-a-placeholder}", "{}"], {}), ["{Not-a-placeholder}", "{}"]);
  const error = assertThrows(
    () => expandArgv(["gen", "{outt}"], { out: "/o" }),
    /unknown placeholder \{outt\} in "\{outt\}"/,
  );
  assertEquals((error as CodegenError).exitCode, 2);
  assertStringIncludes((error as CodegenError).hint ?? "", "Known placeholders: {out}");
});

Deno.test("the package name: the target's package_name, else the Stainless config's target", async () => {
  const repo = await makeTraceRepo();
  try {
    const plain = flagSettings(repo);
    const fromConfig = generateInput(repo, plain, []);
    const at = (s: typeof plain, t: "python" | "typescript" | "node") =>
      targetClone(s, t, `/sdk/${t}`);
    assertEquals(await packageNameFor(at(plain, "python"), fromConfig), "weave_server_sdk");
    assertEquals(await packageNameFor(at(plain, "typescript"), fromConfig), "weave-server-sdk");
    const named = flagSettings(repo, {
      package_name: "my_sdk",
      python_output: "/sdk/py",
      targets: ["typescript.package_name=ts-sdk"],
    });
    assertEquals(await packageNameFor(at(named, "python"), fromConfig), "my_sdk");
    assertEquals(await packageNameFor(at(named, "typescript"), fromConfig), "ts-sdk");
    // node is the TypeScript target: the config's `typescript` entry names it too.
    assertEquals(await packageNameFor(at(plain, "node"), fromConfig), "weave-server-sdk");
    await Deno.writeTextFile(
      fromConfig.stainlessConfigPath,
      "targets:\n  python:\n    package_name: weave_server_sdk\n",
    );
    const error = await assertRejects(
      () => packageNameFor(at(plain, "node"), fromConfig),
      /cannot tell the node package name/,
    );
    assertStringIncludes((error as CodegenError).hint ?? "", "targets.node.package_name");
  } finally {
    await removeIfExists(repo);
  }
});

Deno.test("an unreadable Stainless config: the package-name error shows why", async () => {
  await withTempDir("codegen-argv-", async (dir) => {
    const input = {
      ...generateInput(dir, flagSettings(dir), []),
      stainlessConfigPath: `${dir}/missing.yml`,
    };
    const error = await assertRejects(
      () => packageNameFor(targetClone(flagSettings(dir), "python", "/sdk"), input),
      /cannot tell the python package name/,
    );
    assertStringIncludes((error as CodegenError).details ?? "", `reading ${dir}/missing.yml`);
  });
});

Deno.test("generator executables are looked up in the project's Python environment first", () => {
  assert(toolDirs().includes(`${PROJECT_ROOT}/.venv/bin`), toolDirs().join(":"));
});
