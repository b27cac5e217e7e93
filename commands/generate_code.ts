/** `generate_code`: turn the OpenAPI spec (+ Stainless config) into SDK code on local `main` of each clone. */
import { Command } from "@commander-js/extra-typings";
import { createContext, type GlobalOptions } from "../lib/context.ts";
import { generateCode, generatorChoices } from "../lib/generators.ts";
import { log } from "../lib/log.ts";

export function generateCodeCommand() {
  const choices = Object.entries(generatorChoices()).map(([name, what]) =>
    `  ${name.padEnd(22)} ${what}`
  ).join("\n");
  return new Command("generate_code")
    .alias("generate-code")
    .description(
      "Generate SDK code into local clones of the SDK repositories (left on local branch main)",
    )
    .option("--python-path <dir>", "clone of the Python SDK (config: python_output)")
    .option("--node-path <dir>", "clone of the Node SDK (config: node_output)")
    .option("--typescript-path <dir>", "clone of the TypeScript SDK (config: typescript_output)")
    .option(
      "--generator <name>",
      "stainless, openapi-python-client, stainful, stlc or command (config: generator)",
    )
    .option(
      "--generator-command <argv>",
      "argv template of a local generator (config: generator_command)",
    )
    .option("--generator-config <path>", "generator's own config file (config: generator_config)")
    .option(
      "--generator-timeout <seconds>",
      "time limit of a local generator (config: generator_timeout, default 600)",
    )
    .option("--openapi-output <path>", "the OpenAPI spec to generate from (config: openapi_output)")
    .option("--stainless-config <path>", "openapi.stainless.yml (config: stainless_config)")
    .option("--package-name <name>", "Python package name (config: package_name)")
    .option(
      "--preserve <paths>",
      "comma-separated paths a local generator keeps from main, e.g. a custom-code folder",
    )
    .option("--project <name>", "Stainless project (config: stainless_project, default weave)")
    .option("--branch <name>", "Stainless project branch (config: stainless_branch, default main)")
    .option(
      "--poll-interval <seconds>",
      "seconds between build polls (config: poll_interval, default 2)",
    )
    .option(
      "--build-timeout <seconds>",
      "give up on a hosted build after this long (config: build_timeout, default 900)",
    )
    .option(
      "--api-max-retries <n>",
      "retries on rate limits and server errors (config: api_max_retries, default 5)",
    )
    .option(
      "--fail-on <steps>",
      "hosted check steps that fail the run: lint,build,test or none (config: fail_on)",
    )
    .option("--init", "git init missing clone directories instead of failing")
    .option(
      "--dry-run",
      "say what would happen (processes, API calls, ref updates) without changing anything",
    )
    .option("--json", "print the result as JSON on stdout")
    .addHelpText(
      "after",
      `
Generators:
${choices}

The generated tree becomes the tip of local branch main in each clone (merge_generated_code takes
it from there). A checked-out main must be clean; commits only the old main had are kept on a
codegen/backup/... branch. See docs/generators.md for choosing a generator.

Examples:
  codegen generate_code --python-path ../weave-python                  hosted Stainless (default)
  codegen generate_code --python-path ../weave-python --generator openapi-python-client
  codegen generate_code --python-path ../sdk --generator stainful --preserve src/weave_server_sdk/lib
  codegen generate_code --python-path ../sdk --generator command \\
      --generator-command "my-gen --spec {oas} --config {config} --out {out} --name {package}"
  codegen generate_code --python-path ../sdk --fail-on build,test --dry-run`,
    )
    .action(async (options, command) => {
      const globals = command.optsWithGlobals() as GlobalOptions;
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
    });
}
