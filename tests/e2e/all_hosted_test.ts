/**
 * `codegen all` with the hosted generator: the real example server for the spec, the fake
 * Stainless API for the build (real HTTP, real git output), real pushes to the SDK's origin.
 * The summary and the JSON result name the build.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import { hostedEnv, startFakeStainless } from "../helpers/fake_stainless.ts";
import { createWorkspace } from "../helpers/workspace.ts";
import { gitIn } from "../helpers/git_fixtures.ts";

Deno.test("all --generator stainless: build id in the summary and the JSON; its commit is pushed and pinned", async () => {
  const fake = await startFakeStainless();
  const ws = await createWorkspace();
  try {
    await Deno.writeTextFile(
      join(ws.trace, "tools/codegen/generate_config.yaml"),
      [
        `python_output: ${ws.sdk}`,
        "package_name: weave_server_sdk",
        "generator: stainless",
        "poll_interval: 0.01",
        `port: ${ws.port}`,
      ].join("\n") + "\n",
    );
    const env: Record<string, string> = {
      ...hostedEnv(fake),
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
    };
    const result = await runCli(["all", "--json"], { cwd: ws.trace, env, timeoutMs: 300_000 });
    assertEquals(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    const build = fake.builds[0];
    assert(build, "one build was created");
    assertEquals(json.generate.generator, "stainless");
    assertEquals(json.generate.buildId, build.id);

    // The build got the spec the spec stage had just written, and the Stainless config.
    const create = fake.requests.find((r) => r.method === "POST" && r.path === "/v0/builds");
    const spec = await Deno.readTextFile(join(ws.trace, "tools/codegen/openapi.json"));
    const revision = (create?.body as { revision: Record<string, { content: string }> }).revision;
    assertEquals(revision["openapi.json"].content, spec);
    assertStringIncludes(revision["stainless.yml"].content, "organization:");

    // The generated commit, plus its origin stamp on top, is what the mirror branch holds, and
    // what is pinned.
    const generated = build.commits.python;
    const mirror = await gitIn(
      ws.bare,
      "for-each-ref",
      "--format=%(objectname)",
      "refs/heads/weave/my-feature",
    );
    assertEquals(json.merge.commit, mirror);
    assertEquals(await gitIn(ws.sdk, "rev-parse", "main^"), generated);
    assertEquals(
      await gitIn(ws.bare, "rev-parse", `${mirror}^{tree}`),
      await gitIn(ws.sdk, "rev-parse", "main^{tree}"),
    );
    // The stamp commit adds only .codegen/: the rest is the build's tree as Stainless made it.
    assertEquals(
      await gitIn(ws.sdk, "diff", "--name-only", generated, mirror),
      ".codegen/openapi.json\n.codegen/origin.json",
    );
    // Beside the stamp, the spec the SDK was generated from, byte for byte (open-pr, publish).
    assertEquals(
      await gitIn(ws.bare, "rev-parse", `${mirror}:.codegen/openapi.json`),
      await gitIn(ws.trace, "hash-object", "tools/codegen/openapi.json"),
    );
    const stamp = JSON.parse(await gitIn(ws.bare, "show", `${mirror}:.codegen/origin.json`));
    assertEquals(stamp.codegen.generator, "stainless");
    assertEquals(stamp.codegen.generator_version, "hosted: project weave, branch main");
    assertStringIncludes(await Deno.readTextFile(ws.pyproject), `@${mirror}"`);

    // The human summary carries the same build id (--regenerate: nothing changed, so a plain
    // rerun would make no build at all).
    const text = await runCli(["all", "--dry-run"], { cwd: ws.trace, env, timeoutMs: 300_000 });
    assertEquals(text.code, 0, text.stderr);
    const again = await runCli(["all", "--regenerate"], {
      cwd: ws.trace,
      env,
      timeoutMs: 300_000,
    });
    assertEquals(again.code, 0, again.stderr);
    assertMatch(
      again.stdout,
      new RegExp(`generator\\s+stainless \\(build ${fake.builds[1].id}\\)`),
    );
    for (const secret of [fake.apiKey, fake.gitToken, env.GITHUB_TOKEN]) {
      assert(
        !(result.stdout + result.stderr + again.stdout + again.stderr).includes(secret),
        "no secret in the output",
      );
    }
  } finally {
    await fake.close();
    await ws.dispose();
  }
});
