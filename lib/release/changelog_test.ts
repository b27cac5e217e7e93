/** CHANGELOG.md sections: created, inserted above older ones, never twice, line endings kept. */
import { assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { addSection, type ChangelogEntry, releaseNotes, sectionNotes } from "./changelog.ts";

const ENTRY: ChangelogEntry = {
  version: "1.3.0",
  date: "2026-01-05",
  specChanges: {
    added: [{ operation: "POST /calls/stream", breaking: false }],
    removed: [{ operation: "DELETE /obj/{digest}", breaking: true }],
    changed: [{ operation: "GET /health", breaking: false, descriptions: ["new optional field"] }],
  },
  commits: [{ sha: "0123456789abcdef", subject: "Update generated code from weave branch: x" }],
};

Deno.test("release notes: breaking changes, features, changes, commits", () => {
  assertEquals(
    releaseNotes(ENTRY),
    [
      "### ⚠️ Breaking changes\n\n- `DELETE /obj/{digest}`: removed",
      "### Features\n\n- `POST /calls/stream`: added",
      "### Changes\n\n- `GET /health`: new optional field",
      "### Commits\n\n- 0123456 Update generated code from weave branch: x",
    ].join("\n\n"),
  );
  assertEquals(
    releaseNotes({ ...ENTRY, specChanges: undefined, commits: [] }),
    "No changes to the API.",
  );
});

Deno.test("a missing CHANGELOG.md is created with the section", () => {
  const { text, added } = addSection(undefined, ENTRY);
  assertEquals(added, true);
  assertEquals(text.split("\n").slice(0, 5), [
    "# Changelog",
    "",
    "## 1.3.0 (2026-01-05)",
    "",
    "### ⚠️ Breaking changes",
  ]);
  assertEquals(sectionNotes(text, "1.3.0"), releaseNotes(ENTRY));
});

Deno.test("the section goes above older ones, below the intro; a rerun adds nothing; CRLF kept", () => {
  const old =
    "# Changelog\r\n\r\nAll notable changes.\r\n\r\n## [1.2.0](https://x) (2025-12-01)\r\n\r\n- old\r\n";
  const { text } = addSection(old, ENTRY);
  assertEquals(
    text.startsWith("# Changelog\r\n\r\nAll notable changes.\r\n\r\n## 1.3.0 (2026-01-05)\r\n"),
    true,
  );
  assertStringIncludes(text, "\r\n\r\n## [1.2.0](https://x) (2025-12-01)\r\n\r\n- old\r\n");
  assertEquals(text.replaceAll("\r\n", "").includes("\n"), false, "only CRLF line endings");
  assertEquals(addSection(text, ENTRY), { text, added: false });
  assertEquals(addSection("# Changelog\n\n## v1.3.0\n\n- by hand\n", ENTRY).added, false);
  assertEquals(sectionNotes(old, "1.2.0"), "- old");
  assertEquals(sectionNotes(old, "1.2"), undefined);
});
