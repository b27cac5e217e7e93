/**
 * Errors name the setting as the user gave it (issue 8): the flag spelling typed (`--python-path`,
 * `--output-file`, `--spec`), the positional argument, the environment variable; and a bad
 * working directory is never taken for a missing command.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import { GIT_ENV } from "../helpers/git_fixtures.ts";
import { createWorkspace, type Workspace } from "../helpers/workspace.ts";

const MISSING = "/nonexistent-codegen-sdk";

async function withWorkspace(fn: (ws: Workspace) => Promise<void>): Promise<void> {
  const ws = await createWorkspace();
  try {
    // A saved spec, so that each run fails at the setting under test and not at the spec.
    const spec = { openapi: "3.1.0", info: { title: "t", version: "1" }, paths: {} };
    await Deno.writeTextFile(join(ws.trace, "tools/codegen/openapi.json"), JSON.stringify(spec));
    await fn(ws);
  } finally {
    await ws.dispose();
  }
}

function cli(ws: Workspace, args: string[], env: Record<string, string> = {}) {
  return runCli(["--repo-root", ws.trace, ...args], { env: { ...GIT_ENV, ...env } });
}

/** The `error:` and `hint:` lines of a failed run (exit code `code`). */
function failure(result: { code: number; stderr: string }, code: number) {
  assertEquals(result.code, code, result.stderr);
  const error = result.stderr.split("\n").find((l) => l.startsWith("error: ")) ?? "";
  const hint = result.stderr.split("\n").find((l) => l.startsWith("hint: ")) ?? "";
  assert(error, `no error line in:\n${result.stderr}`);
  return { error, hint };
}

Deno.test("a missing SDK clone is named with the flag, argument or variable that gave it", async () => {
  await withWorkspace(async (ws) => {
    const pkg = ["--package-name", "weave_server_sdk"];
    const runs = await Promise.all([
      cli(ws, ["update_pyproject", "--python-path", MISSING, ...pkg, "-n"]),
      cli(ws, ["merge_generated_code", "--python-path", MISSING, ...pkg, "-n"]),
      cli(ws, ["generate_code", "--python-path", MISSING, "-n"]),
      cli(ws, ["update_pyproject", MISSING, "weave_server_sdk", "-n"]),
      cli(ws, ["merge_generated_code", ...pkg, "-n"], { CODEGEN_PYTHON_OUTPUT: MISSING }),
    ]);
    for (const run of runs.slice(0, 3)) {
      const { error, hint } = failure(run, 2);
      assertStringIncludes(error, `python SDK clone ${MISSING} does not exist`);
      assertStringIncludes(error, "(python_output, from --python-path)");
      assertStringIncludes(hint, "fix --python-path / python_output");
    }
    const argument = failure(runs[3], 2);
    assertStringIncludes(argument.error, "(from the python_output argument)");
    assertStringIncludes(argument.hint, "fix the python_output argument");
    const variable = failure(runs[4], 2);
    assertStringIncludes(variable.error, "(python_output, from CODEGEN_PYTHON_OUTPUT)");
    assertStringIncludes(variable.hint, "fix CODEGEN_PYTHON_OUTPUT");
  });
});

Deno.test("a missing spec or Stainless config is named with the flag typed", async () => {
  await withWorkspace(async (ws) => {
    const [config, outputFile, spec, generate] = await Promise.all([
      cli(ws, ["lint", "--stainless-config", "nope.yml"]),
      cli(ws, ["lint", "--output-file", "/nonexistent-codegen.json"]),
      cli(ws, ["lint", "--spec", "/nonexistent-codegen.json"]),
      cli(ws, ["generate_code", "--spec", "/nonexistent-codegen.json", "--python-path", ws.sdk]),
    ]);
    const lint = failure(config, 1);
    assertStringIncludes(lint.error, "Stainless config not found");
    assertStringIncludes(lint.hint, "(--stainless-config)");
    assert(!lint.hint.includes("--config "), lint.hint);
    assertStringIncludes(failure(outputFile, 1).hint, "(--output-file)");
    assertStringIncludes(failure(spec, 1).hint, "(--spec)");
    const generated = failure(generate, 1);
    assertStringIncludes(generated.error, "OpenAPI spec not found: /nonexistent-codegen.json");
    assertStringIncludes(generated.hint, "(--spec)");
    assert(!generated.hint.includes("--openapi-output"), generated.hint);
  });
});

