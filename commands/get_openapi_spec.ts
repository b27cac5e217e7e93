/** `get_openapi_spec`: start the trace server (or import its app, or use a running one) and save its spec. */
import { defineCommand } from "../lib/cli/command.ts";
import { LOCK_OPTIONS, OPTIONS, OUTPUT_OPTIONS, SPEC_OPTIONS } from "./options.ts";

export const getOpenapiSpecCommand = defineCommand({
  name: "get_openapi_spec",
  aliases: ["get-openapi-spec"],
  summary:
    "Start the trace server, fetch /openapi.json and save it (default tools/codegen/openapi.json)",
  options: {
    ...SPEC_OPTIONS,
    url: OPTIONS.url,
    app: OPTIONS.app,
    failOnBreaking: OPTIONS.failOnBreaking,
    ...LOCK_OPTIONS,
    ...OUTPUT_OPTIONS,
  },
  notes:
    `The new spec is compared with the one it replaces (its committed version in git, else the file
on disk): a summary line and the changed operations go to stderr, the diff into --json's
spec_diff. --fail-on-breaking exits 1 when anything breaking changed (the file is written).`,
  conflicts: [["url", "app"], ["url", "port"], ["url", "serverCommand"]],
  examples: [
    "codegen get_openapi_spec",
    "codegen get_openapi_spec --port 6400 -o /tmp/openapi.json",
    "codegen get_openapi_spec --app weave.trace_server.reference.server:app",
    "codegen get_openapi_spec --url http://127.0.0.1:6345/openapi.json",
    "codegen get_openapi_spec --dry-run                 what would be started and written",
  ],
  load: () => import("./run/get_openapi_spec.ts"),
});
