/**
 * The merge plan, as data: whether a real run would push and what the pin would name, for each
 * state of origin's mirror branch. Real repositories (a bare origin on a local path); nothing is
 * fetched or written.
 */
import { assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { commitFiles, gitIn, TRACE_PYPROJECT } from "../../tests/helpers/git_fixtures.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { join } from "node:path";
import { prepareMerge } from "./prepare.ts";
import { planMerge } from "./mirror_plan.ts";
import { NEW_MIRROR_COMMIT } from "./types.ts";

const MIRROR = "weave/my-feature";

interface Repos {
  root: string;
  bare: string;
  sdk: string;
  trace: string;
}

/** A bare origin with main, the SDK clone (main pushed), and a trace repository on my-feature. */
function withRepos(fn: (r: Repos) => Promise<void>): Promise<void> {
  return withTempDir("codegen-plan-", async (root) => {
    const bare = join(root, "origin.git");
    await gitIn(root, "init", "--quiet", "--bare", "-b", "main", bare);
    const sdk = join(root, "sdk");
    await gitIn(root, "init", "--quiet", "-b", "main", sdk);
    await commitFiles(sdk, {
      message: "SDK",
      files: { "pyproject.toml": `[project]\nname = "weave_server_sdk"\nversion = "1.2.3"\n` },
    });
    await gitIn(sdk, "remote", "add", "origin", bare);
    await gitIn(sdk, "push", "--quiet", "origin", "main");
    const trace = join(root, "trace");
    await gitIn(root, "init", "--quiet", "-b", "my-feature", trace);
    await commitFiles(trace, { message: "trace", files: { "pyproject.toml": TRACE_PYPROJECT } });
    await fn({ root, bare, sdk, trace });
  });
}

async function plan(r: Repos, options: { release?: boolean; generatedLater?: boolean } = {}) {
  const prepared = await prepareMerge({
    traceRepo: r.trace,
    sdkRepo: r.sdk,
    packageName: "weave_server_sdk",
    pyprojectPath: join(r.trace, "pyproject.toml"),
    release: options.release,
    env: {},
    dryRun: true,
  });
  return await planMerge(prepared, { generatedLater: options.generatedLater });
}

/** Generated code on the clone's main: a new commit with `content`. */
const generate = (r: Repos, content: string) =>
  commitFiles(r.sdk, { message: "generated", files: { "src/sdk.py": content } });

Deno.test("no mirror branch yet: a new commit is pushed and pinned; nothing is written", async () => {
  await withRepos(async (r) => {
    const baseTip = await gitIn(r.sdk, "rev-parse", "main");
    const generated = await generate(r, "A = 1\n");
    const result = await plan(r);
    assertEquals(result.branch, MIRROR);
    assertEquals([result.baseBranch, result.baseTip, result.mirrorTip], [
      "main",
      baseTip,
      undefined,
    ]);
    assertEquals(result.generated, {
      commit: generated,
      tree: await gitIn(r.sdk, "rev-parse", "main^{tree}"),
    });
    assertEquals(result.push, "yes");
    assertEquals(result.pin.pins, { kind: "new mirror commit" });
    assertEquals(
      result.pin.result!.entry,
      `weave_server_sdk @ git+file://${r.bare}@${NEW_MIRROR_COMMIT}`,
    );
    assertEquals(await Deno.readTextFile(join(r.trace, "pyproject.toml")), TRACE_PYPROJECT);
    assertEquals(await gitIn(r.bare, "for-each-ref", `refs/heads/${MIRROR}`), "", "nothing pushed");
  });
});

Deno.test("the mirror branch already holds the generated tree: nothing to push, its tip is pinned", async () => {
  await withRepos(async (r) => {
    await generate(r, "A = 1\n");
    await gitIn(r.sdk, "push", "--quiet", "origin", `main:refs/heads/${MIRROR}`);
    const tip = await gitIn(r.bare, "rev-parse", MIRROR);
    const result = await plan(r);
    assertEquals([result.mirrorTip, result.push], [tip, "no"]);
    assertEquals(result.pin.pins, { kind: "known sha", sha: tip });
    assertStringIncludes(result.pin.result!.entry, `@${tip}`);
    // New generated code: a different tree, so a real run pushes again.
    await generate(r, "A = 2\n");
    assertEquals((await plan(r)).push, "yes");
  });
});

Deno.test("a mirror tip this clone has never fetched, or code generated later: push unless unchanged", async () => {
  await withRepos(async (r) => {
    const other = join(r.root, "other");
    await gitIn(r.root, "clone", "--quiet", r.bare, other);
    await commitFiles(other, { message: "elsewhere", files: { "x.py": "X = 1\n" } });
    await gitIn(other, "push", "--quiet", "origin", `HEAD:refs/heads/${MIRROR}`);
    await generate(r, "A = 1\n");
    const unknown = await plan(r);
    assertEquals(unknown.push, "unless unchanged");
    assertEquals(unknown.pin.pins, { kind: "new mirror commit" });
    const later = await plan(r, { generatedLater: true });
    assertEquals([later.generated, later.push], [undefined, "unless unchanged"]);
  });
});

Deno.test("--release pins the generated code's version, or says it is read later", async () => {
  await withRepos(async (r) => {
    await commitFiles(r.sdk, {
      message: "generated 2.0.0",
      files: { "pyproject.toml": `[project]\nname = "weave_server_sdk"\nversion = "2.0.0"\n` },
    });
    const now = await plan(r, { release: true });
    assertEquals(now.pin.pins, { kind: "version", version: "2.0.0" });
    assertEquals(now.pin.result!.entry, "weave_server_sdk==2.0.0");
    const later = await plan(r, { release: true, generatedLater: true });
    assertEquals(later.pin.pins, { kind: "version of the generated code" });
    assertEquals(later.push, "yes", "no mirror branch yet");
  });
});
