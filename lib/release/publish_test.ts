/**
 * `publish` against a real bare origin and the fake GitHub API: each bump kind, idempotent
 * reruns, dry runs, the push lease, tag prefixes, TypeScript, locks (releases and drafts:
 * publish_releases_test.ts).
 */
import {
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { fakeClientOptions } from "../../tests/helpers/fake_github.ts";
import { removeAll } from "../../tests/helpers/sdk_clone.ts";
import { commitFiles } from "../../tests/helpers/git_fixtures.ts";
import type { CodegenError } from "../core/errors.ts";
import { git, gitOutput } from "../git/git.ts";
import { ensureClone, lockClones } from "../git/clone.ts";
import { snapshotTree } from "../../tests/helpers/tree_snapshot.ts";
import { GitHubClient } from "../github/client.ts";
import type { PublishOptions } from "./publish.ts";
import {
  ADDED,
  atOrigin,
  BREAKING,
  land,
  PYPROJECT,
  specChanges,
  subjects,
  tags,
  withFixture,
} from "../../tests/helpers/publish_fixture.ts";

Deno.test("first release: the unreleased version in the files, CHANGELOG.md, annotated tag, GitHub release", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.2.3"), "README.md": "sdk\n" }, async (f) => {
    await git(f.clone, ["fetch", "--quiet", "origin"]); // refs/remotes/origin/main
    const refs = () => gitOutput(f.clone, ["for-each-ref", "--format=%(refname) %(objectname)"]);
    const refsBefore = await refs();
    const worktree = await gitOutput(f.clone, ["status", "--porcelain", "--branch"]);
    const result = await f.run();
    assertEquals([result.action, result.version, result.tag, result.previousVersion], [
      "released",
      "1.2.3",
      "v1.2.3",
      "1.2.3",
    ]);
    assertEquals(result.bump.reason, "1.2.3 is in the version files and was never released");
    assertEquals((await subjects(f)).split("\n")[0], "release: 1.2.3");
    const head = await gitOutput(f.bare, ["rev-parse", "main"]);
    assertEquals(result.commit, head);
    assertEquals(await tags(f), `v1.2.3 tag ${head}`);
    assertEquals(await atOrigin(f, "v1.2.3", "pyproject.toml"), PYPROJECT("1.2.3").trimEnd());
    assertMatch(
      await atOrigin(f, "main", "CHANGELOG.md"),
      /^# Changelog\n\n## 1\.2\.3 \(2026-01-05\)\n\n### Commits\n\n- \w{7} initial$/,
    );
    const [release] = f.fake.repo("wandb/weave-sdk").releases;
    assertEquals([release.tag_name, release.name, release.target_commitish, release.prerelease], [
      "v1.2.3",
      "v1.2.3",
      head,
      false,
    ]);
    assertEquals(release.body, result.notes);
    assertEquals(result.release?.created, true);
    // The clone itself is where it was: its main did not move.
    assertEquals(await gitOutput(f.clone, ["log", "--format=%s", "main"]), "initial");
    // The push moved one ref of the clone, its remote-tracking origin/main, to what origin now
    // holds (as a fetch would); no local branch or tag, no index or worktree change.
    assertEquals(
      await refs(),
      refsBefore.replace(/(refs\/remotes\/origin\/main) \w+/, `$1 ${head}`),
    );
    assertEquals(await gitOutput(f.clone, ["status", "--porcelain", "--branch"]), worktree);
  });
});

Deno.test("each bump kind: auto by change level, major, minor, patch, --version; files edited in place", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.2.3") }, async (f) => {
    await f.run();
    const cases: [Partial<PublishOptions>, string, string][] = [
      [{ specChanges: specChanges(ADDED) }, "1.3.0", "minor for API additions"],
      [{ specChanges: specChanges(BREAKING) }, "2.0.0", "major for breaking API changes"],
      [
        { specChanges: specChanges({ added: [], removed: [], changed: [] }) },
        "2.0.1",
        "patch for no API change",
      ],
      [{}, "2.0.2", "patch for no spec diff available"],
      [{ bump: "minor" }, "2.1.0", "--bump minor"],
      [{ bump: "major", specChanges: specChanges(ADDED) }, "3.0.0", "--bump major"],
      [{ bump: "patch" }, "3.0.1", "--bump patch"],
      [{ version: "4.0.0-beta.1" }, "4.0.0-beta.1", "--version"],
    ];
    for (const [i, [options, version, reason]] of cases.entries()) {
      await land(f, { [`change${i}.txt`]: `${i}\n` });
      const result = await f.run(options);
      assertEquals([result.action, result.version, result.bump.reason], [
        "released",
        version,
        reason,
      ]);
      assertEquals(
        await atOrigin(f, `v${version}`, "pyproject.toml"),
        PYPROJECT(version).trimEnd(),
      );
    }
    const changelog = await atOrigin(f, "main", "CHANGELOG.md");
    assertMatch(changelog, /^# Changelog\n\n## 4\.0\.0-beta\.1 \(2026-01-05\)/);
    assertStringIncludes(
      changelog,
      "## 2.0.0 (2026-01-05)\n\n### ⚠️ Breaking changes\n\n- `DELETE /obj`: removed",
    );
    assertStringIncludes(changelog, "## 1.3.0 (2026-01-05)\n\n### Features\n\n- `GET /new`: added");
    const releases = f.fake.repo("wandb/weave-sdk").releases;
    assertEquals(releases.length, 9);
    assertEquals([releases[8].prerelease, releases[8].make_latest], [true, "false"]);
  });
});

