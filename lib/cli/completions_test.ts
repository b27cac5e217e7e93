/**
 * The completion scripts of the real program: every command and every spelling of every flag is
 * in each; each shell parses its script and really completes with it (bash and fish are asked
 * directly, zsh through a pseudo-terminal). Shells that are not installed are skipped, by name.
 */
import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import { buildProgram } from "../../main.ts";
import { type AnyCommand, type OptionDefs, spellingsOf } from "./command.ts";
import { completionScript, type Shell } from "./completions.ts";
import { run, which } from "../os/process.ts";
import { fromFileUrl } from "../core/paths.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";

const program = buildProgram();
const SHELLS: Shell[] = ["bash", "zsh", "fish"];

function shellMissing(shell: string): boolean {
  return which(shell) === undefined;
}

async function shellRun(shell: string, args: string[]): Promise<string> {
  const result = await run(shell, args, { timeoutMs: 30_000, what: `${shell} completion check` });
  return result.stdout;
}

function withScript(shell: Shell, fn: (path: string) => Promise<void>): Promise<void> {
  return withTempDir("codegen-completions-", async (dir) => {
    const path = `${dir}/_codegen`;
    await Deno.writeTextFile(path, completionScript(program, shell));
    await fn(path);
  });
}

const flagsOf = (command: AnyCommand) =>
  Object.values(command.options as OptionDefs).flatMap(spellingsOf);
const GENERATORS = program.commands.find((c) => c.name === "all")!.options.generator.choices;

Deno.test("every shell's script names every command, alias and flag spelling", () => {
  assert(GENERATORS.length >= 5, "generator names are declared as choices");
  for (const shell of SHELLS) {
    const script = completionScript(program, shell);
    for (const command of program.commands) {
      for (const name of [command.name, ...command.aliases]) {
        assert(script.includes(name), `${shell}: command ${name}`);
      }
      for (
        const flag of [...flagsOf(command), ...Object.values(program.globals).flatMap(spellingsOf)]
      ) {
        // fish writes flags without dashes: -l python-output, -s o.
        const spelled = shell === "fish" ? flag.replace(/^--?/, "") : flag;
        assert(script.includes(spelled), `${shell}: ${command.name} ${flag}`);
      }
    }
    for (const generator of GENERATORS) {
      assert(script.includes(generator), `${shell}: ${generator}`);
    }
  }
});

/** What the bash script offers for the words typed so far (the last one being completed). */
async function bashComplete(path: string, words: string[]): Promise<string[]> {
  const line = words.map((w) => `'${w}'`).join(" ");
  const out = await shellRun("bash", [
    "-c",
    `source '${path}'; COMP_WORDS=(${line}); COMP_CWORD=${
      words.length - 1
    }; _codegen; printf '%s\\n' "\${COMPREPLY[@]}"`,
  ]);
  return out.split("\n").filter(Boolean);
}

Deno.test({
  name: shellMissing("bash") ? "bash completion: skipped, bash not installed" : "bash completion",
  ignore: shellMissing("bash"),
  fn: () =>
    withScript("bash", async (path) => {
      await shellRun("bash", ["-n", path]);
      assertEquals(await bashComplete(path, ["codegen", "gen"]), [
        "generate_code",
        "generate-code",
      ]);
      assertEquals(await bashComplete(path, ["codegen", "all", "--generator", "openapi"]), [
        "openapi-python-client",
      ]);
      assertEquals(await bashComplete(path, ["codegen", "--repo-root", "x", "all", "--python-p"]), [
        "--python-path",
      ]);
      assertEquals(await bashComplete(path, ["codegen", "completions", "z"]), ["zsh"]);
      assertEquals(await bashComplete(path, ["codegen", "help", "up"]), [
        "update_pyproject",
        "update-pyproject",
      ]);
      const flags = await bashComplete(path, ["codegen", "update_pyproject", "--"]);
      for (const flag of flagsOf(program.commands.find((c) => c.name === "update_pyproject")!)) {
        if (flag.startsWith("--")) assert(flags.includes(flag), `update_pyproject ${flag}`);
      }
      assert(!flags.includes("--generator"), "only the command's own flags");
    }),
});

Deno.test({
  name: shellMissing("fish") ? "fish completion: skipped, fish not installed" : "fish completion",
  ignore: shellMissing("fish"),
  fn: () =>
    withScript("fish", async (path) => {
      await shellRun("fish", ["--no-execute", path]);
      const complete = async (line: string) =>
        (await shellRun("fish", ["-c", `source '${path}'; complete -C '${line}'`]))
          .split("\n").filter(Boolean).map((l) => l.split("\t")[0]);
      assertEquals(await complete("codegen merge-gen"), ["merge-generated-code"]);
      assertEquals(await complete("codegen all --generator st"), ["stainful", "stainless", "stlc"]);
      assert((await complete("codegen generate_code --py")).includes("--python-output"));
      assertEquals(await complete("codegen get_openapi_spec --dry"), ["--dry-run"]);
      assertEquals(await complete("codegen help update_"), ["update_pyproject"]);
    }),
});

Deno.test({
  name: shellMissing("zsh") ? "zsh completion: skipped, zsh not installed" : "zsh completion",
  ignore: shellMissing("zsh"),
  fn: () =>
    withScript("zsh", async (path) => {
      await shellRun("zsh", ["-n", path]);
      // In a real interactive zsh: see the fixture.
      const dir = path.replace(/\/[^/]+$/, "");
      const capture = fromFileUrl(
        new URL("../../tests/fixtures/zsh_complete.zsh", import.meta.url),
      );
      const complete = async (line: string) =>
        (await shellRun("zsh", ["-f", capture, line, dir])).split("\n").filter(Boolean);
      assertEquals(await complete("codegen gen"), ["generate-code", "generate_code"]);
      assertEquals(await complete("codegen all --generator st"), ["stainful", "stainless", "stlc"]);
      assertEquals(await complete("codegen all --no-auto"), ["--no-auto-merge"]);
      assertEquals(await complete("codegen completions "), ["bash", "fish", "zsh"]);
      assertEquals(await complete("codegen help update"), ["update-pyproject", "update_pyproject"]);
      assertEquals(await complete("codegen update_pyproject --py"), [
        "--pyproject",
        "--python-output",
        "--python-path",
      ]);
    }),
});
