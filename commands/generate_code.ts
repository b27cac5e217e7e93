/** `generate_code`: turn the OpenAPI spec (+ Stainless config) into SDK code on local `main` of each clone. */
import { defineCommand } from "../lib/cli/command.ts";
import { generatorChoices } from "../lib/generate/registry.ts";
import {
  CLONE_OPTIONS,
  GENERATE_OPTIONS,
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
    openapiOutput: SPEC_OPTIONS.openapiOutput,
    regenerate: OPTIONS.regenerate,
    init: OPTIONS.init,
    ...OUTPUT_OPTIONS,
  },
  notes: `Generators:
${choices}

The generated tree becomes the tip of local branch main in each clone (merge_generated_code takes
it from there), with .codegen/origin.json saying what it was generated from. When main's stamp
has the same inputs (spec, config, generator and version, codegen version) and its files are
intact, the generator is not run ("up to date"); --regenerate runs it anyway. A checked-out main
must be clean; commits only the old main had are kept on a codegen/backup/... branch. Generator
warnings are shown and listed in --json (fail_on: warnings makes them fail the run). See
docs/generators.md for choosing a generator, docs/provenance.md for the stamp.`,
  examples: [
    "codegen generate_code --python-output ../weave-python                hosted Stainless (default)",
    "codegen generate_code --python-output ../weave-python --generator openapi-python-client",
    "codegen generate_code --python-output ../sdk --generator stainful --preserve src/weave_server_sdk/lib",
    `codegen generate_code --python-output ../sdk --generator command \\
      --generator-command "my-gen --spec {oas} --config {config} --out {out} --name {package}"`,
    "codegen generate_code --python-output ../sdk --fail-on build,test --dry-run",
  ],
  load: () => import("./run/generate_code.ts"),
});
