/**
 * Running a server just long enough to read one answer: against real tiny servers (Python
 * sockets), polling until it listens, a crash, a server that never answers, and the stop.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../tests/helpers/assert.ts";
import { PROJECT_ROOT } from "../../tests/helpers/cli.ts";
import { reservePort } from "../../tests/helpers/ports.ts";
import { waitFor } from "../../tests/helpers/wait.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { startProcess } from "../os/process.ts";
import { findListeners } from "../os/ports.ts";
import type { CodegenError } from "../core/errors.ts";
import {
  fetchOnce,
  resolveExecutable,
  substitutePort,
  waitForAnswer,
  withServerAnswer,
} from "./server.ts";

/**
 * A server that holds a port from the start (bound on port 0, printed) but listens only after
 * `delay` seconds: until then connections are refused, as while a real server starts.
 */
const LATE_SERVER = `
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
time.sleep(float(sys.argv[1]))
s.listen()
c, _ = s.accept()
c.recv(65536)
c.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: 12\\r\\n"
          b"Connection: close\\r\\n\\r\\n{\\"ok\\": true}")
c.close()
time.sleep(60)
`;

async function lateServer(delay: number) {
  const server = startProcess("python3", ["-c", LATE_SERVER, String(delay)]);
  const port = await waitFor(() => Number(server.stdout().trim().split("\n")[0]), {
    what: "the server to print its port",
    details: () => server.output(),
  });
  return { server, url: `http://127.0.0.1:${port}/openapi.json` };
}

Deno.test("substitutePort replaces every {port}, inside arguments too", () => {
  assertEquals(substitutePort(["uvicorn", "app", "--port", "{port}", "--bind=h:{port}"], 7000), [
    "uvicorn",
    "app",
    "--port",
    "7000",
    "--bind=h:7000",
  ]);
  assertEquals(substitutePort(["serve"], 1), ["serve"]);
});

Deno.test("resolveExecutable: the repository's .venv/bin first, then PATH, else a clear error", async () => {
  await withTempDir("codegen-server-", async (repo) => {
    assertMatch(resolveExecutable("python3", repo), /\/python3$/);
    await Deno.mkdir(`${repo}/.venv/bin`, { recursive: true });
    await Deno.writeTextFile(`${repo}/.venv/bin/python3`, "#!/bin/sh\n");
    await Deno.chmod(`${repo}/.venv/bin/python3`, 0o755);
    assertEquals(resolveExecutable("python3", repo), `${repo}/.venv/bin/python3`);
    const error = assertThrows(
      () => resolveExecutable("no-such-server-xyz", repo),
      /`no-such-server-xyz` not found in .*\/\.venv\/bin or on PATH/,
    );
    assertStringIncludes((error as CodegenError).hint ?? "", "server_command");
  });
});

Deno.test("waitForAnswer polls until the server listens, and returns its first answer", async () => {
  const { server, url } = await lateServer(0.3);
  try {
    const answer = await waitForAnswer(url, server, 30_000);
    assertEquals(answer, {
      status: 200,
      contentType: "application/json",
      body: '{"ok": true}',
      url,
    });
  } finally {
    await server.stop();
  }
});

Deno.test("waitForAnswer: a server that exits first fails at once, showing its output", async () => {
  using reserved = reservePort(); // nothing answers there
  const server = startProcess("python3", ["-c", "import sys; sys.exit('boom: cannot import app')"]);
  const started = Date.now();
  const error = await assertRejects(
    () => waitForAnswer(`http://127.0.0.1:${reserved.port}/openapi.json`, server, 60_000),
    /^the server exited before it answered: `python3 -c /,
  );
  assertStringIncludes((error as CodegenError).details ?? "", "boom: cannot import app");
  assert(Date.now() - started < 30_000, "did not wait for the timeout");
});

Deno.test("waitForAnswer: a server that never answers times out naming the URL and the time", async () => {
  const { server, url } = await lateServer(60);
  try {
    const error = await assertRejects(
      () => waitForAnswer(url, server, 300),
      /^the server did not answer http:\/\/127\.0\.0\.1:\d+\/openapi\.json within 0\.3 s$/,
    );
    assertStringIncludes((error as CodegenError).hint ?? "", "--startup-timeout");
    assertMatch((error as CodegenError).details ?? "", /^\d+$/, "the server's output");
  } finally {
    await server.stop();
  }
});

Deno.test("withServerAnswer starts the server, hands over its answer, and has stopped it after", async () => {
  using reserved = reservePort();
  const body = await withServerAnswer({
    argv: substitutePort(
      ["python3", "-m", "http.server", "--bind", "127.0.0.1", "{port}"],
      reserved.port,
    ),
    cwd: `${PROJECT_ROOT}/tests/fixtures`,
    port: reserved.port,
    startupTimeoutMs: 30_000,
    path: "/fake_server.py",
    stopGraceMs: 0,
  }, async (answer) => {
    // The server is already being stopped while the answer is used (its exit overlaps the write).
    assertEquals(answer.status, 200);
    return await Promise.resolve(answer.body);
  });
  assertStringIncludes(body, "Misbehaving stand-ins for the trace server");
  assertEquals(await findListeners(reserved.port), [], "stopped: nobody listens any more");
});

Deno.test("fetchOnce: nothing listening is an error that says the tool can start the server", async () => {
  using reserved = reservePort();
  const error = await assertRejects(
    () => fetchOnce(`http://127.0.0.1:${reserved.port}/openapi.json`, 5_000),
    /^cannot fetch http:\/\/127\.0\.0\.1:\d+\/openapi\.json: /,
  );
  assertStringIncludes(
    (error as CodegenError).hint ?? "",
    "Without --url the tool starts the server",
  );
});
