/** The one subprocess helper: output capture, errors, timeouts, process groups, stopping. */
import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/helpers/assert.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { waitFor } from "../../tests/helpers/wait.ts";
import { formatCommand, run, startProcess } from "./process.ts";
import { isAlive } from "./procfs.ts";
import { registerSecret } from "../core/redact.ts";
import { pendingCleanups } from "../core/cleanup.ts";
import type { CodegenError } from "../core/errors.ts";

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

Deno.test("a failure shows stdout and stderr interleaved in the order they were written", async () => {
  await withTempDir("codegen-process-", async (dir) => {
    // Each line waits until the previous one has arrived (a file the test creates when it sees
    // it), so the order in which they arrive is the order they were written.
    const wait = (gate: string) =>
      `for i in $(seq 1000); do [ -e ${dir}/${gate} ] && break; sleep 0.01; done`;
    const script = `echo one; ${wait("1")}; echo two >&2; ${wait("2")}; echo three; exit 4`;
    const seen: string[] = [];
    const error = await assertRejects(() =>
      run("bash", ["-c", script], {
        onOutput: (text) => {
          seen.push(text);
          Deno.writeTextFileSync(`${dir}/${seen.join("").split("\n").length - 1}`, "");
        },
      })
    );
    assertEquals((error as CodegenError).details, "one\ntwo\nthree");
  });
});

Deno.test("a timeout kills the whole process group and says after how long", async () => {
  await withTempDir("codegen-process-", async (dir) => {
    const error = await assertRejects(
      () =>
        run("bash", ["-c", `sleep 300 & echo $! > ${dir}/child; wait`], {
          timeoutMs: 300,
          hint: "Its output is above.",
          timeoutHint: "Raise --some-timeout.",
        }),
      /timed out after 0\.3 s/,
    );
    assertEquals((error as CodegenError).hint, "Raise --some-timeout. Its output is above.");
    const child = Number(await Deno.readTextFile(`${dir}/child`));
    assert(!isAlive(child), "background child killed with its group");
    assertEquals(pendingCleanups().length, 0, "nothing left registered");
  });
});

Deno.test("stdin input reaches the child; a missing command is a clear error", async () => {
  assertEquals((await run("cat", [], { input: "hello" })).stdout, "hello");
  await assertRejects(
    () => run("no-such-command-xyz", []),
    /command not found: no-such-command-xyz/,
  );
  await assertRejects(
    () => run("true", [], { cwd: "/nonexistent/dir" }),
    /cannot run `true`: working directory \/nonexistent\/dir does not exist/,
  );
});

Deno.test("a working directory that is a file is named as such, not as a missing command", async () => {
  await withTempDir("process-cwd-", async (dir) => {
    const file = `${dir}/plain-file`;
    await Deno.writeTextFile(file, "");
    const error = await assertRejects(
      () => run("git", ["status"], { cwd: file }),
      /cannot run `git status`: working directory \S+\/plain-file is not a directory/,
    );
    assertMatch((error as CodegenError).hint ?? "", /must be an existing directory/);
    // Below a file: the directory cannot exist (stat says "not a directory" for the parent).
    await assertRejects(
      () => run("git", ["status"], { cwd: `${file}/sub` }),
      /working directory \S+\/plain-file\/sub does not exist/,
    );
  });
});

Deno.test("startProcess drains a chatty child and stop() ends it", async () => {
  const proc = startProcess("bash", ["-c", "head -c 5000000 /dev/zero | tr '\\0' x; sleep 300"]);
  try {
    await waitFor(() => proc.stdout().length >= 500_000, {
      what: "the child to write 500 kB",
      details: () => `${proc.stdout().length} characters so far`,
    });
  } finally {
    await proc.stop(500);
  }
  assert(proc.done);
  assert(!isAlive(proc.pid));
});

Deno.test("formatCommand quotes arguments for display", () => {
  assertEquals(
    formatCommand("git", ["commit", "-m", "a b", "it's"]),
    `git commit -m 'a b' 'it'\\''s'`,
  );
});

Deno.test("output cut in the middle of a UTF-8 character keeps its last bytes", async () => {
  // "é" is two bytes; the child ends its output after the first one.
  const r = await run("python3", ["-c", "import sys; sys.stdout.buffer.write(b'ok \\xc3')"]);
  assertEquals(r.stdout, "ok \ufffd");
});
