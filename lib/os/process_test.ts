import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/helpers/assert.ts";
import { formatCommand, run, startProcess } from "./process.ts";
import { findListeners, freeEphemeralPort, freePort } from "./ports.ts";
import { redact, registerSecret, stripUrlCredentials } from "../core/redact.ts";
import { writeFileAtomic } from "../core/fs.ts";
import { pendingCleanups } from "../core/cleanup.ts";

function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false; // gone
  }
}

Deno.test("run captures stdout and stderr separately and returns the exit code", async () => {
  const r = await run("bash", ["-c", "echo out; echo err >&2; exit 3"], { check: false });
  assertEquals([r.code, r.stdout, r.stderr], [3, "out\n", "err\n"]);
});

Deno.test("a failing command's error names it, its exit code and shows its output, redacted", async () => {
  registerSecret("s3cr3t-token");
  const error = await assertRejects(
    () =>
      run("bash", ["-c", "echo 'fatal: https://user:s3cr3t-token@host/x' >&2; exit 128"], {
        what: "push the branch",
        hint: "check access",
      }),
    /push the branch failed: `bash -c .*` \(exit code 128\)/,
  );
  const details = (error as { details?: string }).details ?? "";
  assertMatch(details, /fatal: https:\/\/\*\*\*@host\/x/);
  assert(!details.includes("s3cr3t"));
});

Deno.test("a timeout kills the whole process group", async () => {
  const dir = await Deno.makeTempDir();
  await assertRejects(
    () => run("bash", ["-c", `sleep 300 & echo $! > ${dir}/child; wait`], { timeoutMs: 300 }),
    /timed out after 0 s/,
  );
  const child = Number(await Deno.readTextFile(`${dir}/child`));
  assert(!alive(child), "background child killed with its group");
  assertEquals(pendingCleanups().length, 0, "nothing left registered");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("stdin input reaches the child; a missing command is a clear error", async () => {
  assertEquals((await run("cat", [], { input: "hello" })).stdout, "hello");
  await assertRejects(
    () => run("no-such-command-xyz", []),
    /command not found: no-such-command-xyz/,
  );
});

Deno.test("startProcess drains a chatty child and stop() ends it", async () => {
  const proc = startProcess("bash", ["-c", "head -c 5000000 /dev/zero | tr '\\0' x; sleep 300"]);
  while (proc.stdout().length < 500_000) await new Promise((r) => setTimeout(r, 10));
  await proc.stop(500);
  assert(proc.done);
  assert(!alive(proc.pid));
});

Deno.test("formatCommand quotes arguments for display", () => {
  assertEquals(
    formatCommand("git", ["commit", "-m", "a b", "it's"]),
    `git commit -m 'a b' 'it'\\''s'`,
  );
});

Deno.test("redaction: http userinfo, passwords, registered secrets; ssh users stay", () => {
  assertEquals(redact("https://x-access-token:abc@github.com/o/r"), "https://***@github.com/o/r");
  assertEquals(redact("ssh://git@github.com/o/r.git"), "ssh://git@github.com/o/r.git");
  assertEquals(redact("ftp://me:pw@host"), "ftp://me:***@host");
  assertEquals(stripUrlCredentials("https://user:tok@host/o/r.git"), "https://host/o/r.git");
  assertEquals(stripUrlCredentials("ssh://git@host/o/r.git"), "ssh://git@host/o/r.git");
});

Deno.test("atomic writes keep the old file when writing fails and leave no temp file", async () => {
  const dir = await Deno.makeTempDir();
  await writeFileAtomic(`${dir}/a.json`, "one\n");
  await Deno.chmod(`${dir}/a.json`, 0o640);
  await writeFileAtomic(`${dir}/a.json`, "two\n");
  assertEquals(await Deno.readTextFile(`${dir}/a.json`), "two\n");
  assertEquals((await Deno.stat(`${dir}/a.json`)).mode! & 0o777, 0o640, "mode kept");
  await Deno.mkdir(`${dir}/sub.json`);
  await assertRejects(() => writeFileAtomic(`${dir}/sub.json`, "x"), /cannot write file/);
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["a.json", "sub.json"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("port listeners are found through /proc, stopped, and only listeners", async () => {
  const port = freeEphemeralPort();
  const server = Deno.listen({ hostname: "127.0.0.1", port });
  const own = await findListeners(port);
  assertEquals(own.map((l) => l.pid), [Deno.pid]);
  await assertRejects(() => freePort(port), /held by this tool or its parent/);
  server.close();
  const holder = startProcess("python3", [
    "-c",
    `import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",${port}))\ns.listen()\nprint("up",flush=True)\ntime.sleep(300)`,
  ]);
  while (!holder.stdout().includes("up")) await new Promise((r) => setTimeout(r, 10));
  const stopped = await freePort(port, 1000);
  assertEquals(stopped.map((l) => l.pid), [holder.pid]);
  assertMatch(stopped[0].command, /python3 -c import socket/);
  await holder.exited;
  assertEquals(await findListeners(port), []);
});

Deno.test("atomic writes go through a symlink: the link stays, its target gets the content", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/real.toml`, "old\n");
  await Deno.symlink(`${dir}/real.toml`, `${dir}/link.toml`);
  await writeFileAtomic(`${dir}/link.toml`, "new\n");
  assert((await Deno.lstat(`${dir}/link.toml`)).isSymlink, "still a symlink");
  assertEquals(await Deno.readTextFile(`${dir}/real.toml`), "new\n");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("output cut in the middle of a UTF-8 character keeps its last bytes", async () => {
  // "é" is two bytes; the child ends its output after the first one.
  const r = await run("python3", ["-c", "import sys; sys.stdout.buffer.write(b'ok \\xc3')"]);
  assertEquals(r.stdout, "ok \ufffd");
});
