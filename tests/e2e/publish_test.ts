/**
 * `codegen publish` end to end: the CLI as a subprocess, real git against a bare SDK repository,
 * the fake GitHub API. Automatic bumps from `.codegen/openapi.json` in the SDK trees, each bump
 * kind, idempotent reruns, tag conflicts, an existing release updated, dry runs that send
 * nothing, and a shallow clone refused.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import {
  assertNoToken,
  type DeliveryFixture,
  jsonOf,
  PACKAGE,
  SDK_REPO,
  sdkTree,
  SPEC_AFTER,
  SPEC_BEFORE,
  SPEC_BREAKING,
  withDelivery,
} from "../helpers/delivery_fixture.ts";
import { gitIn } from "../helpers/git_fixtures.ts";

function publish(f: DeliveryFixture, args: string[] = [], env: Record<string, string> = {}) {
  return f.cli(["publish", "--python-output", f.sdk, "--github-repo", SDK_REPO, ...args], env);
}

const PYPROJECT = (version: string) => `[project]\nname = "acme_sdk"\nversion = "${version}"\n`;
const tags = (f: DeliveryFixture) =>
  gitIn(f.bare, "for-each-ref", "--format=%(refname:short)", "refs/tags");
const releases = (f: DeliveryFixture) => f.fake.repo(SDK_REPO).releases;

Deno.test("publish: first release, idempotent rerun, then auto bumps from the SDK trees' spec", async () => {
  await withDelivery(async (f) => {
    const first = await publish(f, ["--json"]);
    assertEquals(first.code, 0, first.stderr);
    const [released] = jsonOf(first).releases as Record<string, unknown>[];
    assertEquals(
      [released.target, released.action, released.version, released.tag, released.pushed],
      ["python", "released", "0.1.0", "v0.1.0", true],
    );
    assertEquals(await tags(f), "v0.1.0");
    assertEquals(releases(f).map((r) => [r.tag_name, r.draft]), [["v0.1.0", false]]);
    assertStringIncludes(
      first.stderr,
      `git -C ${f.sdk} pull --ff-only && codegen update_pyproject --release`,
    );
    // The SDK clone itself did not move.
    assertEquals(await gitIn(f.sdk, "log", "--format=%s", "main"), "Generated SDK");

    const again = await publish(f, ["--bump", "major"]);
    assertEquals(again.code, 0, again.stderr);
    assertMatch(
      again.stdout,
      /^python: nothing to release: v0\.1\.0 is the latest release of wandb\/weave-server-sdk \(no commit since v0\.1\.0\)/,
    );
    assertEquals(f.fake.requests.filter((r) => r.method !== "GET").length, 1, "one POST, once");

    await f.land(specTree(SPEC_AFTER));
    const minor = await publish(f);
    assertEquals(minor.code, 0, minor.stderr);
    assertStringIncludes(
      minor.stdout,
      "python: released v0.2.0 (0.1.0 -> 0.2.0: minor for API additions)",
    );
    await f.land(specTree(SPEC_BREAKING));
    const zeroBreaking = await publish(f);
    assertStringIncludes(
      zeroBreaking.stdout,
      "released v0.3.0 (0.2.0 -> 0.3.0: minor for breaking API changes (0.x))",
    );
    await f.land({ "pyproject.toml": PYPROJECT("1.0.0") });
    const unreleased = await publish(f);
    assertStringIncludes(unreleased.stdout, "1.0.0 is in the version files and was never released");
    await f.land(specTree(SPEC_BEFORE));
    const major = await publish(f);
    assertStringIncludes(
      major.stdout,
      "released v2.0.0 (1.0.0 -> 2.0.0: major for breaking API changes)",
    );
    await f.land({ "README.md": "docs only\n" });
    const patch = await publish(f);
    assertStringIncludes(patch.stdout, "released v2.0.1 (2.0.0 -> 2.0.1: patch for no API change)");
    await f.land({ ".codegen/openapi.json": null });
    const noSpec = await publish(f);
    assertStringIncludes(
      noSpec.stdout,
      "released v2.0.2 (2.0.1 -> 2.0.2: patch for no spec diff available)",
    );
    assertStringIncludes(
      noSpec.stderr,
      "no spec diff since v2.0.1: the commit released has no .codegen/openapi.json",
    );

    const changelog = await gitIn(f.bare, "show", "main:CHANGELOG.md");
    assertStringIncludes(changelog, "## 2.0.0 (");
    assertStringIncludes(changelog, "- `POST /widgets`: removed");
    assertStringIncludes(changelog, "## 0.2.0 (");
    assertStringIncludes(changelog, "- `POST /widgets`: added");
    assertEquals(await gitIn(f.bare, "show", "v2.0.2:pyproject.toml"), PYPROJECT("2.0.2").trim());
    assertEquals(releases(f).length, 7);
    assertNoToken(f, first, again, minor, major, patch, noSpec);
  });
});

/** The SDK's generated files for `spec` (its version files left as they are). */
function specTree(spec: unknown): Record<string, string> {
  const { "pyproject.toml": _version, ...files } = sdkTree(spec);
  return files;
}

