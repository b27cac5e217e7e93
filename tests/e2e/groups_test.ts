/**
 * Endpoint groups end to end: `generate_code` with a stand-in generator that keeps the spec and
 * the Stainless config it is given (tests/fixtures/fake_generator.py --keep-spec --config), on the
 * example trace server's spec. A group by tag and a group by path glob (with an exclusion): the
 * generator gets only their operations and the components those reach, and a config without the
 * other methods; the committed spec stays whole. The selection is in the stamp and the skip
 * decision (CODEGEN_GROUPS too). Unknown groups and groups that match nothing are exit 2.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import { gitIn } from "../helpers/git_fixtures.ts";
import { exportExampleSpec } from "../helpers/sdk_clone.ts";
import { withLocal } from "../helpers/local_generate.ts";
import { weaveFile } from "../helpers/weave.ts";

const GROUPS = `endpoint_groups:
  objects:
    include: ["tag:Objects"]
  health:
    include: ["get /health"]
  calls:
    include: ["post /call/*"]
    exclude: ["operationId:call_read_call_read_post"]
groups: [objects]
`;

interface Received {
  paths: string[];
  schemas: string[];
  config: string;
}

/** What the generator was given, as committed on main of the clone. */
async function received(clone: string): Promise<Received> {
  const spec = JSON.parse(await gitIn(clone, "show", "main:weave_server_sdk/openapi.json"));
  return {
    paths: Object.keys(spec.paths).sort(),
    schemas: Object.keys(spec.components?.schemas ?? {}).sort(),
    config: await gitIn(clone, "show", "main:weave_server_sdk/config.yml"),
  };
}

Deno.test("endpoint groups: the generator gets the selected operations and what they reach", async () => {
  await withLocal(async (l) => {
    const specPath = join(l.repo, "tools/codegen/openapi.json");
    await exportExampleSpec(specPath);
    const committedSpec = await Deno.readTextFile(specPath);
    await Deno.writeTextFile(join(l.repo, "tools/codegen/generate_config.yaml"), GROUPS);
    const fake = ["--fake", "--config {config} --keep-spec"];

    // The default selection (groups: [objects]): a group by tag.
    const byTag = await l.run(fake);
    assertEquals(byTag.code, 0, byTag.stderr);
    const objects = await received(l.clone);
    assertEquals(objects.paths, ["/obj/create", "/obj/read"]);
    assertEquals(objects.schemas, [
      "HTTPValidationError",
      "ObjCreateReq",
      "ObjCreateRes",
      "ObjReadReq",
      "ObjReadRes",
      "ObjSchema",
      "ObjSchemaForInsert",
      "ValidationError",
    ]);
    assert(!objects.config.includes("/call/start"), "the calls methods left the config copy");
    assertStringIncludes(objects.config, "post /obj/create");
    // The README example (post /obj/create) stays with its endpoint; the transformations, applied
    // to the spec copy already, are not in the config copy.
    assertStringIncludes(objects.config, "example_requests:");
    assert(!objects.config.includes("transformations"), objects.config);
    assertStringIncludes(byTag.stderr, "endpoint groups objects(tag:Objects): 2 operation(s) kept");
    assertEquals(await Deno.readTextFile(specPath), committedSpec, "the committed spec is whole");
    const stamp = JSON.parse(await gitIn(l.clone, "show", "main:.codegen/origin.json"));
    assertEquals(stamp.codegen.endpoint_groups, {
      groups: [{ name: "objects", include: ["tag:Objects"], exclude: [] }],
    });

    // --group overrides groups:, a path glob with an exclusion; another selection regenerates.
    const byPath = await l.run([...fake, "--group", "calls", "--group", "health"]);
    assertEquals(byPath.code, 0, byPath.stderr);
    assertStringIncludes(byPath.stderr, "inputs changed since main");
    assertStringIncludes(byPath.stderr, "endpoint_groups");
    const calls = await received(l.clone);
    assertEquals(calls.paths, ["/call/end", "/call/start", "/health"]);
    assert(calls.schemas.includes("CallStartReq") && calls.schemas.includes("HealthRes"));
    assert(!calls.schemas.some((s) => s.startsWith("Obj")), calls.schemas.join(", "));
    assert(!calls.schemas.includes("CallReadReq"), "the excluded operation's schemas pruned");
    // The README examples named post /obj/create, left out: gone from the config copy.
    assert(!calls.config.includes("example_requests"), calls.config);
    assertStringIncludes(
      byPath.stderr,
      "and 2 reference(s) to left-out endpoints (readme.example_requests)",
    );

    // The same selection from CODEGEN_GROUPS (names separated by spaces): up to date.
    const made = JSON.parse(await gitIn(l.clone, "show", "main:.codegen/origin.json"));
    const env = await runCli([
      "--repo-root",
      l.repo,
      "generate_code",
      "--python-path",
      l.clone,
      "--generator",
      "command",
      "--generator-command",
      made.codegen.generator_command.join(" "),
      "--json",
    ], { env: { CODEGEN_GROUPS: "health calls", TMPDIR: l.tmp } });
    assertEquals(env.code, 0, env.stderr);
    assertStringIncludes(JSON.parse(env.stdout).targets.python.skipped, "is intact");
  });
});

