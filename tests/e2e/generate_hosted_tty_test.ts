/**
 * Hosted-build progress as people see it: on a terminal, one status line rewritten in place; with
 * CI set, one plain line per change.
 */
import { assert, assertEquals, assertMatch } from "../helpers/assert.ts";
import { runCliOnTerminal } from "../helpers/pty.ts";
import { runCli } from "../helpers/cli.ts";
import { hostedEnv, hostedGenerateArgs, startFakeStainless } from "../helpers/fake_stainless.ts";
import { makeClone, makeTraceRepo, removeAll } from "../helpers/sdk_clone.ts";

async function hostedRun(onTerminal: boolean) {
  const fake = await startFakeStainless();
  const repo = await makeTraceRepo();
  const clone = await makeClone();
  const args = hostedGenerateArgs(repo, clone);
  const env = hostedEnv(fake);
  try {
    if (!onTerminal) {
      const result = await runCli(args, { env: { ...env, CI: "true" } });
      return { code: result.code, raw: result.stderr, secrets: [fake.apiKey, fake.gitToken] };
    }
    await using session = runCliOnTerminal(args, { cwd: repo, env });
    const { code } = await session.finish();
    return { code, raw: session.raw(), secrets: [fake.apiKey, fake.gitToken] };
  } finally {
    await fake.close();
    await removeAll(repo, clone);
  }
}

Deno.test("on a terminal, build progress is one status line rewritten in place", async () => {
  const { code, raw, secrets } = await hostedRun(true);
  assertEquals(code, 0, raw);
  const rewrites = raw.split("\r\x1b[2K").length - 1;
  assert(rewrites >= 3, `the status line was rewritten (${rewrites} times)`);
  assertMatch(raw, /python/);
  for (const secret of secrets) assert(!raw.includes(secret), "no secret on the terminal");
});

Deno.test("with CI set, build progress is plain lines, one per change, no escape codes", async () => {
  const { code, raw } = await hostedRun(false);
  assertEquals(code, 0, raw);
  assert(!raw.includes("\x1b["), "no escape codes");
  const lines = raw.split("\n").filter((line) => /python/.test(line));
  assert(lines.length >= 2, `several progress lines:\n${raw}`);
  const unique = new Set(lines);
  assertEquals(unique.size, lines.length, "no line repeats: only changes are printed");
});
