/**
 * The README documents what exists: every command and global flag; the configuration table has
 * one row per config key, naming exactly the spellings of the key's one option. And the options
 * themselves: one option per key, with the key's flag; `all` takes every flag of its stages.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { PROJECT_ROOT } from "../helpers/cli.ts";
import { CONFIG_KEYS } from "../../lib/config/keys.ts";
import { type OptionDef, type OptionDefs, spellingsOf } from "../../lib/cli/command.ts";
import { OPTIONS } from "../../commands/options.ts";
import { buildProgram } from "../../main.ts";

const readme = await Deno.readTextFile(`${PROJECT_ROOT}/README.md`);
const program = buildProgram();
const commandOptions = (name: string) =>
  Object.values(program.commands.find((c) => c.name === name)!.options as OptionDefs);

/** The option of each config key, from the catalogue every command takes its options from. */
function optionsByKey(): Map<string, OptionDef[]> {
  const byKey = new Map<string, OptionDef[]>();
  for (const option of Object.values(OPTIONS as OptionDefs)) {
    if (option.key) byKey.set(option.key, [...(byKey.get(option.key) ?? []), option]);
  }
  return byKey;
}

Deno.test("every config key has exactly one option, with the key's flag", () => {
  const byKey = optionsByKey();
  for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
    const options = byKey.get(key) ?? [];
    assertEquals(options.length, 1, `one option sets ${key}`);
    assertEquals(options[0].flag, spec.flag, `the option of ${key} has its flag`);
  }
  assertEquals([...byKey.keys()].sort(), Object.keys(CONFIG_KEYS).sort(), "no option of no key");
});

Deno.test("README's configuration table: one row per key, naming exactly its option's spellings", () => {
  const byKey = optionsByKey();
  for (const key of Object.keys(CONFIG_KEYS)) {
    const row = readme.split("\n").find((line) => new RegExp(`^\\| \`${key}\`\\s+\\|`).test(line));
    assert(row, `README's configuration table has a row for \`${key}\``);
    const flagCell = row.split("|")[2];
    const named = [...flagCell.matchAll(/`(-[^`]+)`/g)].map((m) => m[1]).sort();
    assertEquals(named, spellingsOf(byKey.get(key)![0]).sort(), `flags in the row of ${key}`);
  }
});

Deno.test("all takes every flag of the commands whose stages it runs", () => {
  const all = new Set(commandOptions("all"));
  for (
    const name of [
      "get_openapi_spec",
      "generate_code",
      "merge_generated_code",
      "update_pyproject",
      "open-pr",
    ]
  ) {
    for (const option of commandOptions(name)) {
      // generate_code --init only: a new empty clone has no origin to merge into (docs/all.md).
      if (option.flag === "--init") continue;
      assert(all.has(option), `all takes ${option.flag} (of ${name})`);
    }
  }
});

Deno.test("README names every command and global flag", () => {
  for (const command of program.commands) {
    assert(readme.includes(`\`${command.name}\``), `README mentions \`${command.name}\``);
  }
  for (const option of Object.values(program.globals)) {
    assert(readme.includes(option.flag), `README mentions ${option.flag}`);
  }
});
