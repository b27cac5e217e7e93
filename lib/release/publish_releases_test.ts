/**
 * `publish` and the GitHub release of its tag: a tag left without its release, a tag on another
 * commit, draft releases (someone's, asked for, left by a run that stopped).
 */
import { assertEquals, assertRejects, assertStringIncludes } from "../../tests/helpers/assert.ts";
import type { CodegenError } from "../core/errors.ts";
import { git } from "../git/git.ts";
import { commitFiles } from "../../tests/helpers/git_fixtures.ts";
import { land, PYPROJECT, subjects, withFixture } from "../../tests/helpers/publish_fixture.ts";

Deno.test("a tag left without its GitHub release (a run that stopped) gets it on the rerun", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.0.0") }, async (f) => {
    const first = await f.run();
    f.fake.repo("wandb/weave-sdk").releases.length = 0;
    const again = await f.run();
    assertEquals([again.action, again.release?.created], ["up-to-date", true]);
    assertEquals(f.fake.repo("wandb/weave-sdk").releases[0].body, first.notes);
  });
});

Deno.test("the version's tag on another commit is an error with a hint; nothing is pushed", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.0.0") }, async (f) => {
    await f.run();
    const stray = await land(f, { "a.txt": "a\n" });
    await git(f.clone, ["tag", "v1.1.0", stray]);
    await git(f.clone, ["push", "--quiet", "origin", "v1.1.0"]);
    await land(f, { "b.txt": "b\n" });
    const before = await subjects(f);
    const error = await assertRejects(
      () => f.run({ version: "1.1.0" }),
      /the tag v1\.1\.0 already exists on origin, on commit \w{12}, not on the tip of main/,
    );
    assertStringIncludes((error as CodegenError).hint!, "Release a higher version");
    assertEquals(await subjects(f), before);
    // A lower --version than the last release is refused before anything else.
    await assertRejects(
      () => f.run({ version: "1.0.5" }),
      /--version 1\.0\.5 is below 1\.1\.0 \(the last release, v1\.1\.0\)/,
    );
  });
});

const draftOf = (tag: string) => ({
  id: 1,
  tag_name: tag,
  target_commitish: "main",
  name: "draft",
  body: "placeholder",
  draft: true,
  prerelease: false,
});

Deno.test("an existing draft release of the tag (someone made it) is updated and published, never duplicated", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.0.0") }, async (f) => {
    f.fake.repo("wandb/weave-sdk").releases.push(draftOf("v1.0.0"));
    const result = await f.run();
    assertEquals(
      [result.action, result.release?.created, result.release?.updated, result.release?.id],
      ["released", false, true, 1],
    );
    const releases = f.fake.repo("wandb/weave-sdk").releases;
    assertEquals(releases.length, 1);
    assertEquals([releases[0].name, releases[0].body, releases[0].draft], [
      "v1.0.0",
      result.notes,
      false,
    ]);
    assertStringIncludes(f.log.text(), "published the draft release v1.0.0");
  });
});

Deno.test("a draft asked for: created as a draft; an existing draft stays one, a published release stays published", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.0.0") }, async (f) => {
    await f.run({ draft: true });
    const releases = f.fake.repo("wandb/weave-sdk").releases;
    assertEquals([releases.length, releases[0].draft], [1, true]);
    // The rerun finds the tag on the tip: nothing to release; the draft is left a draft...
    assertEquals((await f.run({ draft: true })).release?.updated, false);
    assertEquals(releases[0].draft, true);
    // ...until a run that asks for no draft publishes it, without a new release.
    const again = await f.run();
    assertEquals([again.action, again.release?.updated, releases.length], ["up-to-date", true, 1]);
    assertEquals(releases[0].draft, false);
    // A published release of the next tag (made by hand) is updated, and stays published.
    releases.push({ ...draftOf("v1.0.1"), id: 2, draft: false });
    await land(f, { "x.txt": "x\n" });
    const next = await f.run({ draft: true, bump: "patch" });
    assertEquals([next.action, next.release?.id, next.release?.updated], ["released", 2, true]);
    assertEquals([releases[1].body, releases[1].draft], [next.notes, false]);
  });
});

Deno.test("a draft release of a tag already on the tip (an earlier run stopped) is published on the rerun", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.0.0") }, async (f) => {
    await f.run();
    const releases = f.fake.repo("wandb/weave-sdk").releases;
    releases[0].draft = true;
    const again = await f.run();
    assertEquals([again.action, again.release?.updated, releases[0].draft], [
      "up-to-date",
      true,
      false,
    ]);
  });
});

Deno.test("a draft maintenance release published by a rerun does not become the latest release", async () => {
  await withFixture({ "pyproject.toml": PYPROJECT("1.0.0") }, async (f) => {
    await f.run();
    await git(f.clone, ["push", "--quiet", "origin", "main:refs/heads/release/1.x"]);
    await land(f, { "pyproject.toml": PYPROJECT("2.0.0") }, "feat!: a new major");
    assertEquals((await f.run({ version: "2.0.0" })).action, "released");
    await git(f.clone, ["fetch", "--quiet", "origin", "release/1.x"]);
    await git(f.clone, ["checkout", "--quiet", "-B", "release/1.x", "FETCH_HEAD"]);
    await commitFiles(f.clone, { message: "fix: backported", files: { "fix.txt": "fix\n" } });
    await git(f.clone, ["push", "--quiet", "origin", "release/1.x"]);
    const draft = await f.run({ branch: "release/1.x", bump: "patch", draft: true });
    assertEquals([draft.action, draft.version], ["released", "1.0.1"]);
    const releases = f.fake.repo("wandb/weave-sdk").releases;
    const rerun = await f.run({ branch: "release/1.x" });
    assertEquals([rerun.action, rerun.release?.updated], ["up-to-date", true]);
    assertEquals(releases.map((r) => [r.tag_name, r.draft, r.make_latest]), [
      ["v1.0.0", false, "true"],
      ["v2.0.0", false, "true"],
      ["v1.0.1", false, "false"],
    ]);
  });
});
