/**
 * get_openapi_spec with stand-in servers that misbehave (tests/fixtures/fake_server.py): a crash
 * at import, never ready, megabytes of output, answers that are not a spec. Each failure is a
 * clear error, the previous spec is left alone and no process is left behind.
 */
import { assert, assertEquals, assertMatch, assertNotMatch } from "../helpers/assert.ts";
import { fakeCommand, readSpec, withFakeServer } from "../helpers/spec_cli.ts";
import { withTempDir } from "../helpers/temp_dir.ts";
import { isAlive } from "../../lib/os/procfs.ts";

Deno.test("a server that crashes at import fails at once with its traceback", async () => {
  await withTempDir("codegen-spec-", async (dir) => {
    const started = Date.now();
    const r = await withFakeServer(fakeCommand("crash"), [
      "--startup-timeout",
      "60",
      "-o",
      `${dir}/o.json`,
    ]);
    const elapsed = Date.now() - started;
    assertEquals(r.code, 1);
    assertEquals(r.stdout, "");
    assertMatch(r.stderr, /the server exited before it answered/);
    assertMatch(r.stderr, /Traceback[\s\S]*RuntimeError: boom: the trace server failed to import/);
    // Correctness, not speed: it must not have waited for the 60 s startup timeout.
    assert(elapsed < 50_000, `stopped waiting when the server died (took ${elapsed} ms)`);
  });
});

Deno.test("a server that never becomes ready times out with an actionable message, group killed", async () => {
  await withTempDir("codegen-spec-", async (dir) => {
    const r = await withFakeServer(fakeCommand("never-ready", dir), [
      "--startup-timeout",
      "1.5",
      "-o",
      `${dir}/o.json`,
    ]);
    assertEquals(r.code, 1);
    assertMatch(r.stderr, /did not answer http:\/\/127\.0\.0\.1:\d+\/openapi\.json within 1\.5 s/);
    assertMatch(r.stderr, /--startup-timeout/);
    const pids = (await Deno.readTextFile(`${dir}/pids`)).trim().split("\n").map(Number);
    assertEquals(pids.length, 2, "server and its child started");
    for (const pid of pids) assert(!isAlive(pid), `PID ${pid} was stopped`);
  });
});

Deno.test("a server that prints megabytes before it is ready does not stall the tool", async () => {
  await withTempDir("codegen-spec-", async (dir) => {
    const r = await withFakeServer(fakeCommand("chatty"), [
      "--startup-timeout",
      "60",
      "-o",
      `${dir}/o.json`,
    ]);
    assertEquals(r.code, 0, r.stderr.slice(0, 2000));
    assertEquals((await readSpec(`${dir}/o.json`)).info.title, "fake");
    assertNotMatch(r.stderr, /xxxxxxxx/, "server output is not shown without --verbose");
  });
});

for (
  const [mode, message] of [
    ["not-json", /did not return JSON \(content-type: text\/html\)[\s\S]*<html>not a spec/],
    ["not-openapi", /is not an OpenAPI 3 document: no `openapi` version field[\s\S]*hello/],
    ["status-500", /answered HTTP 500, not the OpenAPI spec[\s\S]*Internal Server Error/],
  ] as const
) {
  Deno.test(`a ${mode} answer is rejected with the status and the first bytes`, async () => {
    await withTempDir("codegen-spec-", async (dir) => {
      await Deno.writeTextFile(`${dir}/o.json`, "previous\n");
      const r = await withFakeServer(fakeCommand(mode), ["-o", `${dir}/o.json`]);
      assertEquals(r.code, 1);
      assertMatch(r.stderr, message);
      assertEquals(await Deno.readTextFile(`${dir}/o.json`), "previous\n", "old spec untouched");
      assertEquals([...Deno.readDirSync(dir)].length, 1, "no temporary file left");
    });
  });
}