Deno.test("endpoint groups: an unknown group and a group that matches nothing are exit 2", async () => {
  await withLocal(async (l) => {
    await exportExampleSpec(join(l.repo, "tools/codegen/openapi.json"));
    await Deno.writeTextFile(join(l.repo, "tools/codegen/generate_config.yaml"), GROUPS);
    const unknown = await l.run(["--fake", "", "--group", "objcts"]);
    assertEquals(unknown.code, 2, unknown.stderr);
    assertStringIncludes(
      unknown.stderr,
      "--group: unknown endpoint group `objcts` (did you mean `objects`?)",
    );
    const nothing = await l.run([
      "--fake",
      "",
      "--endpoint-group",
      "none=tag:Nope",
      "--group",
      "none",
    ]);
    assertEquals(nothing.code, 2, nothing.stderr);
    assertStringIncludes(nothing.stderr, "endpoint group `none` matches no operation of the spec");
    assertStringIncludes(nothing.stderr, "The spec's tags: Service, Calls, Objects");
    const clean = await gitIn(l.clone, "rev-list", "--count", "main");
    assertEquals(clean, "1", "nothing generated");
  });
});

Deno.test("endpoint groups: --all-groups selects every group; with --group it is a usage error", async () => {
  await withLocal(async (l) => {
    await exportExampleSpec(join(l.repo, "tools/codegen/openapi.json"));
    await Deno.writeTextFile(join(l.repo, "tools/codegen/generate_config.yaml"), GROUPS);
    const fake = ["--fake", "--config {config} --keep-spec"];
    const plan = await l.run([...fake, "--all-groups", "--dry-run"]);
    assertEquals(plan.code, 0, plan.stderr);
    assertStringIncludes(
      plan.stderr,
      "keep only the operations of the endpoint groups calls(post /call/*; exclude " +
        "operationId:call_read_call_read_post) + health(get /health) + objects(tag:Objects)",
    );
    const all = await l.run([...fake, "--all-groups"]);
    assertEquals(all.code, 0, all.stderr);
    assertEquals((await received(l.clone)).paths, [
      "/call/end",
      "/call/start",
      "/health",
      "/obj/create",
      "/obj/read",
    ]);
    const both = await l.run([...fake, "--all-groups", "--group", "objects"]);
    assertEquals(both.code, 2, both.stderr);
    assertStringIncludes(both.stderr, "option '--all-groups' cannot be used with '--group'");
  });
});

Deno.test("endpoint groups on the real Weave files: drift and strict_config only for what the groups keep", async () => {
  await withLocal(async (l) => {
    for (const name of ["openapi.json", "openapi.stainless.yml"]) {
      await Deno.copyFile(weaveFile(name), join(l.repo, "tools/codegen", name));
    }
    await Deno.writeTextFile(
      join(l.repo, "tools/codegen/generate_config.yaml"),
      `endpoint_groups:
  core:
    include: ["tag:Calls"]
  scores:
    include: ["/v2/{entity}/{project}/scores/**"]
`,
    );
    const fake = ["--fake", "--config {config}", "--json"];
    // The six drifted methods are v2_* ones, outside tag:Calls: no warning, strict has no say.
    const core = await l.run([...fake, "--group", "core", "--strict-config"]);
    assertEquals(core.code, 0, core.stderr);
    assertEquals(
      JSON.parse(core.stdout).warnings.filter((w: { message: string }) =>
        w.message.includes("is not in the spec")
      ),
      [],
    );
    // A group that keeps two of them by endpoint glob: warnings of the python target, which read
    // that copy; with --strict-config, an error listing the two.
    const scores = await l.run([...fake, "--group", "scores", "--regenerate"]);
    assertEquals(scores.code, 0, scores.stderr);
    const drift = JSON.parse(scores.stdout).warnings.filter((w: { message: string }) =>
      w.message.includes("is not in the spec")
    );
    assertEquals(drift.map((w: { target: string }) => w.target), ["python", "python"]);
    assertStringIncludes(
      scores.stderr,
      "warning: python: codegen: tools/codegen/openapi.stainless.yml:227: v2_scores.read:",
    );
    const strict = await l.run([...fake, "--group", "scores", "--regenerate", "--strict-config"]);
    assertEquals(strict.code, 1, strict.stderr);
    assertStringIncludes(strict.stderr, "2 entries do not match the spec (strict_config)");
  });
});
