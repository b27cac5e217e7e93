/**
 * generate_code with the hosted backend, end to end: the CLI as a subprocess against the fake
 * Stainless API over real HTTP, with real git clones. Builds that succeed, how local main moves,
 * dry runs; API and build failures are in generate_hosted_failures_test.ts.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { join } from "node:path";
import { assertNoSecrets, assertNothingPersisted, scenario } from "../helpers/hosted_scenario.ts";
import { head, removeAll, treeFiles } from "../helpers/sdk_clone.ts";
import { commitFiles } from "../helpers/git_fixtures.ts";
import { git, gitOutput } from "../../lib/git/git.ts";
import { sha256Hex } from "../../lib/core/sha256.ts";

Deno.test("stainless: a build's commit becomes local main; request bodies, auth and secrets are right", async () => {
  const s = await scenario();
  try {
    const result = await s.run();
    assertEquals(result.code, 0, result.stderr);
    const built = s.fake.builds[0];
    // Main is the build's commit plus one commit adding the origin stamp.
    const main = await head(s.clone, "main");
    assertEquals(await head(s.clone, "main^"), built.commits.python);
    assertEquals(await treeFiles(s.clone), [
      ".codegen/openapi.json",
      ".codegen/origin.json",
      "README.md",
      "src/weave_server_sdk/__init__.py",
    ]);
    const stamp = JSON.parse(await Deno.readTextFile(join(s.clone, ".codegen/origin.json")));
    assertEquals(stamp.codegen.generator, "stainless");
    assertEquals(stamp.codegen.post_generate, null, "no hook runs with the hosted generator");
    // Beside the stamp: the committed spec's exact bytes, whose sha256 the stamp records.
    const specBytes = await Deno.readFile(join(s.repo, "tools/codegen/openapi.json"));
    assertEquals(await Deno.readFile(join(s.clone, ".codegen/openapi.json")), specBytes);
    assertEquals(stamp["tools/codegen/openapi.json"], `sha256:${await sha256Hex(specBytes)}`);
    assertStringIncludes(await Deno.readTextFile(join(s.clone, "README.md")), built.id); // worktree moved too
    // The result lines, then the run's warnings (the fake build has a warning diagnostic).
    assertEquals(
      result.stdout.trim(),
      `python\t${s.clone}\tmain ${main}\tupdated\nwarnings\t1\n` +
        "\tstainless: warning Schema/ObjectHasNoProperties: CallEndRes has no properties " +
        "[spec #/components/schemas/CallEndRes]",
    );

    // Nothing changed: a second run makes no build, and says main is up to date.
    const again = await s.run(["--json"]);
    assertEquals(again.code, 0, again.stderr);
    assertEquals(s.fake.builds.length, 1, "no second build");
    assertMatch(JSON.parse(again.stdout).targets.python.skipped, /same inputs/);
    assertEquals(await head(s.clone, "main"), main);

    // Every request carried the bearer token; the build request has the documented shape.
    assert(s.fake.requests.every((r) => r.authorization === `Bearer ${s.fake.apiKey}`));
    const create = s.fake.requests.find((r) => r.method === "POST" && r.path === "/v0/builds")!;
    const body = create.body as Record<string, unknown>;
    assertEquals({ ...body, revision: undefined }, {
      project: "weave",
      branch: "main",
      allow_empty: true,
      targets: ["python"],
      revision: undefined,
    });
    const revision = body.revision as Record<string, { content: string }>;
    assertEquals(Object.keys(revision).sort(), ["openapi.json", "stainless.yml"]);
    assertEquals(
      revision["openapi.json"].content,
      await Deno.readTextFile(join(s.repo, "tools/codegen/openapi.json")),
    );
    assertEquals(
      revision["stainless.yml"].content,
      await Deno.readTextFile(join(s.repo, "tools/codegen/openapi.stainless.yml")),
    );
    const output = s.fake.requests.find((r) => r.path === "/v0/build_target_outputs")!;
    assertEquals(output.query, {
      build_id: built.id,
      target: "python",
      type: "source",
      output: "git",
    });
    // Diagnostics are paginated (two per page in the fake): all pages were read.
    assertEquals(s.fake.requests.filter((r) => r.path.endsWith("/diagnostics")).length, 2);
    assertStringIncludes(result.stderr, "build diagnostics: 1 warning, 1 note");
    // The warning diagnostic is a generator warning: shown at normal verbosity, counted.
    assertStringIncludes(result.stderr, "warning: stainless: warning Schema/ObjectHasNoProperties");
    assertStringIncludes(result.stderr, "1 warning (listed above)");
    // Progress: one plain line per change when stderr is not a terminal.
    assertStringIncludes(result.stderr, "python: commit in_progress");
    assertStringIncludes(result.stderr, "lint success, build success, test success");
    assertNoSecrets(s, result);
    await assertNothingPersisted(s);
  } finally {
    await s.cleanup();
  }
});

Deno.test("stainless: a dirty checked-out main is refused before any build is created", async () => {
  const s = await scenario();
  try {
    await Deno.writeTextFile(join(s.clone, "README.md"), "my unsaved work\n");
    const result = await s.run();
    assertEquals(result.code, 1);
    assertStringIncludes(result.stderr, "has uncommitted changes");
    assertStringIncludes(result.stderr, "stash");
    assertEquals(s.fake.requests.length, 0);
    assertEquals(await Deno.readTextFile(join(s.clone, "README.md")), "my unsaved work\n");
  } finally {
    await s.cleanup();
  }
});

Deno.test("stainless: main not checked out: only the ref moves; other work is untouched", async () => {
  const s = await scenario();
  try {
    await git(s.clone, ["checkout", "--quiet", "-b", "feature"]);
    await commitFiles(s.clone, { message: "feature work", files: { "feature.txt": "f\n" } });
    await Deno.writeTextFile(join(s.clone, "feature.txt"), "uncommitted\n");
    const result = await s.run(["--json"]);
    assertEquals(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assertEquals(json.generator, "stainless");
    assertEquals(json.buildId, "bui_fake_000001");
    assertEquals(json.targets.python.commit, await head(s.clone, "main"));
    assertEquals(await head(s.clone, "main^"), s.fake.builds[0].commits.python);
    assertEquals(await gitOutput(s.clone, ["symbolic-ref", "--short", "HEAD"]), "feature");
    assertEquals(await Deno.readTextFile(join(s.clone, "feature.txt")), "uncommitted\n");
  } finally {
    await s.cleanup();
  }
});

Deno.test("stainless: --dry-run makes no build and changes nothing", async () => {
  const s = await scenario();
  try {
    const before = await head(s.clone, "main");
    const result = await s.run(["--dry-run"], { STAINLESS_API_KEY: "" });
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(result.stderr, "STAINLESS_API_KEY is not set");
    assertMatch(
      result.stderr,
      /\[dry-run\] would POST \/v0\/builds: project weave, branch main, targets python/,
    );
    assertStringIncludes(result.stderr, "checked out in");
    assertEquals(s.fake.requests.length, 0);
    assertEquals(await head(s.clone, "main"), before);
  } finally {
    await s.cleanup();
  }
});

Deno.test("stainless: two targets, custom project and branch, a clone created with --init", async () => {
  const s = await scenario();
  const tsClone = join(await Deno.makeTempDir({ prefix: "ts-parent-" }), "ts-sdk");
  try {
    const missing = await s.run(["--typescript-path", tsClone]);
    assertEquals(missing.code, 2);
    assertStringIncludes(missing.stderr, `typescript SDK clone ${tsClone} does not exist`);
    assertStringIncludes(missing.stderr, "--init");

    const result = await s.run([
      "--typescript-path",
      tsClone,
      "--init",
      "--project",
      "acme",
      "--branch",
      "next",
    ]);
    assertEquals(result.code, 0, result.stderr);
    const body = s.fake.requests.find((r) => r.method === "POST")!.body as Record<string, unknown>;
    assertEquals([body.project, body.branch, body.targets], ["acme", "next", [
      "python",
      "typescript",
    ]]);
    assertEquals(await head(tsClone, "main^"), s.fake.builds[0].commits.typescript);
    assertEquals(await treeFiles(tsClone), [
      ".codegen/openapi.json",
      ".codegen/origin.json",
      "README.md",
      "src/index.ts",
    ]);
  } finally {
    await s.cleanup();
    await removeAll(join(tsClone, ".."));
  }
});
