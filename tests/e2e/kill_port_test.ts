/**
 * kill_port: what happens to a process already listening on the server's port. `always` (the
 * default without a terminal) stops it; `never` fails at once naming it and suggesting --port;
 * `ask` (the default on a terminal) asks first, except for a previous run of the server command.
 */
import { assert, assertEquals, assertMatch } from "../helpers/assert.ts";
import { PROJECT_ROOT, PYTHON, runCli } from "../helpers/cli.ts";
import { runCliOnTerminal } from "../helpers/pty.ts";
import { canBind } from "../../lib/os/ports.ts";
import { isAlive } from "../../lib/os/procfs.ts";
import { type ManagedProcess, startProcess } from "../../lib/os/process.ts";
import { reservePort } from "../helpers/ports.ts";
import { withTempDir } from "../helpers/temp_dir.ts";
import { waitFor } from "../helpers/wait.ts";

const FAKE_SERVER = `${PROJECT_ROOT}/tests/fixtures/fake_server.py`;

interface Holder {
  proc: ManagedProcess;
  port: number;
  /** Waits (bounded) for it to exit; fails the test if it is still running. */
  stopped(): Promise<void>;
  dispose(): Promise<void>;
}

/** A process listening on a reserved port: an unrelated one, or a run of the fake server command. */
async function holdPort(kind: "unrelated" | "server"): Promise<Holder> {
  const reserved = reservePort();
  const port = reserved.port;
  const args = kind === "server" ? [FAKE_SERVER, "ok", String(port)] : [
    "-c",
    `import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",${port}))\ns.listen()\nprint("ready",flush=True)\ntime.sleep(3600)`,
  ];
  const proc = startProcess(PYTHON, args);
  const dispose = async () => {
    await proc.stop(0);
    reserved.release();
  };
  try {
    await waitFor(() => {
      if (proc.done) throw new Error(`the ${kind} listener exited:\n${proc.output()}`);
      return kind === "unrelated" ? proc.stdout().includes("ready") : !canBind(port);
    }, { what: `the ${kind} listener to hold port ${port}`, timeoutMs: 60_000, intervalMs: 50 });
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    proc,
    port,
    stopped: () =>
      waitFor(() => proc.done, {
        what: `PID ${proc.pid} (holding port ${port}) to be stopped`,
        timeoutMs: 10_000,
        intervalMs: 20,
      }).then(() => {}),
    dispose,
  };
}

/** get_openapi_spec with the fake server command on the held port. */
function specArgs(dir: string, port: number, ...extra: string[]): string[] {
  return [
    "--repo-root",
    dir,
    "get_openapi_spec",
    "--server-command",
    `${PYTHON} ${FAKE_SERVER} ok {port}`,
    "--port",
    String(port),
    "-o",
    `${dir}/o.json`,
    ...extra,
  ];
}

async function withHolder(
  kind: "unrelated" | "server",
  fn: (h: Holder, dir: string) => Promise<void>,
) {
  await withTempDir("codegen-port-", async (dir) => {
    const holder = await holdPort(kind);
    try {
      await fn(holder, dir);
    } finally {
      await holder.dispose();
    }
  });
}

Deno.test("--kill-port never: fails at once naming the PID and command line, suggests --port", async () => {
  await withHolder("unrelated", async (holder, dir) => {
    const r = await runCli(specArgs(dir, holder.port, "--kill-port", "never"));
    assertEquals(r.code, 1, r.stderr);
    assertMatch(
      r.stderr,
      new RegExp(
        `port ${holder.port} is in use by PID ${holder.proc.pid} \\(.*python -c import socket.*\\); kill_port is never`,
      ),
    );
    assertMatch(r.stderr, /hint: Pass --port \d+ \(config `port`\) to use a free port/);
    assert(isAlive(holder.proc.pid), "the process holding the port was left alone");
  });
});

Deno.test("check --kill-port never: fails like get_openapi_spec and leaves the listener alone", async () => {
  await withHolder("unrelated", async (holder, dir) => {
    const r = await runCli([
      "--repo-root",
      dir,
      "check",
      "--server-command",
      `${PYTHON} ${FAKE_SERVER} ok {port}`,
      "--port",
      String(holder.port),
      "--kill-port",
      "never",
    ]);
    assertEquals(r.code, 1, r.stderr);
    assertMatch(
      r.stderr,
      new RegExp(`port ${holder.port} is in use by PID ${holder.proc.pid} .*kill_port is never`),
    );
    assert(!r.stderr.includes("stopping PID"), r.stderr);
    assert(isAlive(holder.proc.pid), "the process holding the port was left alone");
  });
});

for (const args of [["--kill-port", "always"], []]) {
  Deno.test(`${args.length ? "--kill-port always" : "no terminal, no kill_port"}: the process holding the port is stopped`, async () => {
    await withHolder("unrelated", async (holder, dir) => {
      const r = await runCli(specArgs(dir, holder.port, ...args));
      assertEquals(r.code, 0, r.stderr);
      assertMatch(r.stderr, new RegExp(`stopping PID ${holder.proc.pid}`));
      await holder.stopped();
    });
  });
}

for (const answer of ["y", "n"]) {
  Deno.test(`on a terminal (kill_port ask): an unrelated listener is stopped only when you say so (${answer})`, async () => {
    await withHolder("unrelated", async (holder, dir) => {
      await using session = runCliOnTerminal(specArgs(dir, holder.port), { cwd: dir });
      await session.expect(
        new RegExp(
          `Port ${holder.port} is held by PID ${holder.proc.pid} \\(.*\\), which is not the server codegen starts\\. Stop it\\?`,
        ),
      );
      await session.send(`${answer}\r`);
      const { code, text } = await session.finish();
      if (answer === "y") {
        assertEquals(code, 0, text);
        await holder.stopped();
      } else {
        assertEquals(code, 1, text);
        assertMatch(text, /you chose not to stop it/);
        assert(isAlive(holder.proc.pid), "left alone after no");
      }
    });
  });
}

Deno.test("on a terminal (kill_port ask): a previous run of the server command is stopped without asking", async () => {
  await withHolder("server", async (holder, dir) => {
    await using session = runCliOnTerminal(specArgs(dir, holder.port), { cwd: dir });
    const { code, text } = await session.finish();
    assertEquals(code, 0, text);
    assertMatch(
      text,
      new RegExp(`PID ${holder.proc.pid} is a previous run of the server command; stopping it`),
    );
    assert(!/Stop it\?/.test(text), "nothing asked");
    await holder.stopped();
  });
});
