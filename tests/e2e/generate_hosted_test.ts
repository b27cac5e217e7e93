/**
 * generate_code with the hosted backend, end to end: the CLI as a subprocess against the fake
 * Stainless API over real HTTP, with real git clones.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { join } from "node:path";
import { type CliResult, runCli } from "../helpers/cli.ts";
import {
  type FakeFaults,
  type FakeStainless,
  hostedEnv,
  hostedGenerateArgs,
  startFakeStainless,
} from "../helpers/fake_stainless.ts";
import {
  commitFiles,
  head,
  makeClone,
  makeTraceRepo,
  removeAll,
  treeFiles,
} from "../helpers/sdk_clone.ts";
import { git, gitOutput } from "../../lib/git/git.ts";

interface Scenario {
  fake: FakeStainless;
  repo: string;
  clone: string;
  run(args?: string[], env?: Record<string, string>): Promise<CliResult>;
  cleanup(): Promise<void>;
}

async function scenario(faults: FakeFaults = {}): Promise<Scenario> {
  const fake = await startFakeStainless(faults);
  const repo = await makeTraceRepo();
  const clone = await makeClone();
  return {
    fake,
    repo,
    clone,
    run: (args = [], env = {}) =>
      runCli([...hostedGenerateArgs(repo, clone), ...args], {
        env: { ...hostedEnv(fake), ...env },
      }),
    cleanup: async () => {
      await fake.close();
      await removeAll(repo, clone);
    },
  };
}

function assertNoSecrets(s: Scenario, result: CliResult): void {
  for (const secret of [s.fake.apiKey, s.fake.gitToken, "ghp_userTokenForTests_123456"]) {
    assert(!result.stdout.includes(secret), "secret on stdout");
    assert(!result.stderr.includes(secret), "secret on stderr");
  }
}

async function assertNothingPersisted(s: Scenario): Promise<void> {
  const config = await Deno.readTextFile(join(s.clone, ".git/config"));
  assertNotMatch(config, /ghs_|ghp_|extraheader|remote "/i);
  assertEquals(await gitOutput(s.clone, ["for-each-ref", "refs/codegen"]), "");
  assertEquals(await Deno.stat(join(s.clone, ".git/FETCH_HEAD")).catch(() => null), null);
}

Deno.test("stainless: a build's commit becomes local main; request bodies, auth and secrets are right", async () => {
  const s = await scenario();
  try {
    const result = await s.run();
    assertEquals(result.code, 0, result.stderr);
    const built = s.fake.builds[0];
    assertEquals(await head(s.clone, "main"), built.commits.python);
    assertEquals(await treeFiles(s.clone), ["README.md", "src/weave_server_sdk/__init__.py"]);
    assertStringIncludes(await Deno.readTextFile(join(s.clone, "README.md")), built.id); // worktree moved too
    assertEquals(result.stdout.trim(), `python\t${s.clone}\tmain ${built.commits.python}\tupdated`);

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
    // Progress: one plain line per change when stderr is not a terminal.
    assertStringIncludes(result.stderr, "python: commit in_progress");
    assertStringIncludes(result.stderr, "lint success, build success, test success");
    assertNoSecrets(s, result);
    await assertNothingPersisted(s);
  } finally {
    await s.cleanup();
  }
});

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
    assertEquals(await head(s.clone, "main"), s.fake.builds[0].commits.python);
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
    assertEquals(await head(s.clone, "main"), s.fake.builds[0].commits.python);

    const tolerated = await s.run(["--fail-on", "build,test"]);
    assertEquals(tolerated.code, 0, tolerated.stderr);
    assertStringIncludes(tolerated.stderr, "lint step concluded `failure`");
    assertEquals(await head(s.clone, "main"), s.fake.builds[1].commits.python);
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
    await commitFiles(s.clone, { "feature.txt": "f\n" }, "feature work");
    await Deno.writeTextFile(join(s.clone, "feature.txt"), "uncommitted\n");
    const result = await s.run(["--json"]);
    assertEquals(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assertEquals(json.generator, "stainless");
    assertEquals(json.buildId, "bui_fake_000001");
    assertEquals(json.targets.python.commit, s.fake.builds[0].commits.python);
    assertEquals(await head(s.clone, "main"), s.fake.builds[0].commits.python);
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
    assertEquals(await head(tsClone, "main"), s.fake.builds[0].commits.typescript);
    assertEquals(await treeFiles(tsClone), ["README.md", "src/index.ts"]);
  } finally {
    await s.cleanup();
    await removeAll(join(tsClone, ".."));
  }
});
