/** Ctrl-C or SIGTERM while get_openapi_spec waits for a server: the server's whole group goes. */
import { assert, assertEquals, assertMatch } from "../helpers/assert.ts";
import { cliEnv, MAIN } from "../helpers/cli.ts";
import { reservePort } from "../helpers/ports.ts";
import { fakeCommand } from "../helpers/spec_cli.ts";
import { withTempDir } from "../helpers/temp_dir.ts";
import { waitFor } from "../helpers/wait.ts";
import { isAlive } from "../../lib/os/procfs.ts";

/** The PIDs fake_server.py recorded (server and grandchild), once it wrote them. */
async function recordedPids(dir: string): Promise<number[] | undefined> {
  try {
    return (await Deno.readTextFile(`${dir}/pids`)).trim().split("\n").map(Number);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined; // not started yet
    throw error;
  }
}

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`${signal} to the tool stops the server's whole process group`, async () => {
    await withTempDir("codegen-spec-", async (dir) => {
      using reserved = reservePort();
      const tool = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-all",
          MAIN,
          "get_openapi_spec",
          "--server-command",
          fakeCommand("never-ready", dir),
          "--port",
          String(reserved.port),
          "-o",
          `${dir}/o.json`,
        ],
        env: cliEnv(),
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      let pids: number[];
      let output: Deno.CommandOutput;
      try {
        pids = await waitFor(() => recordedPids(dir), {
          what: "the server to start and record its PIDs",
          intervalMs: 50,
        });
      } finally {
        tool.kill(signal);
        output = await tool.output();
      }
      assertEquals(pids.length, 2, "server and its child started");
      assertEquals(output.code, code);
      assertMatch(
        new TextDecoder().decode(output.stderr),
        new RegExp(`interrupted \\(${signal}\\)`),
      );
      for (const pid of pids) assert(!isAlive(pid), `PID ${pid} is gone after ${signal}`);
    });
  });
}