Deno.test("check validates the SDK clone like the other commands, before getting the spec", async () => {
  await withWorkspace(async (ws) => {
    const file = join(ws.root, "plain-file");
    await Deno.writeTextFile(file, "");
    // --url at a closed port: the clone must be refused before anything is fetched.
    const url = ["--url", "http://127.0.0.1:9/openapi.json"];
    const [missing, notDir] = await Promise.all([
      cli(ws, ["check", "--python-path", MISSING, ...url]),
      cli(ws, ["check", "--python-path", file, ...url]),
    ]);
    const absent = failure(missing, 2);
    assertMatch(
      absent.error,
      /python SDK clone \S+ does not exist \(python_output, from --python-path\)/,
    );
    const plain = failure(notDir, 2);
    assertStringIncludes(plain.error, `python SDK clone ${file} is not a directory`);
    assertStringIncludes(plain.hint, "--python-path");
    for (const run of [missing, notDir]) {
      assert(!run.stderr.includes("command not found"), run.stderr);
      assert(!run.stderr.includes("git rev-parse"), run.stderr);
    }
  });
});

Deno.test("a clone flag for a vendored target is refused, naming the flag (not silently dropped)", async () => {
  await withWorkspace(async (ws) => {
    await Deno.writeTextFile(
      join(ws.trace, "tools/codegen/generate_config.yaml"),
      `python_output: ${ws.sdk}\npackage_name: weave_server_sdk\ntargets:\n  node:\n    vendor_dir: weave/vendor/node_sdk\n`,
    );
    const result = await cli(ws, ["generate_code", "--node-path", MISSING, "-n"]);
    const { error, hint } = failure(result, 2);
    assertMatch(
      error,
      /^error: --node-path: the node target has no SDK clone to point at: it is vendored \(targets\.node\.vendor_dir, from \S+generate_config\.yaml:5\)/,
    );
    assertStringIncludes(hint, "Drop --node-path");
  });
});

Deno.test("a clone and vendor_dir of one target in the config file: exit 2; python_output: a warning", async () => {
  await withWorkspace(async (ws) => {
    const config = join(ws.trace, "tools/codegen/generate_config.yaml");
    await Deno.writeTextFile(
      config,
      `targets:\n  python:\n    output: ${ws.sdk}\n    vendor_dir: weave/vendor/weave_server_sdk\n`,
    );
    const both = await cli(ws, ["vendor", "-n"]);
    const { error, hint } = failure(both, 2);
    assertMatch(
      error,
      /^error: \S+generate_config\.yaml:3: targets\.python\.output and targets\.python\.vendor_dir \(\S+generate_config\.yaml:4\) are both set/,
    );
    assertStringIncludes(hint, "Remove one of them");
    // The template's python_output beside vendor_dir: vendored, with a warning naming both keys.
    await Deno.writeTextFile(
      config,
      `python_output: ${ws.sdk}\ntargets:\n  python:\n    vendor_dir: weave/vendor/weave_server_sdk\n`,
    );
    await Deno.mkdir(join(ws.trace, "weave/vendor"), { recursive: true });
    const template = await cli(ws, ["vendor", "-n", "--generator", "openapi-python-client"]);
    assertEquals(template.code, 0, template.stderr);
    assertMatch(
      template.stderr,
      /warning: python: python_output \(\S+generate_config\.yaml:1\) is not used: the python target is vendored \(targets\.python\.vendor_dir, from \S+generate_config\.yaml:4\)/,
    );
  });
});
