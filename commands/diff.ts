/** `diff OLD NEW`: what changed between two OpenAPI specs, per operation, breaking or not. */
import { defineCommand } from "../lib/cli/command.ts";
import { OPTIONS } from "./options.ts";

export const diffCommand = defineCommand({
  name: "diff",
  aliases: [],
  summary:
    "Compare two OpenAPI specs (files, or REV:path in the trace repository): operations added, removed, changed, breaking or not",
  args: [
    {
      name: "old",
      help: "the earlier spec: a file, or REV:path",
      required: true,
      complete: "file",
    },
    { name: "new", help: "the later spec: a file, or REV:path", required: true, complete: "file" },
  ],
  options: {
    failOnBreaking: {
      ...OPTIONS.failOnBreaking,
      help: "exit 1 when anything breaking changed",
    },
    json: OPTIONS.json,
  },
  notes:
    `A spec is a file (relative to the current directory), or REV:path, the file at a git revision of
the trace repository (path from its top): HEAD:tools/codegen/openapi.json,
main~3:tools/codegen/openapi.json. The comparison is api-smart-diff's (OpenAPI 3.0 and 3.1, $refs
resolved); each change is breaking, non-breaking, deprecated, annotation or unclassified. Output:
one summary line, then + added, - removed, ~ changed operations with their breaking changes;
--json gives the lists and every change.`,
  examples: [
    "codegen diff HEAD:tools/codegen/openapi.json tools/codegen/openapi.json    uncommitted spec changes",
    "codegen diff main:tools/codegen/openapi.json HEAD:tools/codegen/openapi.json --fail-on-breaking",
    "codegen diff old.json new.json --json",
  ],
  load: () => import("./run/diff.ts"),
});
