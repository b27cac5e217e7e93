/**
 * get_openapi_spec's options end to end: the default output path, unusable output directories,
 * malformed values, the working directory paths resolve against, and the server lookup of a dry run.
 */
import { assertEquals, assertMatch } from "../helpers/assert.ts";
import { PYTHON, runCli, VENV_BIN } from "../helpers/cli.ts";
import { EXAMPLE_APP } from "../helpers/example_server.ts";
import { fakeCommand, fromApp, readSpec } from "../helpers/spec_cli.ts";
import { reservePort } from "../helpers/ports.ts";
import { withTempDir } from "../helpers/temp_dir.ts";
import { EXAMPLE_TRACE_REPO } from "../helpers/workspace.ts";

Deno.test("default output goes to tools/codegen/openapi.json under the repo root (kebab-case alias)", async () => {
  await withTempDir("codegen-spec-", async (repo) => {
    using reserved = reservePort();
    await Deno.mkdir(`${repo}/tools/codegen`, { recursive: true });
    const r = await runCli([
      "get-openapi-spec",
      "--server-command",
      fakeCommand("ok"),
      "--port",
      String(reserved.port),
    ], {
      env: { CODEGEN_REPO_ROOT: repo },
    });
    assertEquals(r.code, 0, r.stderr);
    assertEquals((await readSpec(`${repo}/tools/codegen/openapi.json`)).info.title, "fake");
    assertMatch(r.stdout, /tools\/codegen\/openapi\.json: OpenAPI 3\.1\.0, 2 paths, 3 operations/);
  });
});

Deno.test("missing and unusable output directories are clear errors", async () => {
  await withTempDir("codegen-spec-", async (dir) => {
    const missing = await fromApp(`${dir}/nope/o.json`);
    assertEquals(missing.code, 1);
    assertMatch(
      missing.stderr,
      new RegExp(
        `cannot write OpenAPI spec ${dir}/nope/o.json: directory ${dir}/nope does not exist \\(set by -o\\)`,
      ),
    );
    await Deno.writeTextFile(`${dir}/file`, "");
    const notDir = await fromApp(`${dir}/file/o.json`);
    assertEquals(notDir.code, 1);
    assertMatch(notDir.stderr, /is not a directory/);
    const readOnly = await fromApp("/proc/openapi.json");
    assertEquals(readOnly.code, 1);
    assertMatch(readOnly.stderr, /cannot write OpenAPI spec \/proc\/openapi\.json: /);
  });
});

Deno.test("a malformed --url and a missing CODEGEN_REPO_ROOT are usage errors naming their source", async () => {
  const badUrl = await runCli(["get_openapi_spec", "--url", "not a url"]);
  assertEquals(badUrl.code, 2);
  assertMatch(badUrl.stderr, /--url: "not a url" is not an http\(s\) URL/);
  const badRoot = await runCli(["get_openapi_spec", "--app", "x:app"], {
    env: { CODEGEN_REPO_ROOT: "/nonexistent/trace" },
  });
  assertEquals(badRoot.code, 2);
  assertMatch(badRoot.stderr, /CODEGEN_REPO_ROOT: \/nonexistent\/trace does not exist/);
});

Deno.test("the working directory is CODEGEN_CWD (set by `deno task generate`), never a stray INIT_CWD", async () => {
  await withTempDir("codegen-spec-cwd-", async (cwd) => {
    await withTempDir("codegen-spec-task-", async (taskCwd) => {
      const args = ["get_openapi_spec", "--app", EXAMPLE_APP, "-o", "spec.json"];
      const env = { CODEGEN_REPO_ROOT: EXAMPLE_TRACE_REPO };
      const stray = await runCli(args, { cwd, env: { ...env, INIT_CWD: taskCwd } });
      assertEquals(stray.code, 0, stray.stderr);
      assertEquals(JSON.parse(await Deno.readTextFile(`${cwd}/spec.json`)).openapi, "3.1.0");
      const task = await runCli(args, { cwd, env: { ...env, CODEGEN_CWD: taskCwd } });
      assertEquals(task.code, 0, task.stderr);
      assertEquals(JSON.parse(await Deno.readTextFile(`${taskCwd}/spec.json`)).openapi, "3.1.0");
    });
  });
});

Deno.test("--dry-run looks the server up as the run does: a missing one fails, CODEGEN_PYTHON's folder is searched", async () => {
  await withTempDir("codegen-spec-", async (dir) => {
    await Deno.mkdir(`${dir}/bin`);
    await Deno.writeTextFile(`${dir}/bin/codegen-test-server`, "#!/bin/sh\n");
    await Deno.chmod(`${dir}/bin/codegen-test-server`, 0o755);
    const args = [
      "--repo-root",
      EXAMPLE_TRACE_REPO,
      "get_openapi_spec",
      "--dry-run",
      "--server-command",
      "codegen-test-server --port {port}",
      "-o",
      `${dir}/o.json`,
    ];
    const missing = await runCli(args);
    assertEquals(missing.code, 1, missing.stderr);
    assertMatch(missing.stderr, /`codegen-test-server` not found in .*\.venv\/bin or on PATH/);
    assertMatch(missing.stderr, /CODEGEN_PYTHON/);
    const found = await runCli(args, { env: { CODEGEN_PYTHON: `${dir}/bin/python` } });
    assertEquals(found.code, 0, found.stderr);
    assertMatch(found.stderr, /\[dry-run\] would run `codegen-test-server --port \d+`/);
  });
});

Deno.test("a relative CODEGEN_PYTHON is the user's: the server and --app are found although they run in the trace repo", async () => {
  await withTempDir("codegen-spec-python-", async (dir) => {
    await Deno.mkdir(`${dir}/env/bin`, { recursive: true });
    // The folder of CODEGEN_PYTHON, not on PATH: its uvicorn and python run the real example app.
    await Deno.writeTextFile(
      `${dir}/env/bin/codegen-test-uvicorn`,
      `#!/bin/sh\nexec ${VENV_BIN}/uvicorn "$@"\n`,
    );
    await Deno.chmod(`${dir}/env/bin/codegen-test-uvicorn`, 0o755);
    await Deno.writeTextFile(`${dir}/env/bin/python`, `#!/bin/sh\nexec ${PYTHON} "$@"\n`);
    await Deno.chmod(`${dir}/env/bin/python`, 0o755);
    using reserved = reservePort();
    const env = { CODEGEN_PYTHON: "env/bin/python", CODEGEN_REPO_ROOT: EXAMPLE_TRACE_REPO };
    const server = await runCli([
      "get_openapi_spec",
      "--server-command",
      `codegen-test-uvicorn ${EXAMPLE_APP} --port {port}`,
      "--port",
      String(reserved.port),
      "-o",
      "server.json",
    ], { cwd: dir, env });
    assertEquals(server.code, 0, server.stderr);
    assertEquals(JSON.parse(await Deno.readTextFile(`${dir}/server.json`)).openapi, "3.1.0");
    // deno task generate: the user's directory is CODEGEN_CWD, the process runs elsewhere.
    const app = await runCli(["get_openapi_spec", "--app", EXAMPLE_APP, "-o", "app.json"], {
      cwd: EXAMPLE_TRACE_REPO,
      env: { ...env, CODEGEN_CWD: dir },
    });
    assertEquals(app.code, 0, app.stderr);
    assertEquals(JSON.parse(await Deno.readTextFile(`${dir}/app.json`)).openapi, "3.1.0");
  });
});
