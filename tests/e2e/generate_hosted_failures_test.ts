/**
 * generate_code with the hosted backend when the API or the build fails: missing environment,
 * rejected key, retried rate limits and server errors, failed conclusions and steps, timeouts,
 * unfetchable outputs. The fake Stainless API injects each fault over real HTTP.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { assertNoSecrets, assertNothingPersisted, scenario } from "../helpers/hosted_scenario.ts";
import { head } from "../helpers/sdk_clone.ts";
import { gitOutput } from "../../lib/git/git.ts";

Deno.test("stainless: missing environment variables are all named, before any request", async () => {
  const s = await scenario();
  try {
    const result = await s.run([], { STAINLESS_API_KEY: "", GITHUB_TOKEN: "" });
    assertEquals(result.code, 2);
    assertStringIncludes(result.stderr, "STAINLESS_API_KEY and GITHUB_TOKEN");
    assertMatch(result.stderr, /STAINLESS_API_KEY: API key of the hosted Stainless generator/);
    assertMatch(result.stderr, /GITHUB_TOKEN: GitHub token/);
    assertEquals(s.fake.requests.length, 0);
    const onlyGithub = await s.run([], { GITHUB_TOKEN: "" });
    assertEquals(onlyGithub.code, 2);
    assertMatch(onlyGithub.stderr, /needs GITHUB_TOKEN in the environment/);
  } finally {
    await s.cleanup();
  }
});

Deno.test("stainless: a rejected API key (401) fails with a hint and prints no secret", async () => {
  const s = await scenario({ unauthorized: true });
  try {
    const before = await head(s.clone, "main");
    const result = await s.run();
    assertEquals(result.code, 1);
    assertStringIncludes(result.stderr, "the API key was rejected (401)");
    assertStringIncludes(result.stderr, "Check STAINLESS_API_KEY");
    assertEquals(s.fake.requests.length, 1); // 401 is not retried
    assertEquals(await head(s.clone, "main"), before);
    assertNoSecrets(s, result);
  } finally {
    await s.cleanup();
  }
});

Deno.test("stainless: 429 with retry-after and a burst of 500s are retried", async () => {
  const s = await scenario({ rateLimit: { count: 1, retryAfter: "0.2" }, serverErrors: 2 });
  try {
    const result = await s.run();
    assertEquals(result.code, 0, result.stderr);
    const creates = s.fake.requests.filter((r) => r.method === "POST");
    assertEquals(creates.map((r) => r.retryCount), ["0", "1"]);
    const polls = s.fake.requests.filter((r) => /^\/v0\/builds\/[^/]+$/.test(r.path));
    assertEquals(polls.slice(0, 3).map((r) => r.retryCount), ["0", "1", "2"]);
    assertMatch(result.stderr, /Stainless API: .*429.*retrying/);
    assertEquals(await head(s.clone, "main^"), s.fake.builds[0].commits.python);
  } finally {
    await s.cleanup();
  }
});

Deno.test("stainless: a fatal conclusion fails with diagnostics by severity; main untouched", async () => {
  const s = await scenario({ commitConclusion: "fatal" });
  try {
    const before = await head(s.clone, "main");
    const result = await s.run();
    assertEquals(result.code, 1);
    assertStringIncludes(result.stderr, "Stainless build bui_fake_000001 failed");
    assertStringIncludes(result.stderr, "python: commit step concluded `fatal`");
    const fatal = result.stderr.indexOf("fatal (1):");
    const error = result.stderr.indexOf("error (1):");
    const warning = result.stderr.indexOf("warning (1):");
    assert(fatal >= 0 && fatal < error && error < warning, result.stderr);
    assertStringIncludes(
      result.stderr,
      "Endpoint/NotFound: post /calls/missing is not in the spec",
    );
    assertNotMatch(result.stderr, /An ignored note/);
    assertStringIncludes(result.stderr, "Fix the fatal diagnostics");
    assertEquals(await head(s.clone, "main"), before);
    assertEquals(s.fake.requests.filter((r) => r.path === "/v0/build_target_outputs").length, 0);
  } finally {
    await s.cleanup();
  }
});

Deno.test("stainless: a failed lint step fails the run unless --fail-on leaves lint out", async () => {
  const s = await scenario({ failStep: "lint" });
  try {
    const failed = await s.run();
    assertEquals(failed.code, 1);
    assertStringIncludes(failed.stderr, "python: lint step concluded `failure`");
    assertStringIncludes(failed.stderr, "--fail-on without lint");
    // The commit itself was good, so it was fetched; the report says so.
    assertStringIncludes(failed.stderr, "python: local main moved to");
    assertEquals(await head(s.clone, "main^"), s.fake.builds[0].commits.python);

    // The same inputs: only --regenerate builds again (main holds that build's code).
    const tolerated = await s.run(["--fail-on", "build,test", "--regenerate"]);
    assertEquals(tolerated.code, 0, tolerated.stderr);
    assertStringIncludes(tolerated.stderr, "lint step concluded `failure`");
    assertEquals(await head(s.clone, "main^"), s.fake.builds[1].commits.python);
    // The user's initial commit was kept on a backup branch once; codegen's own commit was not.
    const backups = await gitOutput(s.clone, [
      "branch",
      "--list",
      "codegen/backup/*",
      "--format=%(objectname)",
    ]);
    assertEquals(backups.split("\n").length, 1);
    assertEquals(await gitOutput(s.clone, ["log", "--format=%s", "-1", backups]), "initial");
  } finally {
    await s.cleanup();
  }
});

Deno.test("stainless: a build that never completes times out", async () => {
  const s = await scenario({ neverComplete: true });
  try {
    const result = await s.run(["--build-timeout", "0.3"]);
    assertEquals(result.code, 1);
    assertStringIncludes(result.stderr, "build did not complete within 0.3 s");
    assertStringIncludes(result.stderr, "Raise --build-timeout");
  } finally {
    await s.cleanup();
  }
});

Deno.test("stainless: an output that cannot be fetched fails the run; main untouched", async () => {
  const s = await scenario({ brokenOutput: true });
  try {
    const before = await head(s.clone, "main");
    const result = await s.run();
    assertEquals(result.code, 1);
    assertStringIncludes(result.stderr, "fetching the generated code failed");
    assertStringIncludes(result.stderr, "fetch the generated python code failed");
    assertEquals(await head(s.clone, "main"), before);
    assertNoSecrets(s, result);
    await assertNothingPersisted(s);
  } finally {
    await s.cleanup();
  }
});
