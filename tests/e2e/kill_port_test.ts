/**
 * kill_port: what happens to a process already listening on the server's port. `always` (the
 * default without a terminal) stops it; `never` fails at once naming it and suggesting --port;
 * `ask` (the default on a terminal) asks first, except for a previous run of the server command.
 */
import { assert, assertEquals, assertMatch } from "../helpers/assert.ts";
import { PROJECT_ROOT, PYTHON, runCli } from "../helpers/cli.ts";
import { runCliOnTerminal } from "../helpers/pty.ts";
import { freeEphemeralPort } from "../../lib/os/ports.ts";
import { isAlive } from "../../lib/os/procfs.ts";

const FAKE_SERVER = `${PROJECT_ROOT}/tests/fixtures/fake_server.py`;

interface Holder {
  child: Deno.ChildProcess;
  port: number;
  /** Waits (bounded) for it to exit; false if it is still running. */
  stopped(): Promise<boolean>;
  dispose(): Promise<void>;
}

/** A process listening on a free port: an unrelated one, or a run of the fake server command. */
async function holdPort(kind: "unrelated" | "server"): Promise<Holder> {
  const port = freeEphemeralPort();
  const args = kind === "server" ? [FAKE_SERVER, "ok", String(port)] : [
    "-c",
    `import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",${port}))\ns.listen()\nprint("ready",flush=True)\ntime.sleep(3600)`,
  ];
  const child = new Deno.Command(PYTHON, { args, stdout: "piped", stderr: "null" }).spawn();
  if (kind === "unrelated") {
    const reader = child.stdout.getReader();
    await reader.read(); // "ready": the port is held
    reader.releaseLock();
  } else {
    const deadline = Date.now() + 60_000;
    while (
      !(await fetch(`http://127.0.0.1:${port}/openapi.json`).then(
        (r) => r.body?.cancel().then(() => true),
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error("the fake server never answered");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  let exited = false;
  child.status.then(() => (exited = true));
  return {
    child,
    port,
    async stopped() {
      const deadline = Date.now() + 10_000;
      while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return exited;
    },
    async dispose() {
      if (!exited) child.kill("SIGKILL");
      await child.status;
      await child.stdout.cancel().catch(() => {});
    },
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
  const dir = await Deno.makeTempDir({ prefix: "codegen-port-" });
  const holder = await holdPort(kind);
  try {
    await fn(holder, dir);
  } finally {
    await holder.dispose();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("--kill-port never: fails at once naming the PID and command line, suggests --port", async () => {
  await withHolder("unrelated", async (holder, dir) => {
    const r = await runCli(specArgs(dir, holder.port, "--kill-port", "never"));
    assertEquals(r.code, 1, r.stderr);
    assertMatch(
      r.stderr,
      new RegExp(
        `port ${holder.port} is in use by PID ${holder.child.pid} \\(.*python -c import socket.*\\); kill_port is never`,
      ),
    );
    assertMatch(r.stderr, /hint: Pass --port \d+ \(config `port`\) to use a free port/);
    assert(isAlive(holder.child.pid), "the process holding the port was left alone");
  });
});

for (const args of [["--kill-port", "always"], []]) {
  Deno.test(`${args.length ? "--kill-port always" : "no terminal, no kill_port"}: the process holding the port is stopped`, async () => {
    await withHolder("unrelated", async (holder, dir) => {
      const r = await runCli(specArgs(dir, holder.port, ...args));
      assertEquals(r.code, 0, r.stderr);
      assertMatch(r.stderr, new RegExp(`stopping PID ${holder.child.pid}`));
      assert(await holder.stopped(), "stopped");
    });
  });
}

for (const answer of ["y", "n"]) {
  Deno.test(`on a terminal (kill_port ask): an unrelated listener is stopped only when you say so (${answer})`, async () => {
    await withHolder("unrelated", async (holder, dir) => {
      const session = runCliOnTerminal(specArgs(dir, holder.port), { cwd: dir });
      await session.expect(
        new RegExp(
          `Port ${holder.port} is held by PID ${holder.child.pid} \\(.*\\), which is not the server codegen starts\\. Stop it\\?`,
        ),
      );
      await session.send(`${answer}\r`);
      const { code, text } = await session.finish();
      if (answer === "y") {
        assertEquals(code, 0, text);
        assert(await holder.stopped(), "stopped after yes");
      } else {
        assertEquals(code, 1, text);
        assertMatch(text, /you chose not to stop it/);
        assert(isAlive(holder.child.pid), "left alone after no");
      }
    });
  });
}

Deno.test("on a terminal (kill_port ask): a previous run of the server command is stopped without asking", async () => {
  await withHolder("server", async (holder, dir) => {
    const session = runCliOnTerminal(specArgs(dir, holder.port), { cwd: dir });
    const { code, text } = await session.finish();
    assertEquals(code, 0, text);
    assertMatch(
      text,
      new RegExp(`PID ${holder.child.pid} is a previous run of the server command; stopping it`),
    );
    assert(!/Stop it\?/.test(text), "nothing asked");
    assert(await holder.stopped(), "stopped");
  });
});
