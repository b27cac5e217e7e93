/**
 * Who listens on a port, and stopping them: real sockets, real processes; isSameServer (a listener
 * running the configured server command, directly or via its interpreter). Every port here is bound
 * by its own server (port 0) or reserved (tests/helpers/ports.ts): nothing races for one.
 */
import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/helpers/assert.ts";
import { reservePort } from "../../tests/helpers/ports.ts";
import { waitFor } from "../../tests/helpers/wait.ts";
import { canBind, commandLine, findListeners, freePort, isSameServer } from "./ports.ts";
import { type ManagedProcess, startProcess } from "./process.ts";

/** A Python process listening on a port of its own choosing (optionally ignoring SIGTERM). */
async function pythonListener(
  options: { ignoreTerm?: boolean } = {},
): Promise<{ proc: ManagedProcess; port: number }> {
  const script = [
    "import signal, socket, time",
    options.ignoreTerm ? "signal.signal(signal.SIGTERM, signal.SIG_IGN)" : "",
    "s = socket.socket()",
    's.bind(("127.0.0.1", 0))',
    "s.listen()",
    'print("port", s.getsockname()[1], flush=True)',
    "time.sleep(300)",
  ].join("\n");
  const proc = startProcess("python3", ["-c", script]);
  const port = await waitFor(() => Number(/port (\d+)/.exec(proc.stdout())?.[1]), {
    what: "the listener to print its port",
    details: () => proc.output(),
  });
  return { proc, port };
}

Deno.test("a port held by this process is found, and freePort refuses to stop its own tool", async () => {
  const server = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const { port } = server.addr as Deno.NetAddr;
    assertEquals((await findListeners(port)).map((l) => l.pid), [Deno.pid]);
    assert(!canBind(port), "a held port cannot be bound");
    await assertRejects(() => freePort(port), /port \d+ is held by this tool or its parent/);
  } finally {
    server.close();
  }
});

Deno.test("freePort stops another process's listener with SIGTERM and reports it", async () => {
  const { proc, port } = await pythonListener();
  try {
    const stopped = await freePort(port, 1000);
    assertEquals(stopped.map((l) => l.pid), [proc.pid]);
    assertMatch(stopped[0].command, /python3 -c import signal, socket, time/);
    const status = await proc.exited;
    assertEquals(status.signal, "SIGTERM");
    assertEquals(await findListeners(port), []);
  } finally {
    await proc.stop();
  }
});

Deno.test("a listener that ignores SIGTERM gets SIGKILL once the grace time is over", async () => {
  const { proc, port } = await pythonListener({ ignoreTerm: true });
  try {
    const stopped = await freePort(port, 200);
    assertEquals(stopped.map((l) => l.pid), [proc.pid]);
    assertEquals((await proc.exited).signal, "SIGKILL");
  } finally {
    await proc.stop();
  }
});

Deno.test("only listeners count: a client connected to the port is left alone", async () => {
  const server = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = server.addr as Deno.NetAddr;
  const client = startProcess("python3", [
    "-c",
    `import socket, time\nc = socket.create_connection(("127.0.0.1", ${port}))\n` +
    'print("connected", flush=True)\ntime.sleep(300)',
  ]);
  try {
    const accepted = await server.accept();
    await waitFor(() => client.stdout().includes("connected"), { what: "the client to connect" });
    assertEquals((await findListeners(port)).map((l) => l.pid), [Deno.pid]);
    accepted.close();
  } finally {
    await client.stop();
    server.close();
  }
});

Deno.test("a free port: canBind says so and freePort stops nothing", async () => {
  using reserved = reservePort();
  assert(canBind(reserved.port));
  assertEquals(await freePort(reserved.port), []);
  assertEquals(await findListeners(reserved.port), []);
});

Deno.test("commandLine reads a process's arguments; a process that is gone reads as ?", async () => {
  assertMatch(await commandLine(Deno.pid), /deno/);
  const child = new Deno.Command("true").spawn();
  await child.status;
  assertEquals(await commandLine(child.pid), "?");
});

Deno.test("isSameServer: the same command, directly or behind its interpreter; nothing else", () => {
  const server = ["/repo/.venv/bin/uvicorn", "weave.server:app", "--port", "6345"];
  const cases: [string[], boolean][] = [
    [server, true],
    [
      ["/repo/.venv/bin/python3", "/repo/.venv/bin/uvicorn", "weave.server:app", "--port", "6345"],
      true,
    ],
    [["python", "uvicorn", "weave.server:app", "--port", "6345"], true],
    [["/repo/.venv/bin/uvicorn", "weave.server:app", "--port", "6346"], false],
    [["/repo/.venv/bin/uvicorn", "other:app", "--port", "6345"], false],
    [["python3", "-m", "http.server", "6345"], false],
    [["/repo/.venv/bin/uvicorn", "weave.server:app", "--port", "6345", "--reload"], false],
  ];
  for (const [argv, same] of cases) assertEquals(isSameServer(argv, server), same, argv.join(" "));
  assertEquals(isSameServer(["x"], []), false);
});
