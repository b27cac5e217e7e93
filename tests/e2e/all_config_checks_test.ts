/**
 * What `all` does with the Stainless config before anything is written: transformations that no
 * spec could take (an unknown command, malformed arguments) refuse the run in the check stage when
 * a local generator will apply them, dry runs included; lint findings are printed under the prefix
 * of their severity.
 */
import { join } from "node:path";
import { assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import {
  all,
  baseConfig,
  commitToTrace,
  NO_GIT_CONFIG,
  withWorkspace,
  writeConfig,
} from "../helpers/all_workspace.ts";
import type { Workspace } from "../helpers/workspace.ts";
import { VENDOR_DIR } from "../helpers/vendor_fixtures.ts";

const CONFIG = "tools/codegen/openapi.stainless.yml";

async function misspellTransformation(ws: Workspace): Promise<number> {
  const path = join(ws.trace, CONFIG);
  const text = await Deno.readTextFile(path);
  const lines = text.split("\n");
  const line = lines.findIndex((l) => l.trim() === "- command: renameKey") + 1;
  assertEquals(line > 0, true, "the example config renames a key");
  await Deno.writeTextFile(path, text.replace("- command: renameKey", "- command: renameKee"));
  return line;
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("an unknown transformation command stops all, its dry run and generate_code --dry-run before anything is written", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    const line = await misspellTransformation(ws);
    const expected = `${CONFIG}:${line}: unknown transformation command \`renameKee\` ` +
      "(did you mean `renameKey`?)";
    const spec = join(ws.trace, "tools/codegen/openapi.json");

    const dry = await all(ws, ["--dry-run", "--json"]);
    assertEquals(dry.code, 2, dry.stderr);
    assertStringIncludes(dry.stderr, expected);
    assertEquals(JSON.parse(dry.stdout).ok, false);

    const real = await all(ws, ["--json"]);
    assertEquals(real.code, 2, real.stderr);
    assertStringIncludes(real.stderr, expected);
    assertMatch(real.stderr, /hint: Supported commands: update, append/);
    const json = JSON.parse(real.stdout);
    assertEquals([json.error.stage, json.stages.map((s: { status: string }) => s.status)], [
      "check",
      ["failed", "pending", "pending", "pending"],
    ]);
    assertEquals(await exists(spec), false, "no spec written");

    const generate = await runCli(["generate_code", "--dry-run"], {
      cwd: ws.trace,
      env: NO_GIT_CONFIG,
    });
    assertEquals(generate.code, 2, generate.stderr);
    assertStringIncludes(generate.stderr, expected);
  });
});

Deno.test("an unknown transformation command stops vendor --dry-run", async () => {
  await withWorkspace(async (ws) => {
    await commitToTrace(ws, { "weave/vendor/__init__.py": "" });
    await writeConfig(ws, [
      "generator: openapi-python-client",
      `port: ${ws.port}`,
      "targets:",
      "  python:",
      `    vendor_dir: ${VENDOR_DIR}`,
    ]);
    const line = await misspellTransformation(ws);
    const r = await runCli(["vendor", "--dry-run"], { cwd: ws.trace, env: NO_GIT_CONFIG });
    assertEquals(r.code, 2, r.stderr);
    assertStringIncludes(
      r.stderr,
      `${CONFIG}:${line}: unknown transformation command \`renameKee\``,
    );
  });
});
