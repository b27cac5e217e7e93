/** The README documents what exists: every command, config key and global flag. */
import { assert } from "../helpers/assert.ts";
import { PROJECT_ROOT } from "../helpers/cli.ts";
import { CONFIG_KEYS } from "../../lib/config/settings.ts";
import { buildProgram } from "../../main.ts";

const readme = await Deno.readTextFile(`${PROJECT_ROOT}/README.md`);

Deno.test("README lists every config key with its flag", () => {
  for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
    const row = readme.split("\n").find((line) => new RegExp(`^\\| \`${key}\`\\s+\\|`).test(line));
    assert(row, `README's configuration table has a row for \`${key}\``);
    if ("flag" in spec) {
      assert(row.includes(`\`${spec.flag}\``), `row of ${key} names ${spec.flag}`);
    }
  }
});

Deno.test("README names every command and global flag", () => {
  const program = buildProgram();
  for (const command of program.commands) {
    assert(readme.includes(`\`${command.name}\``), `README mentions \`${command.name}\``);
  }
  for (const option of Object.values(program.globals)) {
    assert(readme.includes(option.flag), `README mentions ${option.flag}`);
  }
});
