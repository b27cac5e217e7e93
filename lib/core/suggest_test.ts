/** "Did you mean": the closest candidate, only when it is close enough to be a typo. */
import { assertEquals } from "../../tests/helpers/assert.ts";
import { closest } from "./suggest.ts";

const KEYS = ["port", "python_output", "package_name", "pyproject", "preserve"];

Deno.test("closest finds likely typos: a missing, extra, swapped or wrong letter", () => {
  assertEquals(closest("prot", KEYS), "port");
  assertEquals(closest("pyton_output", KEYS), "python_output");
  assertEquals(closest("packagename", KEYS), "package_name");
  assertEquals(closest("pyprojet", KEYS), "pyproject");
  assertEquals(closest("PORT", KEYS), "port", "case does not count");
});

Deno.test("closest suggests nothing for words that are not near any candidate", () => {
  assertEquals(closest("zzzzzzzz", KEYS), undefined);
  assertEquals(closest("server", KEYS), undefined);
  assertEquals(closest("port", []), undefined);
});

Deno.test("closest prefers the nearest candidate, the first one on a tie", () => {
  assertEquals(closest("ab", ["xy", "ac", "ab"]), "ab");
  assertEquals(closest("ab", ["ax", "ay"]), "ax");
});
