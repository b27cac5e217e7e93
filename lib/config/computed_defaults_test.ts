/** Computed defaults: generator from STAINLESS_API_KEY, kill_port from the terminal; with why. */
import { assertEquals, assertRejects } from "../../tests/helpers/assert.ts";
import { Settings } from "./settings.ts";
import { loadConfigFile } from "./config_file.ts";

async function settings(env: Record<string, string>, interactive: boolean, flags = {}) {
  return new Settings({
    repoRoot: "/trace",
    cwd: "/trace",
    configFile: await loadConfigFile("/nonexistent/generate_config.yaml"),
    flags,
    env,
    interactive,
  });
}

Deno.test("generator: hosted Stainless when its API key is set, else openapi-python-client", async () => {
  const hosted = await settings({ STAINLESS_API_KEY: "stl_x" }, false);
  assertEquals([hosted.get("generator"), hosted.source("generator")], ["stainless", "default"]);
  assertEquals(hosted.origin("generator"), "STAINLESS_API_KEY is set");
  const local = await settings({ STAINLESS_API_KEY: " " }, false);
  assertEquals(local.get("generator"), "openapi-python-client");
  assertEquals(local.origin("generator"), "STAINLESS_API_KEY is not set");
  const chosen = await settings({ STAINLESS_API_KEY: "stl_x" }, false, { generator: "stainful" });
  assertEquals([chosen.get("generator"), chosen.source("generator")], ["stainful", "flag"]);
});

Deno.test("kill_port: ask on a terminal, always elsewhere; only its three values", async () => {
  assertEquals((await settings({}, true)).get("kill_port"), "ask");
  assertEquals((await settings({}, false)).get("kill_port"), "always");
  assertEquals((await settings({ CODEGEN_KILL_PORT: "never" }, true)).get("kill_port"), "never");
  await assertRejects(
    () => settings({}, false, { kill_port: "sometimes" }),
    /--kill-port: unknown kill_port `sometimes`/,
  );
});
