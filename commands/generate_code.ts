/** `generate_code`: turn the OpenAPI spec (+ Stainless config) into SDK code on local `main` of each clone. */
import { defineCommand } from "../lib/cli/parse.ts";
import { createContext } from "../lib/config/context.ts";
import { generateCode } from "../lib/generate/generate_code.ts";
import { generatorChoices } from "../lib/generate/registry.ts";
import { log } from "../lib/core/log.ts";

const choices = Object.entries(generatorChoices()).map(([name, what]) =>
  `  ${name.padEnd(22)} ${what}`
).join("\n");

export const generateCodeCommand = defineCommand({
  name: "generate_code",
  aliases: ["generate-code"],
  summary:
    "Generate SDK code into local clones of the SDK repositories (left on local branch main)",
  options: {
    pythonPath: {
      flag: "--python-path",
      value: "dir",
      help: "clone of the Python SDK (config: python_output)",
    },
    nodePath: {
      flag: "--node-path",
      value: "dir",
      help: "clone of the Node SDK (config: node_output)",
    },
    typescriptPath: {
      flag: "--typescript-path",
      value: "dir",
      help: "clone of the TypeScript SDK (config: typescript_output)",
    },
    generator: {
      flag: "--generator",
      value: "name",
      help: "stainless, openapi-python-client, stainful, stlc or command (config: generator)",
    },
    generatorCommand: {
      flag: "--generator-command",
      value: "argv",
      help: "argv template of a local generator (config: generator_command)",
    },
    generatorConfig: {
      flag: "--generator-config",
      value: "path",
      help: "generator's own config file (config: generator_config)",
    },
    generatorTimeout: {
      flag: "--generator-timeout",
      value: "seconds",
      help: "time limit of a local generator (config: generator_timeout, default 600)",
    },
    openapiOutput: {
      flag: "--openapi-output",
      value: "path",
      help: "the OpenAPI spec to generate from (config: openapi_output)",
    },
    stainlessConfig: {
      flag: "--stainless-config",
      value: "path",
      help: "openapi.stainless.yml (config: stainless_config)",
    },
    packageName: {
      flag: "--package-name",
      value: "name",
      help: "Python package name (config: package_name)",
    },
    preserve: {
      flag: "--preserve",
      value: "paths",
      help: "comma-separated paths a local generator keeps from main, e.g. a custom-code folder",
    },
    project: {
      flag: "--project",
      value: "name",
      help: "Stainless project (config: stainless_project, default weave)",
    },
    branch: {
      flag: "--branch",
      value: "name",
      help: "Stainless project branch (config: stainless_branch, default main)",
    },
    pollInterval: {
      flag: "--poll-interval",
      value: "seconds",
      help: "seconds between build polls (config: poll_interval, default 2)",
    },
    buildTimeout: {
      flag: "--build-timeout",
      value: "seconds",
      help: "give up on a hosted build after this long (config: build_timeout, default 900)",
    },
    apiMaxRetries: {
      flag: "--api-max-retries",
      value: "n",
      help: "retries on rate limits and server errors (config: api_max_retries, default 5)",
    },
    failOn: {
      flag: "--fail-on",
      value: "steps",
      help: "hosted check steps that fail the run: lint,build,test or none (config: fail_on)",
    },
    init: {
      flag: "--init",
      help: "git init missing clone directories instead of failing",
    },
    dryRun: {
      flag: "--dry-run",
      help: "say what would happen (processes, API calls, ref updates) without changing anything",
    },
    json: {
      flag: "--json",
      help: "print the result as JSON on stdout",
    },
  },
  notes: `Generators:
${choices}

The generated tree becomes the tip of local branch main in each clone (merge_generated_code takes
it from there). A checked-out main must be clean; commits only the old main had are kept on a
codegen/backup/... branch. See docs/generators.md for choosing a generator.`,
  examples: [
    "codegen generate_code --python-path ../weave-python                  hosted Stainless (default)",
    "codegen generate_code --python-path ../weave-python --generator openapi-python-client",
    "codegen generate_code --python-path ../sdk --generator stainful --preserve src/weave_server_sdk/lib",
    `codegen generate_code --python-path ../sdk --generator command \\
      --generator-command "my-gen --spec {oas} --config {config} --out {out} --name {package}"`,
    "codegen generate_code --python-path ../sdk --fail-on build,test --dry-run",
  ],
  async run({ options, globals }) {
    const context = await createContext(globals, {
      python_output: options.pythonPath,
      node_output: options.nodePath,
      typescript_output: options.typescriptPath,
      generator: options.generator,
      generator_command: options.generatorCommand,
      generator_config: options.generatorConfig,
      generator_timeout: options.generatorTimeout,
      openapi_output: options.openapiOutput,
      stainless_config: options.stainlessConfig,
      package_name: options.packageName,
      preserve: options.preserve,
      stainless_project: options.project,
      stainless_branch: options.branch,
      poll_interval: options.pollInterval,
      build_timeout: options.buildTimeout,
      api_max_retries: options.apiMaxRetries,
      fail_on: options.failOn,
    });
    const result = await generateCode({
      settings: context.settings,
      repoRoot: context.repoRoot,
      dryRun: options.dryRun ?? false,
      init: options.init ?? false,
    });
    if (options.json) {
      log.result(JSON.stringify({ dryRun: options.dryRun ?? false, ...result }, null, 2));
      return;
    }
    for (const [target, r] of Object.entries(result.targets)) {
      const state = options.dryRun ? "dry run" : r?.changed ? "updated" : "unchanged";
      log.result(`${target}\t${r?.clone}\tmain ${r?.commit ?? "-"}\t${state}`);
    }
  },
});
