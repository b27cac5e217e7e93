import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../tests/helpers/assert.ts";
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

Deno.test("planHooks: one line per hook, placeholders filled in as the run would", () => {
  const s = settings({
    post_generate: ["ruff format .", "python {repo_root}/fix.py {package} {target}"],
  });
  const values = { package: "weave_server_sdk", repo_root: "/src/weave" };
  assertEquals(planHooks(specOf(s, "python"), values), [
    "run post_generate hook 1 `ruff format .` in the generated python tree",
    "run post_generate hook 2 `python /src/weave/fix.py weave_server_sdk python` in the generated python tree",
  ]);
  assertEquals(planHooks(specOf(settings({}), "python"), values), []);
  const own = settings({
    post_generate: "ruff format .",
    targets: ["typescript.post_generate=npm pkg set name={package}"],
  });
  assertEquals(planHooks(specOf(own, "typescript"), { ...values, package: "weave-server-sdk" }), [
    "run post_generate hook 1 `npm pkg set name=weave-server-sdk` in the generated typescript tree",
  ]);
});

function hooks(tree: string, hooks: string[][]) {
  return runPostGenerateHooks({
    tree,
    target: "typescript",
    hooks,
    packageName: () => Promise.resolve("weave-server-sdk"),
    repoRoot: tree,
    settings: settings({}),
    untouched: "Nothing was vendored: sdks/vendor/x was not changed.",
  });
}

Deno.test("a hook whose executable does not exist is a usage error naming it", async () => {
  const tree = await Deno.makeTempDir({ prefix: "codegen-hooks-" });
  try {
    const error = await assertRejects(() => hooks(tree, [["no-such-formatter-xyz", "."]]));
    assert(error instanceof CodegenError);
    assertEquals(error.message, "post_generate hook 1: `no-such-formatter-xyz` not found");
    assertEquals(error.exitCode, 2);
    assertStringIncludes(error.hint!, "Nothing was vendored: sdks/vendor/x was not changed.");
  } finally {
    await Deno.remove(tree, { recursive: true });
  }
});

Deno.test("a failing hook: its command expanded, its output, what is left unchanged", async () => {
  const tree = await Deno.makeTempDir({ prefix: "codegen-hooks-" });
  try {
    // Its output is shown as it arrived (lib/os/process_test.ts checks the interleaving).
    const script = "import sys; print('npm ERR! no package.json', file=sys.stderr); sys.exit(7)";
    const error = await assertRejects(() =>
      hooks(tree, [["python3", "-c", script, "name={package}", "{target}"]])
    );
    assert(error instanceof CodegenError);
    assertStringIncludes(
      error.message,
      "post_generate hook 1 (`python3 -c '" + script.replaceAll("'", "'\\''") +
        "' name=weave-server-sdk typescript`, typescript) failed",
    );
    assertEquals(error.details, "npm ERR! no package.json");
    assertEquals(
      error.hint,
      "Its output is shown with this error (--json: error.details). Nothing was vendored: sdks/vendor/x was not changed.",
    );
  } finally {
    await Deno.remove(tree, { recursive: true });
  }
});
