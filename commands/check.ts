/** `check`: the CI drift gate; exit 1 when the saved spec or the SDK no longer match the server. */
import { defineCommand } from "../lib/cli/command.ts";
import { OPTIONS, SPEC_OPTIONS } from "./options.ts";

export const checkCommand = defineCommand({
  name: "check",
  aliases: [],
  summary:
    "CI drift gate: exit 1 when the server's spec differs from the saved one, or the pinned SDK (or the SDK clone's main) was generated from other inputs",
  options: {
    ...SPEC_OPTIONS,
    url: OPTIONS.url,
    app: OPTIONS.app,
    stainlessConfig: OPTIONS.stainlessConfig,
    pythonOutput: OPTIONS.pythonOutput,
    targets: OPTIONS.targets,
    vendorDir: OPTIONS.vendorDir,
    endpointGroups: OPTIONS.endpointGroups,
    groups: OPTIONS.groups,
    allGroups: OPTIONS.allGroups,
    packageName: OPTIONS.packageName,
    pyproject: OPTIONS.pyproject,
    extra: OPTIONS.extra,
    json: OPTIONS.json,
  },
  conflicts: [["url", "app"], ["url", "port"], ["url", "serverCommand"], ["allGroups", "groups"]],
  notes:
    `Writes nothing. Gets the server's spec as get_openapi_spec does (server, --url or --app) and checks:
  spec    it has exactly the bytes of the saved spec (--openapi-output); otherwise the operations
          that differ are named (a byte-level difference with no operation change fails too)
  pinned  the SDK commit pyproject.toml pins (git+<url>@<sha>; fetched into the SDK clone when
          missing, its work tree untouched) has a .codegen/origin.json whose spec and Stainless
          config hashes are those of the current files, and its files are intact. A ==<version>
          pin names no commit: the clone's tag v<version> (or <version>) is checked if it has one
  main    the same for local main of the SDK clone (--python-output)
  (pinned and main for every target with a clone; a TypeScript SDK's pin is its package.json's)
  vendored  each vendored copy: its files are those its <vendor_dir>.origin.json lists (hand edits,
          added and removed files are named) and the stamp's inputs and endpoint groups are the
          current ones; a stamp codegen did not write (no file list) is reported, and fails only
          when its input hashes are not the current ones
A commit without a stamp cannot be checked (a note, not a failure). Without --python-output only
the spec is checked (and the vendored copies, if any). Exit code 0 when everything is in sync, 1 on drift.`,
  examples: [
    "codegen check                                          server mode, as get_openapi_spec",
    "codegen check --app weave.trace_server.reference.server:app --python-output ../sdk",
    "codegen check --json > drift.json                      CI: the findings as JSON",
  ],
  load: () => import("./run/check.ts"),
});
