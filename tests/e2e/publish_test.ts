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
import { commitFiles, gitIn } from "../helpers/git_fixtures.ts";
import { buildProgram } from "../../main.ts";
import { type OptionDef, type OptionDefs, spellingsOf } from "../../lib/cli/command.ts";

function publish(f: DeliveryFixture, args: string[] = [], env: Record<string, string> = {}) {
  return f.cli(["publish", "--python-output", f.sdk, "--github-repo", SDK_REPO, ...args], env);
}

const PYPROJECT = (version: string) => `[project]\nname = "acme_sdk"\nversion = "${version}"\n`;
const TRACE_PYPROJECT =
  `[project]\nname = "weave"\nversion = "0.0.1"\n\n[project.optional-dependencies]\nstainless = []\n`;
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
      `git -C ${f.sdk} pull --ff-only origin main && codegen update_pyproject --release`,
    );
    // The SDK clone itself did not move.
    assertEquals(await gitIn(f.sdk, "log", "--format=%s", "main"), "Generated SDK");

    const again = await publish(f, ["--bump", "major"]);
    assertEquals(again.code, 0, again.stderr);
    assertMatch(
      again.stdout,
      /^python: nothing to release: v0\.1\.0 is the latest release on main of wandb\/weave-server-sdk \(no commit since v0\.1\.0\)/,
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
    // The hinted step works as printed, in a clone whose main tracks nothing, and --release
    // reads the version from setup.py as publish does.
    const hinted = `git -C ${f.sdk} checkout main && git -C ${f.sdk} pull --ff-only origin main ` +
      `&& codegen update_pyproject --release`;
    assertStringIncludes(first.stderr, `to pin 0.1.0 in the trace repository, run:\n${hinted}\n`);
    await gitIn(f.sdk, "checkout", "--quiet", "main");
    await gitIn(f.sdk, "-c", "pull.rebase=false", "pull", "--quiet", "--ff-only", "origin", "main");
    assertEquals(await gitIn(f.sdk, "log", "-1", "--format=%s"), "release: 0.1.0");
    await Deno.writeTextFile(`${f.trace}/pyproject.toml`, TRACE_PYPROJECT);
    const pinned = await f.cli([
      "update_pyproject",
      "--python-output",
      f.sdk,
      "--package-name",
      PACKAGE,
      "--release",
    ]);
    assertEquals(pinned.code, 0, pinned.stderr);
    assertStringIncludes(
      await Deno.readTextFile(`${f.trace}/pyproject.toml`),
      `"${PACKAGE}==0.1.0"`,
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

Deno.test("publish --branch releases another branch than the default; its hints name only flags publish takes", async () => {
  await withDelivery(async (f) => {
    await gitIn(f.work, "fetch", "--quiet", "origin");
    await gitIn(f.work, "checkout", "--quiet", "-B", "release/1.x", "origin/main");
    await gitIn(f.work, "commit", "--quiet", "--allow-empty", "-m", "Backported fix");
    await gitIn(f.work, "push", "--quiet", "origin", "release/1.x");
    const mainBefore = await gitIn(f.bare, "rev-parse", "main");

    const r = await publish(f, ["--branch", "release/1.x", "--json"]);
    assertEquals(r.code, 0, r.stderr);
    const [released] = jsonOf(r).releases as Record<string, unknown>[];
    assertEquals([released.action, released.branch, released.tag], [
      "released",
      "release/1.x",
      "v0.1.0",
    ]);
    assertEquals(
      await gitIn(f.bare, "log", "-2", "--format=%s", "v0.1.0"),
      "release: 0.1.0\nBackported fix",
    );
    assertEquals(
      await gitIn(f.bare, "rev-parse", "release/1.x"),
      await gitIn(f.bare, "rev-parse", "v0.1.0^{commit}"),
    );
    assertEquals(
      await gitIn(f.bare, "rev-parse", "main"),
      mainBefore,
      "the default branch did not move",
    );
    assertStringIncludes(
      r.stderr,
      `git -C ${f.sdk} checkout --detach v0.1.0 && codegen update_pyproject --release\n`,
    );

    const missing = await publish(f, ["--branch", "no-such-branch"]);
    assertEquals(missing.code, 1, missing.stderr);
    assertStringIncludes(missing.stderr, "origin has no branch no-such-branch to release from");
    const hint = /^hint: (.*)$/m.exec(missing.stderr)?.[1] ?? "";
    assertStringIncludes(hint, "--branch");
    const program = buildProgram();
    const def = program.commands.find((c) => c.name === "publish")!;
    const accepted = [
      ...Object.values(def.options as OptionDefs),
      ...Object.values(program.globals),
    ].flatMap((o: OptionDef) => spellingsOf(o));
    for (const flag of hint.match(/--[a-z][a-z-]*/g) ?? []) {
      assert(accepted.includes(flag), `publish takes ${flag}, which its hint names`);
    }
    assertNoToken(f, r, missing);
  });
});

Deno.test("publish --branch release/1.x after main released 2.0.0: 1.0.1 from the branch's own last release, not latest", async () => {
  await withDelivery(async (f) => {
    assertEquals((await publish(f, ["--version", "1.0.0"])).code, 0);
    await gitIn(f.work, "fetch", "--quiet", "origin");
    await gitIn(f.work, "push", "--quiet", "origin", "v1.0.0^{commit}:refs/heads/release/1.x");
    await f.land({ "README.md": "main moves on\n" });
    assertEquals((await publish(f, ["--version", "2.0.0"])).code, 0);
    await gitIn(f.work, "fetch", "--quiet", "origin");
    await gitIn(f.work, "checkout", "--quiet", "-B", "release/1.x", "origin/release/1.x");
    await commitFiles(f.work, { message: "Backported fix", files: { "fix.txt": "fix\n" } });
    await gitIn(f.work, "push", "--quiet", "origin", "release/1.x");
    const mainBefore = await gitIn(f.bare, "rev-parse", "main");

    // 2.0.0 is taken, by main's release: refused, nothing pushed.
    const taken = await publish(f, ["--branch", "release/1.x", "--version", "2.0.0"]);
    assertEquals(taken.code, 1, taken.stderr);
    assertStringIncludes(taken.stderr, "the tag v2.0.0 already exists on origin");
    const r = await publish(f, ["--branch", "release/1.x", "--bump", "patch", "--json"]);
    assertEquals(r.code, 0, r.stderr);
    const [released] = jsonOf(r).releases as Record<string, unknown>[];
    assertEquals(
      [released.version, released.previousVersion, released.tag, released.defaultBranch],
      ["1.0.1", "1.0.0", "v1.0.1", false],
    );
    assertEquals(
      await gitIn(f.bare, "log", "-2", "--format=%s", "release/1.x"),
      "release: 1.0.1\nBackported fix",
    );
    assertEquals(
      await gitIn(f.bare, "rev-parse", "release/1.x"),
      await gitIn(f.bare, "rev-parse", "v1.0.1^{commit}"),
    );
    assertEquals(await gitIn(f.bare, "show", "v1.0.1:pyproject.toml"), PYPROJECT("1.0.1").trim());
    assertEquals(await gitIn(f.bare, "rev-parse", "main"), mainBefore, "main untouched");
    assertEquals(await tags(f), "v1.0.0\nv1.0.1\nv2.0.0");
    const latest = () => releases(f).map((r) => [r.tag_name, r.make_latest]);
    assertEquals(latest(), [["v1.0.0", "true"], ["v2.0.0", "true"], ["v1.0.1", "false"]]);

    // A rerun finds the branch released; --version 1.0.1 is not "below the last release".
    const rerun = await publish(f, ["--branch", "release/1.x", "--version", "1.0.1", "-n"]);
    assertEquals(rerun.code, 0, rerun.stderr);
    assertStringIncludes(rerun.stderr, "release/1.x has no commit since v1.0.1");
    assertStringIncludes(rerun.stdout, "v1.0.1 is the latest release on release/1.x of");

    // The pin step printed moves no branch of the SDK clone, and pins 1.0.1.
    // The command alone on its line (pasted whole, it runs), the note on the next one.
    assertStringIncludes(r.stderr, "to pin 1.0.1 in the trace repository, run:\ngit -C");
    const step = /run:\n(git .*) && codegen update_pyproject --release\n\(this detaches/
      .exec(r.stderr)?.[1];
    assertEquals(
      step,
      `git -C ${f.sdk} fetch origin tag v1.0.1 && git -C ${f.sdk} checkout --detach v1.0.1`,
    );
    const sdkMain = await gitIn(f.sdk, "rev-parse", "main");
    await gitIn(f.sdk, "fetch", "--quiet", "origin", "tag", "v1.0.1");
    await gitIn(f.sdk, "checkout", "--quiet", "--detach", "v1.0.1");
    await Deno.writeTextFile(`${f.trace}/pyproject.toml`, TRACE_PYPROJECT);
    const pinned = await f.cli(["update_pyproject", f.sdk, PACKAGE, "--release"]);
    assertEquals(pinned.code, 0, pinned.stderr);
    assertStringIncludes(await Deno.readTextFile(`${f.trace}/pyproject.toml`), `${PACKAGE}==1.0.1`);
    assertEquals(await gitIn(f.sdk, "rev-parse", "main"), sdkMain, "the clone's main stayed");

    // The default branch's flow is unchanged: main's next patch is 2.0.1, and latest.
    await f.land({ "README.md": "main again\n" });
    const next = await publish(f, ["--bump", "patch", "--json"]);
    assertEquals(next.code, 0, next.stderr);
    const [onMain] = jsonOf(next).releases as Record<string, unknown>[];
    assertEquals(
      [onMain.version, onMain.previousVersion, onMain.branch, onMain.defaultBranch],
      ["2.0.1", "2.0.0", "main", true],
    );
    assertEquals(latest().at(-1), ["v2.0.1", "true"]);
    // Its pin step works from the clone the maintenance step left detached.
    assertStringIncludes(
      next.stderr,
      `git -C ${f.sdk} checkout main && git -C ${f.sdk} pull --ff-only origin main && codegen`,
    );
    await gitIn(f.sdk, "checkout", "--quiet", "main");
    await gitIn(f.sdk, "-c", "pull.rebase=false", "pull", "--quiet", "--ff-only", "origin", "main");
    assertEquals(await gitIn(f.sdk, "log", "-1", "--format=%s"), "release: 2.0.1");
    assertEquals(await gitIn(f.bare, "rev-parse", "release/1.x"), released.commit);
    assertNoToken(f, taken, r, rerun, next);
  });
});
