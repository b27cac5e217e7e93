/**
 * The command-line surface end to end: launchers, usage and configuration errors (exit 2, the flag
 * as typed), `help`, `completions`, `--json` on every subcommand (also on failure), and dry runs
 * that start and write nothing.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { cliEnv, MAIN, PROJECT_ROOT, runCli } from "../helpers/cli.ts";
import { buildProgram, JSON_SCHEMA_VERSION } from "../../main.ts";
import { completionScript } from "../../lib/cli/completions.ts";
import { weaveFile } from "../helpers/weave.ts";

const EXAMPLE = `${PROJECT_ROOT}/examples/trace-repo`;
const APP = "weave.trace_server.reference.server:app";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "codegen-cli-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Exactly one JSON object on stdout, of this command, with the schema version. */
function jsonResult(stdout: string, command: string | null): Record<string, unknown> {
  const result = JSON.parse(stdout);
  assertEquals([result.schema_version, result.command], [JSON_SCHEMA_VERSION, command]);
  return result;
}

Deno.test("bin/codegen runs the CLI from any directory with the project's Deno", async () => {
  const denoDir = Deno.execPath().replace(/\/[^/]+$/, "");
  const output = await new Deno.Command(`${PROJECT_ROOT}/bin/codegen`, {
    args: ["--version"],
    cwd: "/",
    env: { PATH: `${denoDir}:/usr/bin:/bin` },
    clearEnv: true,
  }).output();
  assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
  assertEquals(new TextDecoder().decode(output.stdout).trim(), buildProgram().version);
  // The entry that catches signals from its first statement, as `deno task generate` and make run.
  const script = await Deno.readTextFile(`${PROJECT_ROOT}/bin/codegen`);
  assertMatch(script, /exec "\$deno" run [^\n]*"\$here\/codegen\.ts" "\$@"\n/);
});

Deno.test("`deno task generate` runs the CLI relative to the directory it was started in", async () => {
  await withTempDir(async (out) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["task", "--quiet", "generate", "--repo-root", ".", "get_openapi_spec", "--app", APP]
        .concat(["-o", `${out}/spec.json`]),
      cwd: EXAMPLE, // "." must mean this folder, not the project's
      env: cliEnv(),
      clearEnv: true,
    }).output();
    assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
    const spec = JSON.parse(await Deno.readTextFile(`${out}/spec.json`));
    assert(spec.paths["/health"] !== undefined);
  });
});

Deno.test("CLI: misspelled key and bad YAML exit 2 with file and line; --config must exist", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/generate_config.yaml`;
    await Deno.writeTextFile(path, "prot: 1\n");
    const typo = await runCli(["--config", path, "get_openapi_spec", "--app", "x:app"]);
    assertEquals(typo.code, 2);
    assertEquals(typo.stdout, "");
    assertMatch(
      typo.stderr,
      /generate_config\.yaml:1: unknown key `prot` \(did you mean `port`\?\)/,
    );
    await Deno.writeTextFile(path, "port: 1\n\tbad: 2\n");
    const yaml = await runCli(["--config", path, "get_openapi_spec"]);
    assertEquals(yaml.code, 2);
    assertMatch(yaml.stderr, /generate_config\.yaml:2:\d+: invalid YAML/);
    const absent = await runCli(["--config", `${dir}/absent.yaml`, "get_openapi_spec"]);
    assertEquals(absent.code, 2);
    assertMatch(absent.stderr, /--config: .*absent\.yaml does not exist/);
  });
});

Deno.test("CLI: lint --config with a Stainless config says to pass it with --stainless-config", async () => {
  const r = await runCli([
    "lint",
    "--spec",
    weaveFile("openapi.json"),
    "--config",
    weaveFile("openapi.stainless.yml"),
  ]);
  assertEquals(r.code, 2, r.stderr);
  assertMatch(
    r.stderr,
    /openapi\.stainless\.yml looks like a Stainless config .*not codegen's config file/,
  );
  assertMatch(
    r.stderr,
    /hint: --config names codegen's own config \(tools\/codegen\/generate_config\.yaml\); pass a Stainless config with --stainless-config/,
  );
  assert(!r.stderr.includes("unknown key"), r.stderr);
});

Deno.test("CLI: usage errors exit 2, help exits 0 and lists only real subcommands", async () => {
  const help = await runCli(["--help"]);
  assertEquals(help.code, 0);
  assertMatch(help.stdout, /get_openapi_spec\|get-openapi-spec/);
  assertMatch(help.stdout, /Examples:/);
  const unknown = await runCli(["no_such_command"]);
  assertEquals(unknown.code, 2);
  assertMatch(unknown.stderr, /unknown command 'no_such_command'/);
  const badFlag = await runCli(["get_openapi_spec", "--bogus"]);
  assertEquals(badFlag.code, 2);
  assertMatch(badFlag.stderr, /unknown option '--bogus'/);
  const badPort = await runCli(["get_openapi_spec", "--port", "x"]);
  assertEquals(badPort.code, 2);
  assertMatch(badPort.stderr, /--port: `port` must be an integer/);
});

Deno.test("errors name the flag as typed: canonical, alias or short", async () => {
  for (
    const [argv, flag] of [
      [["generate_code", "--python-path", ""], "--python-path"],
      [["generate_code", "--python-output", ""], "--python-output"],
      [["get_openapi_spec", "--output-file", ""], "--output-file"],
      [["get_openapi_spec", "-o", ""], "-o"],
      [["update_pyproject", "", "pkg"], "the python_output argument"],
    ]
  ) {
    const r = await runCli(["--repo-root", EXAMPLE, ...argv]);
    assertEquals(r.code, 2, r.stderr);
    assertStringIncludes(r.stderr, `error: ${flag}: \``);
  }
});

