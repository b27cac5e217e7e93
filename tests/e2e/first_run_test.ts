/**
 * The first run on a terminal, in a trace repository that has only the real Weave template (which
 * still says `repo_path`): answers are relative to where the user is and checked at the prompt,
 * the generator is chosen there, and the file written (today's key names, paths relative to the
 * repository root, the flags of the run) makes the next plain `codegen all` do the same. A dry run
 * asks but writes nothing. Without a configured generator, the run says which it picked and why.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertNotMatch } from "../helpers/assert.ts";
import { runCliOnTerminal } from "../helpers/pty.ts";
import { all, NO_GIT_CONFIG, withWorkspace } from "../helpers/all_workspace.ts";
import type { Workspace } from "../helpers/workspace.ts";
import { weaveFile } from "../helpers/weave.ts";

const WEAVE_TEMPLATE = weaveFile("generate_config.yaml.template");
const TEMPLATE = "tools/codegen/generate_config.yaml.template";
const CONFIG = "tools/codegen/generate_config.yaml";
const BACKSPACES = "\x7f".repeat(80);

/** The workspace's trace repository with only Weave's template (no config file). */
async function useWeaveTemplate(ws: Workspace): Promise<void> {
  await Deno.copyFile(WEAVE_TEMPLATE, join(ws.trace, TEMPLATE));
}

Deno.test({
  name: "first run of all on a terminal: checked relative answers, the generator chosen, all saved",
  async fn() {
    await withWorkspace(async (ws) => {
      await useWeaveTemplate(ws);
      const port = ws.port;
      // From a subdirectory of the trace repository: answers are relative to it.
      const cwd = join(ws.trace, "weave");
      await using session = runCliOnTerminal(["all", "--port", String(port)], {
        cwd,
        env: NO_GIT_CONFIG,
      });
      await session.expect(/\(python_output\):/);
      await session.send("../nope\r");
      await session.expect(/\.\.\/nope does not exist|nope \(relative to .*\) does not exist/);
      await session.send(`${BACKSPACES}.\r`);
      await session.expect(/is inside the git repository .*, not a repository of its own/);
      await session.send(`${BACKSPACES}../../weave-server-sdk\r`);
      await session.expect(/SDK generator \(generator\).*hosted Stainless needs STAINLESS_API_KEY/);
      await session.send("\r"); // the default: openapi-python-client
      await session.expect(
        /Create .*generate_config\.yaml from .*generate_config\.yaml\.template with python_output, generator, and the flags of this run \(port\)\?/,
      );
      await session.send("y\r");
      const { code, text } = await session.finish();
      assertEquals(code, 0, text);
      assertMatch(text, /codegen all: done in/);
      assert(!/\(package_name\):/.test(text), "the template gives package_name: not asked");
      assertNotMatch(text, /repo_path/);

      const config = await Deno.readTextFile(join(ws.trace, CONFIG));
      assertMatch(config, /^python_output: \.\.\/weave-server-sdk$/m, "relative to the repo root");
      assertNotMatch(config, /repo_path/, "today's key name");
      assertMatch(
        config,
        /^# Path to the Python package repository \(required\)$/m,
        "comments kept",
      );
      assertMatch(config, /^package_name: weave_server_sdk$/m);
      assertMatch(config, /^generator: openapi-python-client$/m);
      assertMatch(config, new RegExp(`^port: ${port}$`, "m"));

      // The next plain run does what the first did, without a warning about a key codegen wrote.
      const again = await all(ws);
      assertEquals(again.code, 0, again.stderr);
      assertNotMatch(again.stderr, /repo_path|none configured/);
      assertMatch(again.stdout, /generator\s+openapi-python-client/);
    });
  },
});

Deno.test({
  name: "first run of all --dry-run on a terminal: asks, writes nothing, says nothing changed",
  async fn() {
    await withWorkspace(async (ws) => {
      await useWeaveTemplate(ws);
      const before = [...Deno.readDirSync(join(ws.trace, "tools/codegen"))].map((e) => e.name);
      await using session = runCliOnTerminal(["all", "--dry-run"], {
        cwd: ws.trace,
        env: NO_GIT_CONFIG,
      });
      await session.expect(/\(python_output\):/);
      await session.send("../weave-server-sdk\r");
      await session.expect(/SDK generator \(generator\)/);
      await session.send("\r");
      await session.expect(/\(package_name\):/); // nothing saved: the template is not in effect
      await session.send("\r"); // the template's value, offered as the default
      const { code, text } = await session.finish();
      assertEquals(code, 0, text);
      assertMatch(text, /dry run: python_output, generator not saved/);
      assertMatch(text, /codegen all --dry-run: nothing was changed/);
      assertMatch(text, /weave_server_sdk @ git\+file:/);
      const after = [...Deno.readDirSync(join(ws.trace, "tools/codegen"))].map((e) => e.name);
      assertEquals(after.sort(), before.sort(), "no config file, nothing written");
    });
  },
});

Deno.test("without a configured generator the run picks one, and says which and why", async () => {
  await withWorkspace(async (ws) => {
    const args = ["--dry-run", "--python-output", ws.sdk, "--package-name", "weave_server_sdk"];
    const local = await all(ws, args);
    assertEquals(local.code, 0, local.stderr);
    assertMatch(
      local.stderr,
      /generator: openapi-python-client \(none configured, and STAINLESS_API_KEY is not set\); choose one with --generator/,
    );
    const hosted = await all(ws, args, { STAINLESS_API_KEY: "stl_dummy", GITHUB_TOKEN: "ghp_x" });
    assertEquals(hosted.code, 0, hosted.stderr);
    assertMatch(
      hosted.stderr,
      /generator: stainless \(none configured, and STAINLESS_API_KEY is set\)/,
    );
    const chosen = await all(ws, [...args, "--generator", "stainful"]);
    assertNotMatch(chosen.stderr, /none configured/);
  });
});