Deno.test("publish: --bump and --version, tag prefix, a tag on another commit, a draft release published", async () => {
  await withDelivery(async (f) => {
    assertEquals((await publish(f, ["--tag-prefix", "python/"])).code, 0);
    await f.land({ "a.txt": "a\n" });
    const bumped = await publish(f, ["--tag-prefix", "python/", "--bump", "major", "--json"]);
    assertEquals(bumped.code, 0, bumped.stderr);
    const [result] = jsonOf(bumped).releases as { tag: string; bump: { kind: string } }[];
    assertEquals([result.tag, result.bump.kind], ["python/v1.0.0", "major"]);

    // Someone tagged v2.0.0 elsewhere: releasing 2.0.0 from the tip is refused.
    const stray = await f.land({ "b.txt": "b\n" });
    await gitIn(f.work, "tag", "python/v2.0.0", `${stray}^`);
    await gitIn(f.work, "push", "--quiet", "origin", "python/v2.0.0");
    const before = await gitIn(f.bare, "rev-parse", "main");
    const conflict = await publish(f, ["--tag-prefix", "python/", "--version", "2.0.0", "--json"]);
    assertEquals(conflict.code, 1, conflict.stderr);
    assertStringIncludes(conflict.stderr, "the tag python/v2.0.0 already exists on origin");
    assertStringIncludes(conflict.stderr, "hint: 2.0.0 was released from another commit");
    assertEquals(jsonOf(conflict).ok, false);
    assertEquals(await gitIn(f.bare, "rev-parse", "main"), before, "nothing pushed");

    // A draft release someone prepared for the next tag is filled in and published, not
    // duplicated.
    releases(f).push({
      id: 77,
      tag_name: "python/v2.1.0",
      target_commitish: "main",
      name: "draft",
      body: "to be written",
      draft: true,
      prerelease: false,
    });
    const next = await publish(f, ["--tag-prefix", "python/", "--version", "2.1.0", "--json"]);
    assertEquals(next.code, 0, next.stderr);
    const [withDraft] = jsonOf(next).releases as { release: Record<string, unknown> }[];
    assertEquals([withDraft.release.id, withDraft.release.created, withDraft.release.updated], [
      77,
      false,
      true,
    ]);
    const drafts = releases(f).filter((r) => r.tag_name === "python/v2.1.0");
    assertEquals(drafts.length, 1);
    assertEquals([drafts[0].name, drafts[0].draft], ["python/v2.1.0", false]);
    assertStringIncludes(drafts[0].body!, "### Commits");
  });
});

Deno.test("publish an SDK generated by openapi-python-client: its version is setup.py's, bumped in place", async () => {
  await withDelivery(async (f) => {
    // The real generator, through codegen: it leaves its commit on the clone's main.
    const generated = await f.cli([
      "generate_code",
      "--generator",
      "openapi-python-client",
      "--python-output",
      f.sdk,
      "--package-name",
      PACKAGE,
    ]);
    assertEquals(generated.code, 0, generated.stderr);
    await gitIn(f.sdk, "push", "--quiet", "origin", "main");
    const setupPy = await gitIn(f.bare, "show", "main:setup.py");
    assertMatch(setupPy, /^\s+version="0\.1\.0",$/m);

    const first = await publish(f, ["--json"]);
    assertEquals(first.code, 0, first.stderr);
    const [released] = jsonOf(first).releases as Record<string, unknown>[];
    assertEquals([released.action, released.version, released.versionFiles], [
      "released",
      "0.1.0",
      ["setup.py"],
    ]);
    // --release would look for [project].version: the hint pins the release's commit instead.
    assertStringIncludes(
      first.stderr,
      `to pin the release's commit in the trace repository: git -C ${f.sdk} pull --ff-only && codegen update_pyproject (--release needs [project].version in pyproject.toml; this SDK has its version in setup.py)`,
    );

    await f.land({ "README.md": "more docs\n" });
    const minor = await publish(f, ["--bump", "minor"]);
    assertEquals(minor.code, 0, minor.stderr);
    assertEquals(
      await gitIn(f.bare, "show", "v0.2.0:setup.py"),
      setupPy.replace('version="0.1.0"', 'version="0.2.0"'),
    );
  });
});

Deno.test("publish --dry-run sends no request and changes nothing; a shallow clone is refused", async () => {
  await withDelivery(async (f) => {
    assertEquals((await publish(f)).code, 0);
    await f.land(sdkTree(SPEC_AFTER));
    await gitIn(f.sdk, "fetch", "--quiet", "origin");
    const refs = async () =>
      [await gitIn(f.bare, "for-each-ref"), await gitIn(f.sdk, "for-each-ref")].join("\n");
    const before = await refs();
    f.fake.requests.length = 0;
    const plan = await publish(f, ["-n", "--json"], { GITHUB_TOKEN: "" });
    assertEquals(plan.code, 0, plan.stderr);
    const [dry] = jsonOf(plan).releases as {
      action: string;
      version: string;
      plannedGit: string[];
      plannedApi: { method: string; path: string }[];
    }[];
    assertEquals([dry.action, dry.version], ["dry-run", "0.2.0"]);
    assertMatch(dry.plannedGit[0], /^commit "release: 0\.2\.0" on main \(\w{12}\) changing /);
    assertEquals(dry.plannedApi.map((c) => `${c.method} ${c.path}`), [
      "GET /repos/wandb/weave-server-sdk/releases/tags/v0.2.0",
      "POST /repos/wandb/weave-server-sdk/releases",
    ]);
    assertEquals(f.fake.requests, []);
    assertEquals(await refs(), before);

    const shallow = `${f.root}/shallow`;
    await gitIn(f.root, "clone", "--quiet", "--depth=1", `file://${f.bare}`, shallow);
    const refused = await f.cli(["publish", "--python-output", shallow, "--github-repo", SDK_REPO]);
    assertEquals(refused.code, 2, refused.stderr);
    assertStringIncludes(refused.stderr, "is shallow; publishing needs the history");
    assertStringIncludes(refused.stderr, "fetch-depth: 0");
    assert(!refused.stdout.trim(), "no result on stdout");
  });
});
