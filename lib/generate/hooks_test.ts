import { assert, assertEquals, assertRejects, assertThrows } from "../../tests/helpers/assert.ts";
import { PROJECT_ROOT } from "../../tests/helpers/cli.ts";
import { Settings } from "../config/settings.ts";
import { specOf } from "../config/targets.ts";
import { CodegenError } from "../core/errors.ts";
import { hookArgv, planHooks, runPostGenerateHooks } from "./hooks.ts";

function settings(flags: Record<string, unknown>): Settings {
  const configFile = { path: "/x.yaml", exists: false, values: {}, placeholders: {}, warnings: [] };
  return new Settings({ repoRoot: "/", cwd: "/", configFile, flags, env: {} });
}

Deno.test("hookArgv fills {package} {target} {repo_root} and finds the project's tools first", () => {
  const values = { package: "weave_server_sdk", target: "python", repo_root: "/src/weave" };
  assertEquals(
    hookArgv(["ruff", "check", "--fix", "{package}"], values),
    [`${PROJECT_ROOT}/.venv/bin/ruff`, "check", "--fix", "weave_server_sdk"],
  );
  assertEquals(
    hookArgv(["git", "apply", "{repo_root}/tools/codegen/{target}.patch"], values).slice(1),
    ["apply", "/src/weave/tools/codegen/python.patch"],
  );
  assertThrows(() => hookArgv(["fix", "{out}"], values), /unknown placeholder \{out\}/);
});

Deno.test("planHooks: one line per hook, as the user wrote it", () => {
  const s = settings({ post_generate: ["ruff format .", "python -c 'print(1)'"] });
  assertEquals(planHooks(specOf(s, "python")), [
    "run post_generate hook 1 `ruff format .` in the generated python tree",
    "run post_generate hook 2 `python -c 'print(1)'` in the generated python tree",
  ]);
  assertEquals(planHooks(specOf(settings({}), "python")), []);
  const own = settings({ post_generate: "ruff format .", targets: ["typescript.post_generate=x"] });
  assertEquals(planHooks(specOf(own, "typescript")), [
    "run post_generate hook 1 `x` in the generated typescript tree",
  ]);
});

Deno.test("a hook whose executable does not exist is a usage error naming it", async () => {
  const tree = await Deno.makeTempDir({ prefix: "codegen-hooks-" });
  try {
    const error = await assertRejects(
      () =>
        runPostGenerateHooks({
          tree,
          target: "python",
          hooks: [["no-such-formatter-xyz", "."]],
          packageName: () => Promise.resolve("pkg"),
          repoRoot: tree,
          settings: settings({}),
        }),
    );
    assert(error instanceof CodegenError);
    assertEquals(error.message, "post_generate hook 1: `no-such-formatter-xyz` not found");
    assertEquals(error.exitCode, 2);
  } finally {
    await Deno.remove(tree, { recursive: true });
  }
});
