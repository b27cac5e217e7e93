import { join } from "node:path";
import { assertEquals, assertRejects, assertThrows } from "../../../tests/helpers/assert.ts";
import { flagSettings } from "../../../tests/helpers/generate_input.ts";
import { withTempDir } from "../../../tests/helpers/temp_dir.ts";
import { buildOptions, buildRevision, revisionNames } from "./build_options.ts";

Deno.test("build options: defaults, settings, and fail_on's hosted steps only", () => {
  assertEquals(buildOptions(flagSettings("/repo")), {
    project: "weave",
    branch: "main",
    pollIntervalMs: 2000,
    timeoutMs: 900_000,
    failOn: ["lint", "build", "test"],
    maxRetries: 5,
  });
  const custom = flagSettings("/repo", {
    stainless_project: "p",
    stainless_branch: "b",
    poll_interval: 0.5,
    fail_on: "test,warnings,api-removals",
    api_max_retries: 2,
  });
  assertEquals(buildOptions(custom).maxRetries, 2);
  assertEquals(buildOptions(custom).failOn, ["test"]);
  assertEquals(buildOptions(custom).pollIntervalMs, 500);
  assertThrows(() => buildOptions(flagSettings("/repo", { fail_on: "tests" })), /tests/);
});

Deno.test("build revision: the two files' contents under the names stl uses", async () => {
  assertEquals(revisionNames("/a/spec.yaml", "/b/config"), ["openapi.yaml", "stainless.yml"]);
  await withTempDir("codegen-revision-", async (dir) => {
    const spec = join(dir, "openapi.json");
    const config = join(dir, "openapi.stainless.yml");
    await Deno.writeTextFile(spec, '{"openapi": "3.1.0"}');
    await Deno.writeTextFile(config, "organization: {}\n");
    assertEquals(await buildRevision(spec, config), {
      "openapi.json": { content: '{"openapi": "3.1.0"}' },
      "stainless.yml": { content: "organization: {}\n" },
    });
    await assertRejects(() => buildRevision(join(dir, "none.json"), config), /OpenAPI spec/);
  });
});
