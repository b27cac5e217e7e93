/** The spec file bytes, checked against Python's own `json.dump(..., indent=2)`. */
import { assertEquals, assertThrows } from "../../tests/helpers/assert.ts";
import { PYTHON } from "../../tests/helpers/cli.ts";
import { weaveFile } from "../../tests/helpers/weave.ts";
import { run } from "../os/process.ts";
import { formatLikePythonJsonDump, pythonFloatRepr } from "./format.ts";

/** `text` re-sent the way FastAPI's JSONResponse sends it (compact, non-ASCII raw). */
async function pythonCompact(text: string): Promise<string> {
  const script =
    "import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin), ensure_ascii=False, separators=(',', ':')))";
  return (await run(PYTHON, ["-c", script], { input: text, what: "python json.dumps" })).stdout;
}

/** What Python writes for the JSON `text` (json.load then json.dump with indent=2). */
async function pythonDump(text: string): Promise<string> {
  const script = "import json,sys; json.dump(json.load(sys.stdin), sys.stdout, indent=2)";
  return (await run(PYTHON, ["-c", script], { input: text, what: "python json.dump" })).stdout;
}

/** A compact server-like body (FastAPI: ensure_ascii=False, no spaces), many edge cases. */
const SPEC_BODY = [
  '{"openapi":"3.1.0","info":{"title":"Café 中文 API 🚀","version":"1.0"},',
  '"paths":{"/b":{"post":{"responses":{"422":{"description":"Validation Error"},',
  '"200":{"description":"OK"},"default":{}}}},"/a":{}},',
  '"components":{"schemas":{"S":{"type":"object","properties":{',
  '"ratio":{"type":"number","default":1.0,"minimum":0.5,"maximum":1e-05,"x":1E5,"y":-0.0,',
  '"z":1.50,"w":12345678901234567890123,"v":-0,"u":2.5e+300,"t":0.0001,"s":1e16,"r":1e15},',
  '"text":{"default":"quote \\" backslash \\\\ slash \\/ \\n\\r\\t\\b\\f \\u0001\\u001f \\u007f é"},',
  '"empty":{"enum":[],"items":{},"examples":[[],{}, [1, [2, {"3": 4}]]]}',
  '},"required":["ratio"],"nested":{"10":true,"9":false,"x":null}}}}}',
].join("");

Deno.test("a spec with floats, integer-like keys, non-ASCII text and escapes: Python's bytes", async () => {
  const expected = await pythonDump(SPEC_BODY);
  assertEquals(formatLikePythonJsonDump(SPEC_BODY), expected);
  // The same document sent by Python's json.dumps (ensure_ascii, default separators).
  const asciiBody = await run(PYTHON, [
    "-c",
    "import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin)))",
  ], { input: SPEC_BODY }).then((r) => r.stdout);
  assertEquals(formatLikePythonJsonDump(asciiBody), expected);
});

Deno.test("key order is kept as received, and a duplicate key replaces the value in place", async () => {
  const body = '{"422":1,"200":2,"b":{"2":0,"1":0},"422":3}';
  const text = formatLikePythonJsonDump(body);
  assertEquals(text, await pythonDump(body));
  assertEquals(text, '{\n  "422": 3,\n  "200": 2,\n  "b": {\n    "2": 0,\n    "1": 0\n  }\n}');
});

Deno.test("astral characters become surrogate pairs, lone surrogates stay escaped", async () => {
  const body = JSON.stringify({ emoji: "😀🚀", lone: "\ud800x", del: "\x7f", tab: "\t" });
  const text = formatLikePythonJsonDump(body);
  assertEquals(text, await pythonDump(body));
  assertEquals(JSON.parse(text).emoji, "😀🚀");
});

Deno.test("float repr matches Python's repr for many values", async () => {
  const values = [
    0.1,
    1 / 3,
    1e22,
    1e21,
    123456789.125,
    5e-324,
    1.7976931348623157e308,
    0.000123,
    -2.5e-7,
    1e16,
    9999999999999998,
    3.0,
  ];
  const script = "import sys; print(' '.join(repr(float(v)) for v in sys.argv[1:]))";
  const python = await run(PYTHON, ["-c", script, ...values.map(String)]);
  assertEquals(values.map(pythonFloatRepr).join(" "), python.stdout.trim());
});

Deno.test("scalars and empty containers at the top level, whitespace around tokens", async () => {
  for (const body of ["[]", "{}", " 1.0 ", '"é"', "[ 1 , { } , [ ] ]", "null"]) {
    assertEquals(formatLikePythonJsonDump(body), await pythonDump(body), body);
  }
});

Deno.test("a string ends at the first quote not escaped by a backslash", async () => {
  // A backslash, a quote, a backslash then a quote inside, two backslashes, plain text.
  const body = String.raw`["\\", "\"", "a\\\"b", "\\\\", "plain"]`;
  assertEquals(JSON.parse(body).length, 5);
  assertEquals(formatLikePythonJsonDump(body), await pythonDump(body));
});

Deno.test("invalid JSON is an error naming the source and the offset", () => {
  for (const body of ['{"a":1,}', '{"a" 1}', "[1 2]", '"\\x"', '"open', "{} x", "nan"]) {
    assertThrows(
      () => formatLikePythonJsonDump(body, "the answer"),
      /the answer is not valid JSON/,
    );
  }
});

Deno.test("the Weave repository's committed openapi.json files come out byte for byte", async () => {
  for (const name of ["openapi.json", "openapi.older.json"]) {
    const committed = await Deno.readTextFile(weaveFile(name));
    assertEquals(formatLikePythonJsonDump(committed), committed, name);
    // And from the compact body the server sends.
    const body = await pythonCompact(committed);
    assertEquals(formatLikePythonJsonDump(body), committed, name);
  }
});
