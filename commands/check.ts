/** `check`: the CI drift gate; exit 1 when the saved spec or the SDK no longer match the server. */
import { defineCommand } from "../lib/cli/command.ts";
import { CLONE_OPTIONS, GROUP_OPTIONS, OPTIONS, SPEC_OPTIONS } from "./options.ts";

/**
 * The keys a generation's stamp is made of, which `check` compares: the generator, its argv and
 * config, the package name, hooks and kept paths, the hosted project and branch.
 */
const GENERATOR_IDENTITY_OPTIONS = {
  generator: OPTIONS.generator,
  generatorCommand: OPTIONS.generatorCommand,
  generatorConfig: OPTIONS.generatorConfig,
  packageName: OPTIONS.packageName,
  postGenerate: OPTIONS.postGenerate,
  preserve: OPTIONS.preserve,
  project: OPTIONS.project,
  branch: OPTIONS.branch,
} as const;

export const checkCommand = defineCommand({
  name: "check",
  aliases: [],
  summary:
    "CI drift gate: exit 1 when the server's spec differs from the saved one, or the pinned SDK (the SDK clone's main when there is no pin to check) or a vendored copy was generated from other inputs",
  options: {
    ...SPEC_OPTIONS,
    url: OPTIONS.url,
    app: OPTIONS.app,
    stainlessConfig: OPTIONS.stainlessConfig,
    ...CLONE_OPTIONS,
    vendorDir: OPTIONS.vendorDir,
    ...GROUP_OPTIONS,
    ...GENERATOR_IDENTITY_OPTIONS,
    pyproject: OPTIONS.pyproject,
    extra: OPTIONS.extra,
    json: OPTIONS.json,
  },
  conflicts: [["url", "app"], ["url", "port"], ["url", "serverCommand"], ["allGroups", "groups"]],
  notes:
    `Writes nothing in the trace repository, nor in the SDK clone's branches and work tree (a missing
pinned commit, or origin's branch and tag tips, may be fetched into the clone's object store).
Gets the server's spec as get_openapi_spec does (server, --url or --app) and checks:
  spec    it has exactly the bytes of the saved spec (--openapi-output); otherwise the operations
          that differ are named (a byte-level difference with no operation change fails too)
  pinned  the SDK commit pyproject.toml pins (git+<url>@<sha>; fetched into the SDK clone when
          missing, its work tree untouched) has a .codegen/origin.json whose inputs key is the one
          a generation would have now (spec, Stainless config, generator and version, argv,
          generator config, package name, hooks, preserve, groups: each difference is named), and
          its files are intact (a publish release commit on top does not count as an edit). A pin
          whose commit a readable remote does not have is drift; one this job cannot read is not
          checked. A pinned commit read from the clone must be on its remote too (the pin's URL is
          the clone's origin: a remote-tracking ref, else a branch or tag tip of origin): pushed
          nowhere is drift; a pin of another remote is not verified (a note). A ==<version> pin
          is checked through the clone's tag v<version> (or <version>)
  main    the same for local main of the SDK clone (--python-output): the gate only when there is
          no pin to check; next to a checked pin it is shown as information
  (pinned and main for every target with a clone; a TypeScript SDK's pin is its package.json's)
  vendored  each vendored copy: its files are those its <vendor_dir>.origin.json lists (hand edits,
          added and removed files are named) and its inputs key is the current one; a stamp codegen
          did not write (no file list) is reported as not checked, and fails only when a hash it
          records for a current input (same path, or a path ending in it) is stale
The generator flags (--generator, --preserve, --post-generate, ...) say what a generation would
use now, as for generate_code. A commit without a stamp cannot be checked (a note, not a failure).
Without --python-output only the spec is checked (and the vendored copies, if any). Exit code 0
when everything is in sync; 1 on drift or when the check itself failed (the server did not start,
a busy port, ...): with --json, drift lists its "problems", a failure only its "error"; 2 on a usage
or configuration error (a clone that is not a git repository, a bad flag).`,
  examples: [
    "codegen check                                          server mode, as get_openapi_spec",
    "codegen check --app weave.trace_server.reference.server:app --python-output ../sdk",
    "codegen check --json > drift.json                      CI: the findings as JSON",
  ],
  load: () => import("./run/check.ts"),
});
