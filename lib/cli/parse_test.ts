import { assertEquals, assertMatch, assertThrows } from "../../tests/helpers/assert.ts";
import {
  type CommandOutput,
  defineCommand,
  type OptionDefs,
  type ProgramDef,
  type RunInput,
} from "./command.ts";
import { parseArgs } from "./parse.ts";
import { formatHelp } from "./help.ts";
import { buildProgram } from "../../main.ts";

const options = {
  output: {
    flag: "--output",
    short: "-o",
    aliases: ["--output-file"],
    value: "path",
    help: "where",
    key: "output_key",
  },
  force: { flag: "--force", help: "really" },
  merge: { flag: "--merge", negatable: true, help: "merge or not" },
  url: { flag: "--url", value: "url", help: "remote" },
  app: { flag: "--app", value: "app", help: "local" },
  color: { flag: "--color", value: "name", help: "a color", choices: ["red", "green"] },
  target: { flag: "--target", value: "t", help: "same key as the argument", key: "target_key" },
  hook: { flag: "--hook", value: "command", help: "again and again", repeatable: true },
  json: { flag: "--json", help: "one JSON object" },
} as const satisfies OptionDefs;

const sample = defineCommand({
  name: "do_thing",
  aliases: ["do-thing"],
  summary: "Does the thing",
  args: [
    { name: "target", help: "what to do it to", required: true, key: "target_key" },
    { name: "extra", help: "more" },
  ],
  options,
  conflicts: [["url", "app"]],
  examples: ["codegen do_thing x"],
  load: () => Promise.resolve({ run }),
});

// Types: options.output is string | undefined, options.force boolean | undefined.
function run(input: RunInput<typeof options>): Promise<CommandOutput> {
  const output: string | undefined = input.options.output;
  const force: boolean | undefined = input.options.force;
  const hooks: string[] | undefined = input.options.hook;
  return Promise.resolve({ json: { output, force, hooks }, lines: [] });
}

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

function parse(argv: string[]) {
  const invocation = parseArgs(program, argv);
  if (invocation.kind !== "run") throw new Error(`expected run, got ${invocation.kind}`);
  return invocation;
}

Deno.test("options, switches, negation, globals anywhere, = values, aliases", () => {
  const a = parse([
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
  const b = parse(["do_thing", "-o", "p", "--force", "--merge", "x", "y", "-vd"]);
  assertEquals(b.options, { output: "p", force: true, merge: true });
  assertEquals(b.args, ["x", "y"]);
  assertEquals(b.globals, { verbose: true, debug: true });
  assertEquals(parse(["do_thing", "--", "--not-an-option"]).args, ["--not-an-option"]);
});

Deno.test("a repeatable option gives every value in order; others keep the last", () => {
  const a = parse([
    "do_thing",
    "x",
    "--hook",
    "ruff format .",
    "-o",
    "a",
    "--hook=true",
    "-o",
    "b",
  ]);
  assertEquals(a.options, { hook: ["ruff format .", "true"], output: "b" });
  assertEquals(parse(["do_thing", "x", "--hook", "one"]).options, { hook: ["one"] });
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

Deno.test("--json with --help or --version, wherever it is, asks for them as JSON", () => {
  assertEquals(parseArgs(program, ["--version", "--json"]), { kind: "version", json: true });
  assertEquals(parseArgs(program, ["--json", "--version"]), { kind: "version", json: true });
  assertEquals(parseArgs(program, ["--json"]), { kind: "help", json: true });
  assertEquals(parseArgs(program, ["do_thing", "--help", "--json"]), {
    kind: "help",
    command: sample,
    json: true,
  });
  assertEquals(parseArgs(program, ["do_thing", "--help", "--", "--json"]), {
    kind: "help",
    command: sample,
    json: false,
  });
  // Before a command, --json is that command's.
  const run = parseArgs(program, ["--json", "do_thing", "x"]);
  assertEquals(run.kind === "run" && run.options.json, true);
});

Deno.test("help and version: program, command, no command at all", () => {
  assertEquals(parseArgs(program, []), { kind: "help", json: false });
  assertEquals(parseArgs(program, ["--version"]), { kind: "version", json: false });
  assertEquals(parseArgs(program, ["do_thing", "--help"]), {
    kind: "help",
    command: sample,
    json: false,
  });
  const help = formatHelp(program, sample);
  assertMatch(help, /Usage: codegen do_thing\|do-thing \[options\] <target> \[extra\]/);
  assertMatch(help, /-o, --output <path>\s+where \(also --output-file\)/);
  assertMatch(help, /--merge, --no-merge\s+merge or not/);
  assertMatch(help, /Examples:\n {2}codegen do_thing x/);
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

Deno.test("the spelling typed is recorded: aliases, shorts, negations", () => {
  assertEquals(parse(["do_thing", "x", "--output-file", "a", "--no-merge"]).spellings, {
    output: "--output-file",
    merge: "--no-merge",
  });
  const short = parse(["do_thing", "x", "-o", "a", "--merge"]);
  assertEquals([short.options, short.spellings], [{ output: "a", merge: true }, {
    output: "-o",
    merge: "--merge",
  }]);
  assertThrows(
    () => parseArgs(program, ["do_thing", "x", "--output-file=a", "--url", "u", "--app", "b"]),
    /option '--url' cannot be used with '--app'/,
  );
});

Deno.test("choices: did you mean, for options and arguments; one source per key", () => {
  assertEquals(parse(["do_thing", "x", "--color", "red"]).options, { color: "red" });
  const error = assertThrows(
    () => parseArgs(program, ["do_thing", "x", "--color", "rde"]),
    /--color: unknown name `rde` \(did you mean `red`\?\)/,
  );
  assertEquals((error as unknown as { hint: string }).hint, "Choose one of: red, green.");
  assertThrows(
    () => parseArgs(program, ["do_thing", "x", "--target", "y"]),
    /the target argument and '--target' both set `target_key`; give one/,
  );
});
