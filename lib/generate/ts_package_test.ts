/** A TypeScript SDK's own package.json name against its target's package_name. */
import { assertEquals, assertRejects, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { flagSettings, generateInput, targetClone } from "../../tests/helpers/generate_input.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { checkPackageJsonName } from "./ts_package.ts";
import { GeneratorWarnings } from "./warnings.ts";

Deno.test("a package.json naming another package is a warning that names the hook; none without one", async () => {
  await withTempDir("codegen-ts-package-", async (tree) => {
    const settings = flagSettings(tree, { targets: ["typescript.package_name=weave-server-sdk"] });
    const target = targetClone(settings, "typescript", "/sdk/ts");
    const warnings = new GeneratorWarnings();
    const input = { ...generateInput(tree, settings, [target]), warnings };
    await checkPackageJsonName(tree, target, input);
    assertEquals(warnings.list, [], "no package.json: nothing named");
    await Deno.writeTextFile(`${tree}/package.json`, '{"name": "weave_server_sdk"}');
    await checkPackageJsonName(tree, target, input);
    assertEquals(warnings.list.length, 1);
    assertEquals(warnings.list[0].target, "typescript");
    assertStringIncludes(warnings.list[0].message, '[npm, pkg, set, "name={package}"]');
    await Deno.writeTextFile(`${tree}/package.json`, '{"name": "weave-server-sdk"}');
    const fresh = new GeneratorWarnings();
    await checkPackageJsonName(tree, target, { ...input, warnings: fresh });
    assertEquals(fresh.list, []);
  });
});

Deno.test("a package name that cannot be told is an error, not a silent skip", async () => {
  await withTempDir("codegen-ts-package-", async (tree) => {
    const settings = flagSettings(tree, {});
    const target = targetClone(settings, "typescript", "/sdk/ts");
    // No targets.typescript.package_name, and no Stainless config to read one from.
    const input = { ...generateInput(tree, settings, [target]), warnings: new GeneratorWarnings() };
    await Deno.writeTextFile(`${tree}/package.json`, '{"name": "weave_server_sdk"}');
    await assertRejects(
      () => checkPackageJsonName(tree, target, input),
      /cannot tell the typescript package name/,
    );
  });
});