Deno.test("0.x: breaking changes bump the minor version", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("0.4.1") }, async (f) => {
    await f.run();
    await land(f, { "x.txt": "x\n" });
    const result = await f.run({ specChanges: specChanges(BREAKING) });
    assertEquals([result.version, result.bump.reason], [
      "0.5.0",
      "minor for breaking API changes (0.x)",
    ]);
  });
});

Deno.test("idempotent: nothing new since the last tag → nothing done, whatever --bump says", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.0.0") }, async (f) => {
    await f.run();
    const before = [await subjects(f), await tags(f)];
    f.fake.requests.length = 0;
    for (const options of [{}, { bump: "major" as const }, { version: "1.0.0" }]) {
      const again = await f.run(options);
      assertEquals([again.action, again.version, again.pushed], ["up-to-date", "1.0.0", false]);
      assertEquals(again.release?.created, false);
    }
    assertEquals([await subjects(f), await tags(f)], before);
    assertEquals(f.fake.requests.filter((r) => r.method !== "GET"), []);
    assertEquals(f.fake.repo("wandb/weave-sdk").releases.length, 1);
    assertStringIncludes(f.log.text(), "nothing to release: main has no commit since v1.0.0");
  });
});

Deno.test("dry run: the plan, and no push, no object, no ref, no API request", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.0.0") }, async (f) => {
    await f.run();
    await land(f, { "x.txt": "x\n" });
    const refs = async () => [
      await gitOutput(f.bare, ["for-each-ref"]),
      await gitOutput(f.clone, ["for-each-ref"]),
    ];
    const before = await refs();
    const clone = await snapshotTree(f.clone);
    f.fake.requests.length = 0;
    const client = new GitHubClient({
      ...fakeClientOptions(f.fake),
      token: undefined,
      dryRun: true,
    });
    const result = await f.run({ client, specChanges: specChanges(ADDED) });
    assertEquals([result.action, result.version, result.pushed], ["dry-run", "1.1.0", false]);
    assertMatch(
      result.plannedGit![0],
      /^commit "release: 1\.1\.0" on main \(\w{12}\) changing pyproject\.toml, CHANGELOG\.md$/,
    );
    assertEquals(result.plannedApi!.map((c) => `${c.method} ${c.path}`), [
      "GET /repos/wandb/weave-sdk/releases/tags/v1.1.0",
      "POST /repos/wandb/weave-sdk/releases",
    ]);
    assertEquals(await refs(), before);
    assertEquals(await snapshotTree(f.clone), clone, "the clone, .git included, is byte-identical");
    assertEquals(f.fake.requests, []);
  });
});

Deno.test("a push to the branch meanwhile: the lease refuses, and the atomic push leaves no tag", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.0.0") }, async (f) => {
    await f.run();
    await land(f, { "x.txt": "x\n" });
    const other = await Deno.makeTempDir({ prefix: "sdk-other-" });
    try {
      await git(other, ["clone", "--quiet", f.bare, "."]);
      const racing = async () => {
        await commitFiles(other, { message: "someone else's commit", files: { "y.txt": "y\n" } });
        await git(other, ["push", "--quiet", "origin", "main"]);
        return ADDED;
      };
      const error = await assertRejects(
        () => f.run({ specChanges: racing }),
        /push the release commit and the tag v1\.1\.0 failed/,
      );
      assertStringIncludes(
        (error as CodegenError).hint!,
        "Nothing was pushed (the push is atomic)",
      );
      assertEquals((await subjects(f)).split("\n")[0], "someone else's commit");
      assertEquals((await tags(f)).split("\n").length, 1);
      assertEquals(f.fake.repo("wandb/weave-sdk").releases.length, 1);
    } finally {
      await removeAll(other);
    }
  });
});

