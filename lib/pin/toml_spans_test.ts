/** The TOML scanner: where tables, entries, values and items are in the original text. */
import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import {
  allEntries,
  decodeString,
  findEntry,
  lineStart,
  nextLine,
  samePath,
  scanToml,
} from "./toml_spans.ts";

const TEXT = `# top comment
name = "root"

[project]
name = 'trace' # trailing
"quoted key".x = 1
optional-dependencies.docs = ["a", 'b', """c"""]
meta = { a = 1, inner = { b = "two" } }

[[tool.items]]
k = 2020-01-01 10:00:00

[tool.hatch.metadata]
allow-direct-references = true
`;

const at = (span: { start: number; end: number }) => TEXT.slice(span.start, span.end);

Deno.test("scanToml: tables with their headers, entries and ends", () => {
  const layout = scanToml(TEXT);
  assertEquals(layout.eol, "\n");
  assertEquals(layout.tables.map((t) => [t.path.join("."), t.isArray]), [
    ["", false],
    ["project", false],
    ["tool.items", true],
    ["tool.hatch.metadata", false],
  ]);
  const [root, project, items, metadata] = layout.tables;
  assertEquals(at(root.header), "");
  assertEquals(at(project.header), "[project]");
  assertEquals(at(items.header), "[[tool.items]]");
  assertEquals(project.end, TEXT.indexOf("[[tool.items]]"));
  assertEquals(metadata.end, TEXT.length);
  assertEquals(root.entries.map((e) => e.keys), [["name"]]);
  assertEquals(project.entries.map((e) => e.keys), [
    ["name"],
    ["quoted key", "x"],
    ["optional-dependencies", "docs"],
    ["meta"],
  ]);
  // Entries of an array of tables are not addressable by key path.
  assertEquals(items.entries[0].path, ["tool", "items", "[]", "k"]);
  assertEquals(at(items.entries[0].value), "2020-01-01 10:00:00");
});

Deno.test("values: strings, arrays with their items, inline tables with their entries", () => {
  const layout = scanToml(TEXT);
  const name = findEntry(layout, ["project", "name"])!;
  assertEquals([name.value.kind, at(name.value)], ["string", "'trace'"]);
  const docs = findEntry(layout, ["project", "optional-dependencies", "docs"])!;
  assertEquals(docs.value.kind, "array");
  assertEquals(docs.value.items.map(at), ['"a"', "'b'", '"""c"""']);
  const inner = findEntry(layout, ["project", "meta", "inner", "b"])!;
  assertEquals(at(inner.value), '"two"');
  assertEquals(
    at(findEntry(layout, ["tool", "hatch", "metadata", "allow-direct-references"])!.value),
    "true",
  );
  assertEquals(findEntry(layout, ["project", "missing"]), undefined);
});

Deno.test("allEntries includes entries nested in inline tables, after their parent", () => {
  const paths = allEntries(scanToml(TEXT)).map((e) => e.path.join("."));
  assertEquals(paths.slice(paths.indexOf("project.meta")), [
    "project.meta",
    "project.meta.a",
    "project.meta.inner",
    "project.meta.inner.b",
    "tool.items.[].k",
    "tool.hatch.metadata.allow-direct-references",
  ]);
});

Deno.test("CRLF files are recognized", () => {
  const layout = scanToml('[project]\r\nname = "x"\r\n');
  assertEquals(layout.eol, "\r\n");
  assertEquals(layout.tables[1].entries[0].keys, ["name"]);
});

Deno.test("decodeString: basic, literal and multi-line strings with escapes", () => {
  assertEquals(decodeString('"a\\tb\\"c\\\\ \\u00e9\\U0001F600"'), 'a\tb"c\\ é😀');
  assertEquals(decodeString("'C:\\path'"), "C:\\path");
  assertEquals(decodeString('"""\nline one\\\n    two"""'), "line onetwo");
  assertEquals(decodeString("'''\nraw\\n'''"), "raw\\n");
});

Deno.test("lines and paths", () => {
  const text = "a\nbc\nd";
  assertEquals([lineStart(text, 0), lineStart(text, 3), lineStart(text, 4)], [0, 2, 2]);
  assertEquals([nextLine(text, 0), nextLine(text, 3), nextLine(text, 6)], [2, 5, 6]);
  assert(samePath(["a", "b"], ["a", "b"]));
  assert(!samePath(["a"], ["a", "b"]));
  assert(!samePath(["a", "b"], ["a", "c"]));
});
