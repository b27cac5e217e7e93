/**
 * Choosing a local generator end to end: usage errors for unknown names, a missing argv or a
 * missing output, the choice from the config file, and the stainful preset generating for real.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { join } from "node:path";
import { runCli } from "../helpers/cli.ts";
import { exportExampleSpec, treeFiles } from "../helpers/sdk_clone.ts";
import { withLocal } from "../helpers/local_generate.ts";

Deno.test("generator choice: usage errors for unknown names, missing argv, missing paths", async () => {
  await withLocal(async (l) => {
    const unknown = await l.run(["--generator", "openapi-generator"]);
    assertEquals(unknown.code, 2);
    assertStringIncludes(unknown.stderr, "unknown generator `openapi-generator`");
    assertStringIncludes(
      unknown.stderr,
      "stainless, openapi-python-client, stainful, stlc, command",
    );
    const noArgv = await l.run(["--generator", "command"]);
    assertEquals(noArgv.code, 2);
    assertStringIncludes(noArgv.stderr, "needs generator_command");
    const noPath = await runCli([
      "--repo-root",
      l.repo,
      "generate_code",
      "--generator",
      "stainful",
    ]);
    assertEquals(noPath.code, 2);
    assertStringIncludes(
      noPath.stderr,
      "at least one of --python-output, --node-output, --typescript-output",
    );
    // The config file chooses the generator when no flag does.
    await Deno.writeTextFile(
      join(l.repo, "tools/codegen/generate_config.yaml"),
      "generator: nope\n",
    );
    const fromConfig = await l.run([]);
    assertEquals(fromConfig.code, 2);
    assertStringIncludes(fromConfig.stderr, "unknown generator `nope`");
  });
});

Deno.test("a config file's generator_command goes with its generator, not with --generator's", async () => {
  await withLocal(async (l) => {
    await Deno.writeTextFile(
      join(l.repo, "tools/codegen/generate_config.yaml"),
      "generator: command\ngenerator_command: dump.sh {oas} {out}\n",
    );
    const other = await l.run(["--generator", "stainful", "--dry-run", "--json"]);
    assertEquals(other.code, 0, other.stderr);
    const plan: string[] = JSON.parse(other.stdout).plan;
    assert(plan.some((line) => /^run `\S*stainful generate /.test(line)), plan.join("\n"));
    assert(!plan.some((line) => line.includes("dump.sh")), plan.join("\n"));
    assertMatch(
      other.stderr,
      /warning: python: generator_command \(\S+generate_config\.yaml:2\) is not used: it goes with generator command \(\S+generate_config\.yaml:1\), and stainful was chosen by --generator; stainful runs as it would without it/,
    );
    // The command generator it was given with still runs it.
    const own = await l.run(["--dry-run", "--json"]);
    assertEquals(own.code, 0, own.stderr);
    assert(JSON.parse(own.stdout).plan.some((line: string) => line.includes("run `dump.sh ")));
  });
});

Deno.test("stainful preset: generates the Python package from the spec and openapi.stainless.yml", async () => {
  await withLocal(async (l) => {
    await exportExampleSpec(join(l.repo, "tools/codegen/openapi.json"));
    const result = await l.run(["--generator", "stainful", "-n", "--json"]);
    assertEquals(result.code, 0, result.stderr);
    assertMatch(result.stderr, /\[dry-run\] would run `\S*stainful generate --spec /);
    const planned = JSON.parse(result.stdout);
    assertEquals([planned.command, planned.ok, planned.dryRun], ["generate_code", true, true]);
    assertEquals(planned.generator, "stainful");
    const real = await l.run(["--generator", "stainful"]);
    assertEquals(real.code, 0, real.stderr);
    const files = await treeFiles(l.clone);
    assert(files.includes("weave_server_sdk/_client.py"), files.join("\n"));
    assert(files.includes("src/custom/keep.py") === false, "no preserve configured: replaced");
  });
});