Deno.test("tag prefix: python/vX.Y.Z; other targets' tags are ignored", async () => {
  await withFixture({
    "pyproject.toml": PYPROJECT("1.0.0"),
    "package.json": '{"version": "7.0.0"}\n',
  }, async (f) => {
    await git(f.clone, ["tag", "typescript/v7.0.0"]);
    await git(f.clone, ["push", "--quiet", "origin", "typescript/v7.0.0"]);
    const first = await f.run({ tagPrefix: "python/" });
    assertEquals([first.action, first.tag], ["released", "python/v1.0.0"]);
    await land(f, { "x.txt": "x\n" });
    const next = await f.run({ tagPrefix: "python/", bump: "patch" });
    assertEquals(next.tag, "python/v1.0.1");
    assertEquals(f.fake.repo("wandb/weave-sdk").releases.map((r) => r.tag_name), [
      "python/v1.0.0",
      "python/v1.0.1",
    ]);
    assertEquals(await atOrigin(f, "python/v1.0.1", "package.json"), '{"version": "7.0.0"}');
  });
});

Deno.test("typescript: package.json and src/version.ts move together", async () => {
  const pkg = '{\n  "name": "weave-sdk",\n  "version": "0.2.0",\n  "type": "module"\n}\n';
  await withFixture(
    { "package.json": pkg, "src/version.ts": "export const VERSION = '0.2.0';\n" },
    async (f) => {
      await f.run({ language: "typescript" });
      await land(f, { "src/index.ts": "export {};\n" });
      const result = await f.run({ language: "typescript", bump: "minor" });
      assertEquals(result.version, "0.3.0");
      assertEquals(
        await atOrigin(f, "v0.3.0", "package.json"),
        pkg.replace("0.2.0", "0.3.0").trimEnd(),
      );
      assertEquals(
        await atOrigin(f, "v0.3.0", "src/version.ts"),
        "export const VERSION = '0.3.0';",
      );
    },
  );
});

Deno.test("the clone's lock: taken for a path; a caller that holds it passes the checked clone", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.0.0") }, async (f) => {
    const unlock = await lockClones([f.clone]);
    try {
      await assertRejects(() => f.run(), /is already locked by this codegen run/);
      const checked = await ensureClone(f.clone, { target: "python" });
      assertEquals((await f.run({ clone: checked })).action, "released");
    } finally {
      await unlock();
    }
    await land(f, { "x.txt": "x\n" });
    assertEquals((await f.run()).version, "1.0.1");
  });
});

Deno.test("dry run fetches nothing: a clone without origin's commits is told to fetch; .git unchanged", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.0.0") }, async (f) => {
    await f.run();
    const elsewhere = await Deno.makeTempDir({ prefix: "sdk-elsewhere-" });
    try {
      await git(elsewhere, ["clone", "--quiet", f.bare, "."]);
      await commitFiles(elsewhere, { message: "landed elsewhere", files: { "x.txt": "x\n" } });
      await git(elsewhere, ["push", "--quiet", "origin", "main"]);
    } finally {
      await removeAll(elsewhere);
    }
    const before = await snapshotTree(f.clone);
    const client = new GitHubClient({ ...fakeClientOptions(f.fake), dryRun: true });
    const error = await assertRejects(
      () => f.run({ client }),
      /does not have origin's refs\/heads\/main, and a dry run fetches nothing/,
    );
    assertStringIncludes((error as CodegenError).hint!, "fetch origin --tags");
    assertEquals(await snapshotTree(f.clone), before);
    // A real run fetches what it needs.
    assertEquals((await f.run()).version, "1.0.1");
  });
});

Deno.test("a shallow clone is refused: the release needs the history since the last one", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.0.0") }, async (f) => {
    await land(f, { "x.txt": "x\n" });
    const shallow = await Deno.makeTempDir({ prefix: "sdk-shallow-" });
    try {
      await git(shallow, ["clone", "--quiet", "--depth=1", `file://${f.bare}`, "."]);
      const error = await assertRejects(
        () => f.run({ clone: shallow }),
        /is shallow; publishing needs the history/,
      );
      assertStringIncludes((error as CodegenError).hint!, "fetch-depth: 0");
    } finally {
      await removeAll(shallow);
    }
  });
});
