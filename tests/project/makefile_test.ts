/** `make help` lists every make target the docs mention, and each is a real target. */
import { assert } from "../helpers/assert.ts";
import { PROJECT_ROOT } from "../helpers/cli.ts";
import { run } from "../../lib/os/process.ts";
import { withTempDir } from "../helpers/temp_dir.ts";

async function mentionedTargets(): Promise<Set<string>> {
  const files = [`${PROJECT_ROOT}/README.md`, `${PROJECT_ROOT}/Makefile`];
  for (const entry of Deno.readDirSync(`${PROJECT_ROOT}/docs`)) {
    files.push(`${PROJECT_ROOT}/docs/${entry.name}`);
  }
  const targets = new Set<string>();
  for (const file of files) {
    const text = await Deno.readTextFile(file);
    // `make demo`, `make -C ~/src/codegen setup`, `make generate-bindings ARGS=...`
    for (const match of text.matchAll(/\bmake\s+(?:-C\s+\S+\s+)?([a-z][\w-]*)/g)) {
      targets.add(match[1]);
    }
  }
  return targets;
}

Deno.test("make help lists every target the README and docs mention, and each exists", async () => {
  const targets = await mentionedTargets();
  for (const expected of ["setup", "test", "demo", "bundle", "compile"]) {
    assert(targets.has(expected), `the docs mention make ${expected}`);
  }
  const help = await run("make", ["-s", "help"], { cwd: PROJECT_ROOT, what: "make help" });
  const makefile = await Deno.readTextFile(`${PROJECT_ROOT}/Makefile`);
  for (const target of targets) {
    assert(new RegExp(`^make ${target}\\b`, "m").test(help.stdout), `make help lists ${target}`);
    assert(new RegExp(`^${target}:`, "m").test(makefile), `the Makefile has a ${target} rule`);
  }
});

Deno.test("make demo KEEP=1 passes --keep to the demo; make demo and KEEP=0/no/false do not", async () => {
  const dryRun = async (...vars: string[]) =>
    (await run("make", ["-n", "demo", ...vars], {
      cwd: PROJECT_ROOT,
      env: { DENO: "deno" },
      what: "make -n demo",
    })).stdout;
  assert(/scripts\/demo\.ts --keep\s*$/m.test(await dryRun("KEEP=1")), "KEEP=1 gives --keep");
  assert(/scripts\/demo\.ts\s*$/m.test(await dryRun()), "no KEEP: the workspace is removed");
  for (const no of ["0", "no", "false"]) {
    assert(/scripts\/demo\.ts\s*$/m.test(await dryRun(`KEEP=${no}`)), `KEEP=${no}: removed`);
  }
});

Deno.test("the venv stamp follows requirements.txt's content, not its modification time", async () => {
  await withTempDir("codegen-make-", async (dir) => {
    await Deno.copyFile(`${PROJECT_ROOT}/Makefile`, `${dir}/Makefile`);
    await Deno.copyFile(`${PROJECT_ROOT}/requirements.txt`, `${dir}/requirements.txt`);
    const sum = (await run("bash", ["-c", "cksum < requirements.txt"], { cwd: dir })).stdout
      .split(" ")[0];
    // A complete environment, installed before this checkout wrote requirements.txt anew.
    await Deno.mkdir(`${dir}/.venv/bin`, { recursive: true });
    await Deno.writeTextFile(`${dir}/.venv/bin/python`, "#!/bin/sh\n", { mode: 0o755 });
    await Deno.writeTextFile(`${dir}/.venv/.installed-${sum}`, "");
    await Deno.utime(`${dir}/.venv/.installed-${sum}`, 1_000_000, 1_000_000);
    const plan = async () =>
      (await run("make", ["-n", "setup"], { cwd: dir, env: { DENO: "deno" } })).stdout;
    assert(!(await plan()).includes("pip install"), "same content: nothing to install");
    await Deno.writeTextFile(`${dir}/requirements.txt`, "\n# changed\n", { append: true });
    assert((await plan()).includes("pip install"), "new content: installed again");
  });
});
