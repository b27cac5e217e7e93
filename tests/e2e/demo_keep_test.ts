/** `make demo KEEP=1` (scripts/demo.ts --keep): the workspace stays, and the demo says where. */
import { assert, assertEquals } from "../helpers/assert.ts";
import { cliEnv, PROJECT_ROOT } from "../helpers/cli.ts";
import { run } from "../../lib/os/process.ts";

Deno.test("the demo with --keep keeps its workspace and prints where it is", async () => {
  const r = await run(Deno.execPath(), [
    "run",
    "--allow-all",
    "--quiet",
    `${PROJECT_ROOT}/scripts/demo.ts`,
    "--keep",
  ], { cwd: PROJECT_ROOT, env: cliEnv(), clearEnv: true, check: false, timeoutMs: 300_000 });
  assertEquals(r.code, 0, r.stderr);
  const root = /^workspace kept: (\/\S+) \(remove it with: rm -rf \1\)$/m.exec(r.stdout)?.[1];
  assert(root, `the demo says where the workspace is:\n${r.stdout}`);
  try {
    assert(
      (await Deno.stat(`${root}/weave/pyproject.toml`)).isFile,
      "the workspace is still there",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
