/**
 * What a first run on a terminal saves (tools/codegen/generate_config.yaml, from the real Weave
 * template): with `--release` too, every generator is offered (openapi-python-client's setup.py
 * has the version the release pins); the failure report says when the config file was written; and a run given every required value as flags offers once to save them, so that the
 * next plain `codegen all` does the same (never in a dry run, never without a terminal).
 */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { runCliOnTerminal } from "../helpers/pty.ts";
import { all, NO_GIT_CONFIG, withWorkspace } from "../helpers/all_workspace.ts";
import type { Workspace } from "../helpers/workspace.ts";
import { weaveFile } from "../helpers/weave.ts";

const TEMPLATE = "tools/codegen/generate_config.yaml.template";
const CONFIG = "tools/codegen/generate_config.yaml";

/** The workspace's trace repository with only Weave's template (no config file). */
async function useWeaveTemplate(ws: Workspace): Promise<void> {
  await Deno.copyFile(weaveFile("generate_config.yaml.template"), join(ws.trace, TEMPLATE));
}

const configExists = (ws: Workspace) =>
  Deno.stat(join(ws.trace, CONFIG)).then(() => true, () => false);

Deno.test({
  name:
    "first run of all --release on a terminal: openapi-python-client is offered and the default (its setup.py has the version)",
  async fn() {
    await withWorkspace(async (ws) => {
      await useWeaveTemplate(ws);
      await using session = runCliOnTerminal(["all", "--release", "--dry-run"], {
        cwd: ws.trace,
        env: NO_GIT_CONFIG,
      });
      await session.expect(/\(python_output\):/);
      await session.send("../weave-server-sdk\r");
      await session.expect(/SDK generator \(generator\)/);
      await session.expect(/openapi-python-client: local, mature/);
      await session.send("\r"); // the default
      await session.expect(/\(package_name\):/); // a dry run saves nothing: asked again
      await session.send("\r");
      const { code, text } = await session.finish();
      assertEquals(code, 0, text);
      assertNotMatch(text, /not with --release/);
      assertMatch(text, /check done in [\d.]+ s: generator openapi-python-client;/);
      assertMatch(text, /weave_server_sdk==<version of the generated code>/);
      assertEquals(await configExists(ws), false, "a dry run writes nothing");
    });
  },
});

Deno.test({
  name:
    "a first run that saved the config file and then failed in the check stage says the file was written",
  async fn() {
    await withWorkspace(async (ws) => {
      await useWeaveTemplate(ws);
      await Deno.writeTextFile(join(ws.sdk, "wip.txt"), "work in progress\n"); // refused later
      await using session = runCliOnTerminal(["all", "--port", String(ws.port)], {
        cwd: ws.trace,
        env: NO_GIT_CONFIG,
      });
      await session.expect(/\(python_output\):/);
      await session.send("../weave-server-sdk\r");
      await session.expect(/SDK generator \(generator\)/);
      await session.send("\r");
      await session.expect(/Create .*generate_config\.yaml from .*\?/);
      await session.send("\r"); // yes, the default
      const { code, text } = await session.finish();
      assertEquals(code, 1, text);
      assertMatch(text, /check stage failed: .*uncommitted/);
      assertStringIncludes(
        text,
        `not done: check (nothing written but the config file ${
          join(ws.trace, CONFIG)
        } (saved before the stages); a trace server started meanwhile is stopped)`,
      );
      assertNotMatch(text, /nothing was written/);
      assert(await configExists(ws));
    });
  },
});

Deno.test({
  name:
    "first run with every required value as flags: offered once to save them on a terminal; the next plain run does the same",
  async fn() {
    await withWorkspace(async (ws) => {
      await useWeaveTemplate(ws);
      const flags = [
        "--python-output",
        "../weave-server-sdk",
        "--package-name",
        "weave_server_sdk",
        "--generator",
        "openapi-python-client",
        "--port",
        String(ws.port),
      ];
      // Without a terminal: nothing asked, nothing saved.
      const plain = await all(ws, [...flags, "--no-auto-merge"]);
      assertEquals(plain.code, 0, plain.stderr);
      assertEquals(await configExists(ws), false, "never saved without a terminal");
      // A dry run on a terminal: not offered either.
      {
        await using dry = runCliOnTerminal(["all", "--dry-run", ...flags], {
          cwd: ws.trace,
          env: NO_GIT_CONFIG,
        });
        const { code, text } = await dry.finish();
        assertEquals(code, 0, text);
        assertNotMatch(text, /Create /);
        assertEquals(await configExists(ws), false, "never saved in a dry run");
      }
      await using session = runCliOnTerminal(["all", ...flags], {
        cwd: ws.trace,
        env: NO_GIT_CONFIG,
      });
      await session.expect(/so that a plain run does the same\? \(Y\/n\)/);
      await session.send("\r"); // yes, the default
      const { code, text } = await session.finish();
      assertEquals(code, 0, text);
      assertMatch(
        text.replace(/\r?\n/g, ""), // the terminal wraps the long question
        /Create \S+\/generate_config\.yaml from \S+\/generate_config\.yaml\.template with the values given as flags \(python_output, package_name, port, generator\), so that a plain run does the same\?/,
      );
      assertMatch(
        text,
        /wrote python_output, package_name, port, generator to .*generate_config\.yaml/,
      );
      const config = await Deno.readTextFile(join(ws.trace, CONFIG));
      assertMatch(config, /^python_output: \.\.\/weave-server-sdk$/m);
      assertMatch(config, /^generator: openapi-python-client$/m);
      assertMatch(config, new RegExp(`^port: ${ws.port}$`, "m"));
      assertNotMatch(config, /repo_path/);

      const again = await all(ws);
      assertEquals(again.code, 0, again.stderr);
      assertMatch(again.stdout, /generator\s+openapi-python-client/);
      assertNotMatch(again.stderr, /none configured/);
    });
  },
});
