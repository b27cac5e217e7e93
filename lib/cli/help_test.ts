import { assert, assertMatch } from "../../tests/helpers/assert.ts";
import { buildProgram } from "../../main.ts";
import { type OptionDefs, spellingsOf } from "./command.ts";
import { formatHelp } from "./help.ts";

const program = buildProgram();

Deno.test("each command's help shows every spelling of its options, and the globals", () => {
  for (const command of program.commands) {
    const help = formatHelp(program, command);
    for (const option of Object.values(command.options as OptionDefs)) {
      for (const spelling of spellingsOf(option)) {
        assert(help.includes(spelling), `${command.name} --help shows ${spelling}`);
      }
    }
    for (const option of Object.values(program.globals)) {
      assert(help.includes(option.flag), `${command.name} --help shows ${option.flag}`);
    }
  }
});

Deno.test("options of a configuration key name the key and its default in their help", () => {
  const all = program.commands.find((c) => c.name === "all")!;
  const help = formatHelp(program, all);
  assertMatch(
    help,
    /--port <port>\s+port of the trace server; listeners on it are stopped first\s+\(config: port, default 6345\)/,
  );
  assertMatch(
    help,
    /--python-output <dir>\s+clone of the Python SDK \(config: python_output; also\s+--python-path\)/,
  );
  assertMatch(formatHelp(program), /^Commands:\n(.|\n)*^ {2}completions\s/m);
});