Deno.test("--generator: did you mean, from a flag or from the config file", async () => {
  const flag = await runCli(["generate_code", "--generator", "opnapi-python-client"]);
  assertEquals(flag.code, 2);
  assertMatch(
    flag.stderr,
    /--generator: unknown generator `opnapi-python-client` \(did you mean `openapi-python-client`\?\)/,
  );
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/c.yaml`, "generator: stainles\n");
    const file = await runCli(["--config", `${dir}/c.yaml`, "all", "--dry-run"]);
    assertEquals(file.code, 2);
    assertMatch(
      file.stderr,
      /c\.yaml:1: unknown generator `stainles` \(did you mean `stainless`\?\)/,
    );
  });
});

Deno.test("help <command> prints that command's help; a misspelled one gets a suggestion", async () => {
  for (const command of buildProgram().commands) {
    const viaHelp = await runCli(["help", command.name]);
    assertEquals(viaHelp.code, 0, viaHelp.stderr);
    const viaFlag = await runCli([command.name, "--help"]);
    assertEquals(viaHelp.stdout, viaFlag.stdout);
    assertMatch(viaHelp.stdout, new RegExp(`^Usage: codegen ${command.name}\\b`));
  }
  const top = await runCli(["help"]);
  assertEquals(top.stdout, (await runCli(["--help"])).stdout);
  const typo = await runCli(["help", "merge_generated"]);
  assertEquals(typo.code, 2);
  assertMatch(
    typo.stderr,
    /unknown command `merge_generated` \(did you mean `merge_generated_code`\?\)/,
  );
});

Deno.test("completions: the script of each shell, from the declarations; unknown shells refused", async () => {
  for (const shell of ["bash", "zsh", "fish"] as const) {
    const r = await runCli(["completions", shell]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout, completionScript(buildProgram(), shell));
  }
  const bad = await runCli(["completions", "tcsh"]);
  assertEquals(bad.code, 2);
  assertMatch(bad.stderr, /unknown shell `tcsh`|argument 'shell': unknown shell/);
});

Deno.test("--json on every subcommand: one object, also for usage errors and failures", async () => {
  await withTempDir(async (dir) => {
    for (const command of buildProgram().commands) {
      assert("json" in command.options, `${command.name} takes --json`);
      // A parse error, then a failure once the command runs (the config file is missing).
      const parse = await runCli([command.name, "--json", "--bogus"]);
      assertEquals(parse.code, 2);
      const parsed = jsonResult(parse.stdout, command.name);
      assertEquals(parsed.ok, false);
      assertMatch((parsed.error as { message: string }).message, /unknown option '--bogus'/);
    }
    const pipeline = [
      "get_openapi_spec",
      "generate_code",
      "merge_generated_code",
      "update_pyproject",
    ];
    for (const command of [...pipeline, "all"]) {
      const r = await runCli(["--config", `${dir}/absent.yaml`, command, "--json"]);
      assertEquals(r.code, 2, r.stderr);
      const failed = jsonResult(r.stdout, command);
      assertEquals([failed.ok, failed.dryRun], [false, false]);
      assertEquals((failed.error as { kind: string }).kind, "usage");
      assertStringIncludes(r.stderr, "absent.yaml does not exist", "diagnostics stay on stderr");
    }
    const all = jsonResult((await runCli(["--config", `${dir}/x`, "all", "--json"])).stdout, "all");
    assertEquals((all.error as { stage: string }).stage, "check");

    const spec = await runCli(
      ["--repo-root", EXAMPLE, "get_openapi_spec", "--app", APP, "-o", `${dir}/o.json`, "--json"],
    );
    assertEquals(spec.code, 0, spec.stderr);
    const written = jsonResult(spec.stdout, "get_openapi_spec");
    assertEquals([written.ok, written.written, written.operations], [true, true, 8]);
    const help = jsonResult((await runCli(["help", "all", "--json"])).stdout, "help");
    assertMatch(help.text as string, /^Usage: codegen all/);
    const script = jsonResult(
      (await runCli(["completions", "fish", "--json"])).stdout,
      "completions",
    );
    assertEquals(script.script, completionScript(buildProgram(), "fish"));
  });
});

Deno.test("--help and --version with --json print one JSON object too", async () => {
  const [commandHelp, programHelp, version, versionFirst, helpCommand] = await Promise.all([
    runCli(["diff", "--help", "--json"]),
    runCli(["--json", "--help"]),
    runCli(["--version", "--json"]),
    runCli(["--json", "-V"]),
    runCli(["help", "diff", "--json"]),
  ]);
  for (const r of [commandHelp, programHelp, version, versionFirst, helpCommand]) {
    assertEquals(r.code, 0, r.stderr);
  }
  const diffHelp = jsonResult(commandHelp.stdout, "help");
  assertEquals(diffHelp, jsonResult(helpCommand.stdout, "help"), "the same as `help diff --json`");
  assertMatch(diffHelp.text as string, /^Usage: codegen diff/);
  assertMatch(jsonResult(programHelp.stdout, "help").text as string, /^Usage: codegen \[global/);
  const { version: denoVersion } = JSON.parse(await Deno.readTextFile(`${PROJECT_ROOT}/deno.json`));
  for (const r of [version, versionFirst]) {
    const printed = jsonResult(r.stdout, "version");
    assertEquals([printed.ok, printed.version], [true, denoVersion]);
  }
});

Deno.test("get_openapi_spec --dry-run prints the plan, starts nothing and writes nothing", async () => {
  await withTempDir(async (dir) => {
    const marker = `${dir}/server-started`;
    const r = await runCli([
      "--repo-root",
      EXAMPLE,
      "get_openapi_spec",
      "-n",
      "--server-command",
      `touch ${marker}`,
      "-o",
      `${dir}/o.json`,
      "--json",
    ]);
    assertEquals(r.code, 0, r.stderr);
    const result = jsonResult(r.stdout, "get_openapi_spec");
    assertEquals([result.dryRun, result.written, result.path], [true, false, `${dir}/o.json`]);
    assertEquals((result.plan as string[]).at(-1), `write ${dir}/o.json (atomically)`);
    assertStringIncludes(r.stderr, `[dry-run] would run \`touch ${marker}\``);
    assertEquals([...Deno.readDirSync(dir)], [], "no server started, no spec written");
  });
});

Deno.test("a reader that closes stdout early (codegen ... | head) is not an error", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--quiet", MAIN, "completions", "bash"],
    env: cliEnv(),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  await child.stdout.cancel(); // the reader is gone before the first line is written
  const { code, stderr } = await child.output();
  assertEquals([code, new TextDecoder().decode(stderr)], [0, ""]);
});
