import { assert, assertEquals } from "../../tests/helpers/assert.ts";
import { captureLog } from "../../tests/helpers/capture_log.ts";
import { gitIn } from "../../tests/helpers/git_fixtures.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { run } from "../os/process.ts";
import { fetchRefused, pinOnRemote, tipsInput } from "./pin_remote.ts";

Deno.test("fetchRefused: git's refusals of an object, not other fetch failures", () => {
  const sha = "3255960cb5eb0e22fc5102cff907b31193494108";
  for (
    const refused of [
      `fatal: git upload-pack: not our ref ${sha}\nfatal: remote error: upload-pack: not our ref ${sha}`,
      `fatal: remote error: upload-pack: not our ref ${sha}`,
      `error: Server does not allow request for unadvertised object ${sha}`,
      "fatal: couldn't find remote ref refs/heads/nope",
      `error: no such remote ref ${sha}`,
    ]
  ) assert(fetchRefused(refused), refused);
  for (
    const other of [
      "fatal: unable to access 'https://github.com/org/sdk/': Could not resolve host: github.com",
      "error: RPC failed; curl 56 Recv failure: Connection reset by peer\n" +
      "fatal: early EOF\nfatal: fetch-pack: invalid index-pack output",
      "fatal: write error: No space left on device\nfatal: index-pack failed",
      "error: object abc: badTimezone: invalid author/committer line\nfatal: fsck error in packed object",
      "fatal: Authentication failed for 'https://github.com/org/sdk/'",
      "fatal: '/srv/nonexist.git' does not appear to be a git repository",
      "",
    ]
  ) assert(!fetchRefused(other), other);
});

Deno.test("tipsInput: one revision a line", () => {
  assertEquals(tipsInput(["a", "b"]), "a\nb\n");
  assertEquals(tipsInput([]), "");
});

/** A bare remote, a clone of it, and `seed`: another clone that pushes to it. */
async function remoteAndClone(
  dir: string,
): Promise<{ remote: string; clone: string; seed: string }> {
  const remote = `${dir}/remote.git`;
  const seed = `${dir}/seed`;
  const clone = `${dir}/clone`;
  await gitIn(dir, "init", "--quiet", "--bare", "--initial-branch=main", remote);
  await gitIn(dir, "clone", "--quiet", remote, seed);
  await gitIn(seed, "commit", "--quiet", "--allow-empty", "-m", "main");
  await gitIn(seed, "push", "--quiet", "origin", "HEAD:refs/heads/main");
  await gitIn(dir, "clone", "--quiet", remote, clone);
  return { remote, clone, seed };
}

Deno.test("pinOnRemote: a commit only hundreds of origin's tags reach is pushed (tips on stdin)", async () => {
  await withTempDir("codegen-pin-tags-", async (dir) => {
    const { remote, clone, seed } = await remoteAndClone(dir);
    await gitIn(seed, "checkout", "--quiet", "--detach");
    await gitIn(seed, "commit", "--quiet", "--allow-empty", "-m", "tagged only");
    const tagged = await gitIn(seed, "rev-parse", "HEAD");
    // Annotated tags: one tag object (a distinct tip) each, all on the one commit.
    const stream = Array.from(
      { length: 300 },
      (_, i) => `tag t${i}\nfrom ${tagged}\ntagger T <t@example.com> 0 +0000\ndata 2\nt\n\n`,
    ).join("");
    await run("git", ["fast-import", "--quiet"], { cwd: seed, input: stream });
    await gitIn(seed, "push", "--quiet", "origin", "--tags");
    const before = await run("git", ["cat-file", "-e", tagged], { cwd: clone, check: false });
    assert(before.code !== 0, "the clone has not fetched the tagged commit yet");

    const log = captureLog("verbose");
    try {
      const found = await pinOnRemote(clone, { url: remote, commit: tagged }, {});
      assertEquals(found, { onRemote: true });
    } finally {
      log.restore();
    }
    // Decided by the tips (rev-list), not by the fetch by sha that follows a "no".
    assert(!log.text().includes("fetch"), log.text());
    // The tips' fetch brought it (the fetch by sha only fills a throwaway repository).
    await gitIn(clone, "cat-file", "-e", tagged);
  });
});

Deno.test("pinOnRemote: a commit the remote refuses (never pushed) is on no remote", async () => {
  await withTempDir("codegen-pin-refused-", async (dir) => {
    const { remote, clone } = await remoteAndClone(dir);
    await gitIn(clone, "commit", "--quiet", "--allow-empty", "-m", "unpushed");
    const unpushed = await gitIn(clone, "rev-parse", "HEAD");
    assertEquals(await pinOnRemote(clone, { url: remote, commit: unpushed }, {}), {
      onRemote: false,
      remote,
    });
  });
});
