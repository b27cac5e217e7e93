import { assertEquals, assertMatch, assertThrows } from "../../tests/helpers/assert.ts";
import { defineCommand, formatHelp, parseArgs, type ProgramDef } from "./parse.ts";
import { buildProgram } from "../../main.ts";

const ran: unknown[] = [];
const sample = defineCommand({
  name: "do_thing",
  aliases: ["do-thing"],
  summary: "Does the thing",
  args: [{ name: "target", help: "what to do it to", required: true }, {
    name: "extra",
    help: "more",
  }],
  options: {
    output: { flag: "--output", short: "-o", value: "path", help: "where" },
    force: { flag: "--force", help: "really" },
    merge: { flag: "--merge", negatable: true, help: "merge or not" },
    url: { flag: "--url", value: "url", help: "remote" },
    app: { flag: "--app", value: "app", help: "local" },
  },
  conflicts: [["url", "app"]],
  examples: ["codegen do_thing x"],
  run({ options, args }) {
    // Types: options.output is string | undefined, options.force boolean | undefined.
    const output: string | undefined = options.output;
    const force: boolean | undefined = options.force;
    ran.push({ output, force, args });
    return Promise.resolve();
  },
});

const program: ProgramDef = {
  name: "codegen",
  version: "1.2.3",
  summary: "Test program",
  globals: {
    verbose: { flag: "--verbose", short: "-v", help: "chatty" },
    debug: { flag: "--debug", short: "-d", help: "more" },
    repoRoot: { flag: "--repo-root", value: "dir", help: "root" },
  },
  commands: [sample],
  notes: "Notes.",
};

function run(argv: string[]) {
  const invocation = parseArgs(program, argv);
  if (invocation.kind !== "run") throw new Error(`expected run, got ${invocation.kind}`);
  return invocation;
}

Deno.test("options, switches, negation, globals anywhere, = values, aliases", () => {
  const a = run([
    "-v",
    "do-thing",
    "x",
    "--output=o.json",
    "--repo-root",
    "/r",
    "--no-merge",
    "-d",
  ]);
  assertEquals(a.command.name, "do_thing");
  assertEquals(a.args, ["x"]);
  assertEquals(a.options, { output: "o.json", merge: false });
  assertEquals(a.globals, { verbose: true, repoRoot: "/r", debug: true });
  const b = run(["do_thing", "-o", "p", "--force", "--merge", "x", "y", "-vd"]);
  assertEquals(b.options, { output: "p", force: true, merge: true });
  assertEquals(b.args, ["x", "y"]);
  assertEquals(b.globals, { verbose: true, debug: true });
  assertEquals(run(["do_thing", "--", "--not-an-option"]).args, ["--not-an-option"]);
});

Deno.test("usage errors name the problem and suggest the closest name", () => {
  assertThrows(
    () => parseArgs(program, ["do_thin", "x"]),
    /unknown command 'do_thin' \(did you mean 'do_thing'\?\)/,
  );
  assertThrows(
    () => parseArgs(program, ["do_thing", "x", "--outptu", "a"]),
    /unknown option '--outptu' \(did you mean '--output'\?\)/,
  );
  assertThrows(
    () => parseArgs(program, ["do_thing", "x", "--output"]),
    /option '--output <path>' needs a value/,
  );
  assertThrows(
    () => parseArgs(program, ["do_thing", "x", "--force=yes"]),
    /option '--force' takes no value/,
  );
  assertThrows(() => parseArgs(program, ["do_thing"]), /missing required argument 'target'/);
  assertThrows(
    () => parseArgs(program, ["do_thing", "a", "b", "c"]),
    /too many arguments for 'do_thing': c/,
  );
  assertThrows(
    () => parseArgs(program, ["do_thing", "a", "--url", "u", "--app", "m"]),
    /option '--url' cannot be used with '--app'/,
  );
  const error = assertThrows(() => parseArgs(program, ["do_thing", "--bogus"]));
  assertEquals((error as unknown as { exitCode: number }).exitCode, 2);
});

Deno.test("help and version: program, command, no command at all", () => {
  const top = parseArgs(program, []);
  assertEquals(top.kind, "help");
  assertEquals(parseArgs(program, ["--version"]), { kind: "version", text: "1.2.3" });
  const help = parseArgs(program, ["do_thing", "--help"]);
  assertEquals(help.kind, "help");
  if (help.kind !== "help") return;
  assertMatch(help.text, /Usage: codegen do_thing\|do-thing \[options\] <target> \[extra\]/);
  assertMatch(help.text, /-o, --output <path>\s+where/);
  assertMatch(help.text, /--merge, --no-merge\s+merge or not/);
  assertMatch(help.text, /Examples:\n {2}codegen do_thing x/);
  assertMatch(formatHelp(program), /Commands:\n {2}do_thing\|do-thing\s+Does the thing/);
});

Deno.test("the real program: every command has examples and kebab-case aliases", () => {
  const real = buildProgram();
  for (const command of real.commands) {
    if (command.name.includes("_")) {
      assertEquals(command.aliases, [command.name.replaceAll("_", "-")]);
    }
    assertEquals(command.examples.length > 0, true, `${command.name} has examples`);
    assertMatch(formatHelp(real, command), new RegExp(`Usage: codegen ${command.name}`));
  }
});

Deno.test("bin/codegen runs the CLI from any directory with the project's Deno", async () => {
  const { PROJECT_ROOT } = await import("../../tests/helpers/cli.ts");
  const denoDir = Deno.execPath().replace(/\/[^/]+$/, "");
  const output = await new Deno.Command(`${PROJECT_ROOT}/bin/codegen`, {
    args: ["--version"],
    cwd: "/",
    env: { PATH: `${denoDir}:/usr/bin:/bin` },
    clearEnv: true,
  }).output();
  assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
  assertEquals(new TextDecoder().decode(output.stdout).trim(), buildProgram().version);
});

Deno.test("`deno task generate` runs the CLI relative to the directory it was started in", async () => {
  const { PROJECT_ROOT, cliEnv } = await import("../../tests/helpers/cli.ts");
  const out = await Deno.makeTempDir();
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "--quiet",
      "generate",
      "--repo-root",
      ".",
      "get_openapi_spec",
      "--app",
      "weave.trace_server.reference.server:app",
      "-o",
      `${out}/spec.json`,
    ],
    cwd: `${PROJECT_ROOT}/examples/trace-repo`, // "." must mean this folder, not the project's
    env: cliEnv(),
    clearEnv: true,
  }).output();
  assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
  assertEquals(
    JSON.parse(await Deno.readTextFile(`${out}/spec.json`)).paths["/health"] !== undefined,
    true,
  );
  await Deno.remove(out, { recursive: true });
});
