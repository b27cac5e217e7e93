/**
 * The human rendering of a spec diff, on hand-built `SpecDiff` values (diff_test.ts covers the
 * comparison itself): the summary line, the operation lines and the changes listed under them per
 * `details`, renamed paths, changes outside operations, and the `--fail-on-breaking` message.
 */
import { assertEquals } from "../../tests/helpers/assert.ts";
import type { ChangedOperation, ChangeType, SpecChange, SpecDiff } from "./diff.ts";
import { breakingChangesMessage, formatDiffSummary, formatSpecDiff } from "./diff_format.ts";

function change(type: ChangeType, description: string): SpecChange {
  return { type, action: "replace", pointer: "/x", description };
}

function changed(operation: string, changes: SpecChange[], previousPath?: string) {
  const [method, path] = operation.split(" ");
  const entry: ChangedOperation = {
    operation,
    method: method.toLowerCase(),
    path,
    breaking: changes.some((c) => c.type === "breaking"),
    changes,
  };
  return previousPath ? { ...entry, previousPath } : entry;
}

/** A diff with its counts computed as diff.ts computes them. */
function diffOf(fields: Partial<Pick<SpecDiff, "added" | "removed" | "changed" | "other">>) {
  const { added = [], removed = [], changed = [], other = [] } = fields;
  const breakingChanges = removed.length +
    [...changed.flatMap((c) => c.changes), ...other].filter((c) => c.type === "breaking").length;
  const diff: SpecDiff = {
    before: "HEAD:openapi.json",
    after: "openapi.json",
    added,
    removed,
    changed,
    other,
    counts: {
      added: added.length,
      removed: removed.length,
      changed: changed.length,
      changedBreaking: changed.filter((c) => c.breaking).length,
      breakingChanges,
    },
    breaking: breakingChanges > 0,
  };
  return diff;
}

const READ = changed("POST /obj/read", [
  change("non-breaking", "[Added] optional property `note`"),
  change("breaking", "[Added] required property `kind`"),
  change("deprecated", "[Deprecated] parameter `v`"),
  change("annotation", "[Changed] description"),
]);

Deno.test("formatDiffSummary: no changes, counts with plurals, breaking counts, other changes", () => {
  assertEquals(formatDiffSummary(diffOf({})), "no changes");
  assertEquals(
    formatDiffSummary(diffOf({ added: ["GET /a"] })),
    "1 operation added, 0 removed, 0 changed",
  );
  assertEquals(
    formatDiffSummary(
      diffOf({ added: ["GET /a", "GET /b"], removed: ["GET /c"], changed: [READ] }),
    ),
    "2 operations added, 1 removed, 1 changed (1 breaking)",
  );
  assertEquals(
    formatDiffSummary(
      diffOf({ other: [change("breaking", "security"), change("annotation", "i")] }),
    ),
    "0 operations added, 0 removed, 0 changed; 2 other changes (1 breaking)",
  );
});

Deno.test("formatSpecDiff: + added, - removed (breaking), ~ changed with counts by type", () => {
  const diff = diffOf({ added: ["GET /a"], removed: ["DELETE /b"], changed: [READ] });
  assertEquals(formatSpecDiff(diff).split("\n"), [
    "1 operation added, 1 removed, 1 changed (1 breaking)",
    "  + GET /a",
    "  - DELETE /b (breaking)",
    "  ~ POST /obj/read: 1 breaking, 1 deprecated, 1 non-breaking, 1 annotation",
    // details "breaking" (the default): the breaking changes and deprecations only.
    "      breaking: [Added] required property `kind`",
    "      deprecated: [Deprecated] parameter `v`",
  ]);
});

Deno.test("formatSpecDiff details: all (ordered by type), none (operation lines only)", () => {
  const diff = diffOf({ changed: [READ] });
  assertEquals(formatSpecDiff(diff, { details: "all" }).split("\n").slice(2), [
    "      breaking: [Added] required property `kind`",
    "      deprecated: [Deprecated] parameter `v`",
    "      non-breaking: [Added] optional property `note`",
    "      annotation: [Changed] description",
  ]);
  assertEquals(formatSpecDiff(diff, { details: "none" }).split("\n"), [
    "0 operations added, 0 removed, 1 changed (1 breaking)",
    "  ~ POST /obj/read: 1 breaking, 1 deprecated, 1 non-breaking, 1 annotation",
  ]);
});

Deno.test("formatSpecDiff: a renamed path says what it was; changes outside operations last", () => {
  const renamed = changed(
    "GET /obj/{digest}",
    [change("non-breaking", "[Renamed] parameter")],
    "/obj/{id}",
  );
  const diff = diffOf({
    changed: [renamed],
    other: [change("breaking", "[Removed] security scheme `key`")],
  });
  assertEquals(formatSpecDiff(diff).split("\n"), [
    "0 operations added, 0 removed, 1 changed (0 breaking); 1 other change (1 breaking)",
    "  ~ GET /obj/{digest} (was /obj/{id}): 1 non-breaking",
    "  other: 1 breaking",
    "      breaking: [Removed] security scheme `key`",
  ]);
});

Deno.test("breakingChangesMessage counts what breaks and names both sides", () => {
  const other = [change("breaking", "a"), change("breaking", "b"), change("annotation", "c")];
  assertEquals(
    breakingChangesMessage(diffOf({ removed: ["GET /a", "GET /b"], changed: [READ], other })),
    "breaking API changes from HEAD:openapi.json to openapi.json: 2 operations removed, " +
      "1 operation changed incompatibly, 2 breaking changes outside operations",
  );
  assertEquals(
    breakingChangesMessage(diffOf({ removed: ["GET /a"] })),
    "breaking API changes from HEAD:openapi.json to openapi.json: 1 operation removed",
  );
});
