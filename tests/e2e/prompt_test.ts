/**
 * On a real terminal: missing required values are asked for and can be saved into a config file
 * created from the template; errors are colored unless NO_COLOR is set; a session that times out
 * leaves no process behind.
 */
import { assert, assertEquals, assertMatch, assertRejects } from "../helpers/assert.ts";
import { allPids } from "../../lib/os/procfs.ts";
import { runCliOnTerminal } from "../helpers/pty.ts";
import { run } from "../../lib/os/process.ts";
import { withTempDir } from "../helpers/temp_dir.ts";

/** In `root`: a trace repository (pyproject.toml) holding an SDK clone `sdk/` with an origin. */
async function traceRepoWithSdk(root: string): Promise<{ root: string; sdk: string }> {
  const sdk = `${root}/sdk`;
  await Deno.mkdir(sdk);
  const git = (cwd: string, ...args: string[]) =>
    run("git", args, {
      cwd,
      env: {
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@x",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@x",
      },
    });
  await git(root, "init", "-q");
  await Deno.writeTextFile(`${root}/pyproject.toml`, '[project]\nname = "t"\nversion = "1"\n');
  await git(sdk, "init", "-q");
  await git(sdk, "commit", "-q", "--allow-empty", "-m", "init");
  await git(sdk, "remote", "add", "origin", "https://example.com/org/sdk.git");
  return { root, sdk };
}

Deno.test("on a terminal, missing values are asked for and saved into a new config file", async () => {
  await withTempDir("codegen-prompt-", async (dir) => {
    const { root, sdk } = await traceRepoWithSdk(dir);
    await using session = runCliOnTerminal(["update_pyproject"], { cwd: root });
    await session.expect(/\(python_output\):/);
    await session.send(`${sdk}\r`);
    await session.expect(
      /Create .*generate_config\.yaml from built-in config\.template\.yaml with python_output\?/,
    );
    await session.send("y\r");
    const { code, text } = await session.finish();
    assertEquals(code, 0, text);
    assert(!/\(package_name\):/.test(text), "the template gives package_name: not asked");
    assertMatch(
      text,
      /pyproject\.toml: weave_server_sdk @ git\+https:\/\/example\.com\/org\/sdk\.git@[0-9a-f]{40}/,
    );
    const config = await Deno.readTextFile(`${root}/tools/codegen/generate_config.yaml`);
    assertMatch(config, /^python_output: sdk$/m, "saved relative to the repository root");
    assertMatch(config, /^package_name: weave_server_sdk$/m);
    assertMatch(
      config,
      /^# Configuration of the codegen tool/m,
      "made from the template, comments kept",
    );
  });
});

Deno.test("on a terminal, a dry run asks but saves nothing", async () => {
  await withTempDir("codegen-prompt-", async (dir) => {
    const { root, sdk } = await traceRepoWithSdk(dir);
    await using session = runCliOnTerminal(["update_pyproject", "--dry-run", sdk], { cwd: root });
    await session.expect(/\(package_name\):/);
    await session.send("weave_server_sdk\r");
    const { code, text } = await session.finish();
    assertEquals(code, 0, text);
    assertMatch(
      text,
      /dry run: package_name not saved in .*generate_config\.yaml \(nothing is written\)/,
    );
    assertMatch(text, /dry run; not written/);
    assert(!(await Deno.stat(`${root}/tools`).then(() => true, () => false)), "nothing written");
  });
});

Deno.test("errors are colored on a terminal, and never with NO_COLOR", async () => {
  await using colored = runCliOnTerminal(["get_openapi_spec", "--bogus"], { cwd: "/" });
  const first = await colored.finish();
  assertEquals(first.code, 2);
  assert(colored.raw().includes("\x1b[31merror:"), "red error on a terminal");
  await using plain = runCliOnTerminal(["get_openapi_spec", "--bogus"], {
    cwd: "/",
    env: { NO_COLOR: "1" },
  });
  const second = await plain.finish();
  assertEquals(second.code, 2);
  assert(!plain.raw().includes("\x1b["), "no escape codes with NO_COLOR");
  assertMatch(second.text, /error: unknown option '--bogus'/);
});

Deno.test("a terminal session whose expect times out stops the CLI waiting at its prompt", async () => {
  await withTempDir("codegen-prompt-", async (dir) => {
    const { root } = await traceRepoWithSdk(dir);
    // The config path marks the CLI's command line, to find what is left of it.
    const config = `${root}/marker-config.yaml`;
    await Deno.writeTextFile(config, "# nothing set: the CLI asks\n");
    await using session = runCliOnTerminal(["--config", config, "update_pyproject"], {
      cwd: root,
    });
    await session.expect(/\(python_output\):/);
    await assertRejects(() => session.expect(/never printed/, 500), /timed out/);
    const left = allPids().filter((pid) => {
      try {
        return Deno.readTextFileSync(`/proc/${pid}/cmdline`).includes(config);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return false; // exited meanwhile
        throw error;
      }
    });
    assertEquals(left, [], "no process of the session is left");
  });
});
