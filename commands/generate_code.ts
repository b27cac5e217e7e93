/** `generate_code`: turn the OpenAPI spec (+ Stainless config) into SDK code on local `main` of each clone. */
import { defineCommand } from "../lib/cli/command.ts";
import { generatorChoices } from "../lib/generate/registry.ts";
import {
  CLONE_OPTIONS,
  GENERATE_OPTIONS,
  GROUP_OPTIONS,
  OPTIONS,
  OUTPUT_OPTIONS,
  SPEC_OPTIONS,
} from "./options.ts";

const choices = Object.entries(generatorChoices()).map(([name, what]) =>
  `  ${name.padEnd(22)} ${what}`
).join("\n");

export const generateCodeCommand = defineCommand({
  name: "generate_code",
  aliases: ["generate-code"],
  summary:
    "Generate SDK code into local clones of the SDK repositories (left on local branch main)",
  options: {
    ...CLONE_OPTIONS,
    ...GENERATE_OPTIONS,
    ...GROUP_OPTIONS,
    openapiOutput: SPEC_OPTIONS.openapiOutput,
    regenerate: OPTIONS.regenerate,
    init: OPTIONS.init,
    ...OUTPUT_OPTIONS,
  },
  notes: `Generators:
${choices}

The generated tree becomes the tip of local branch main in each clone (merge_generated_code takes
it from there), with .codegen/origin.json saying what it was generated from (and .codegen/openapi.json,
the spec itself). When main's stamp has the same inputs (spec, config, generator and version,
post_generate hooks, codegen version) and its files are intact, nothing runs ("up to date");
--regenerate runs it anyway. A checked-out main must be clean; commits only the old main had are
kept on a codegen/backup/... branch. Local generators get a copy of the spec with the Stainless
config's transformations applied and a copy of the config without methods the spec lacks (each a
warning; --strict-config: an error); post_generate hooks run in the generated tree; bytecode and
caches are never committed. Warnings are shown and listed in --json; before main moves,
--fail-on warnings stops on any, and the new Python SDK's API is compared with origin/main (else
main): --fail-on api-removals stops on removals. See docs/generators.md for choosing a generator,
docs/provenance.md for the stamp.`,
  examples: [
    "codegen generate_code --python-output ../weave-python                hosted Stainless (default)",
    "codegen generate_code --python-output ../weave-python --generator openapi-python-client",
    "codegen generate_code --python-output ../sdk --generator stainful --preserve src/weave_server_sdk/lib",
    `codegen generate_code --python-output ../sdk --generator command \\
      --generator-command "my-gen --spec {oas} --config {config} --out {out} --name {package}"`,
    "codegen generate_code --python-output ../sdk --fail-on build,test --dry-run",
    `codegen generate_code --python-output ../sdk --generator stainful --post-generate "ruff format ." \\
      --fail-on api-removals       transformed spec, pruned config, a hook; stop if the API loses names`,
  ],
  load: () => import("./run/generate_code.ts"),
});
