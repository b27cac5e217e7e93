/** Command lines split like a POSIX shell splits words, and shell syntax refused (no shell runs). */
import { assertEquals, assertThrows } from "../../tests/helpers/assert.ts";
import { splitCommandLine } from "./shell_words.ts";
import type { CodegenError } from "./errors.ts";

const split = (line: string) => splitCommandLine(line, "server_command");

Deno.test("words split on whitespace; quotes and backslashes as in a shell", () => {
  assertEquals(split(`uvicorn 'a b' "c \\"d\\"" e\\ f {port}`), [
    "uvicorn",
    "a b",
    'c "d"',
    "e f",
    "{port}",
  ]);
  assertEquals(split("  gen\t--out   {out}\n"), ["gen", "--out", "{out}"]);
  assertEquals(split(`a'b'"c" '' ""`), ["abc", "", ""], "adjacent quotes join; empty words stay");
  assertEquals(split(`'it\\s' "a\\b" "\\$HOME"`), ["it\\s", "a\\b", "$HOME"]);
  assertEquals(split(`"x|y" 'a;b' f(x)`), ["x|y", "a;b", "f(x)"], "quoted or mid-word: plain");
  assertEquals(split(""), []);
});

Deno.test("shell syntax is a usage error naming the source and the character", () => {
  for (const [line, char] of [["a | b", "|"], ["a && b", "&"], ["a; b", ";"], ["a > f", ">"]]) {
    const error = assertThrows(() => split(line), /^server_command: ".*" uses shell syntax/);
    assertEquals((error as CodegenError).exitCode, 2);
    assertEquals(error.message.includes(`(${char})`), true, error.message);
  }
  assertThrows(() => split("echo $HOME"), /shell syntax \(\$\)/);
  assertThrows(() => split("echo `id`"), /shell syntax \(`\)/);
  assertThrows(() => split("(sub)"), /shell syntax \(\(\)/);
});

Deno.test("an unterminated quote is a usage error", () => {
  assertThrows(
    () => split("uvicorn 'app"),
    /^server_command: unterminated ' quote in "uvicorn 'app"$/,
  );
  assertThrows(() => split('gen "x'), /unterminated " quote/);
});
