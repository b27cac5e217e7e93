/** The fixture of the `publish` unit tests: an SDK clone, its bare origin, the fake GitHub API. */
import { assert } from "./assert.ts";
import { fakeClientOptions, type FakeGitHub, startFakeGitHub } from "./fake_github.ts";
import { type CapturedLog, captureLog } from "./capture_log.ts";
import { makeClone, removeAll } from "./sdk_clone.ts";
import { commitFiles } from "./git_fixtures.ts";
import { git, gitOutput } from "../../lib/git/git.ts";
import type { SpecChanges } from "../../lib/github/changes.ts";
import { GitHubClient } from "../../lib/github/client.ts";
import { publish, type PublishOptions } from "../../lib/release/publish.ts";

export const NOW = new Date("2026-01-05T10:00:00Z");
export const PYPROJECT = (version: string) =>
  `[project]\nname = "weave_server_sdk"\nversion = "${version}"  # the SDK version\n`;

export interface Fixture {
  clone: string;
  bare: string;
  fake: FakeGitHub;
  log: CapturedLog;
  run(options?: Partial<PublishOptions>): ReturnType<typeof publish>;
}

export async function withFixture(
  files: Record<string, string>,
  fn: (f: Fixture) => Promise<void>,
) {
  const clone = await makeClone(files);
  const bare = await Deno.makeTempDir({ prefix: "sdk-origin-" });
  const fake = startFakeGitHub();
  const log = captureLog("verbose");
  try {
    await git(bare, ["init", "--quiet", "--bare", "--initial-branch=main"]);
    await git(clone, ["remote", "add", "origin", bare]);
    await git(clone, ["push", "--quiet", "origin", "main"]);
    fake.addRepo("wandb/weave-sdk");
    const run = (options: Partial<PublishOptions> = {}) =>
      publish({
        clone,
        githubRepo: "wandb/weave-sdk",
        client: new GitHubClient(fakeClientOptions(fake)),
        language: "python",
        env: {},
        now: NOW,
        ...options,
      });
    await fn({ clone, bare, fake, log, run });
    assert(!log.text().includes("***"), `something had to be redacted:\n${log.text()}`);
    assert(!JSON.stringify(fake.requests).includes(fake.token));
  } finally {
    log.restore();
    await fake.close();
    await removeAll(clone, bare);
  }
}

/** A commit landing on origin's main (a merged pull request). */
export async function land(
  f: Fixture,
  files: Record<string, string>,
  message = "feat: regenerate",
) {
  await git(f.clone, ["fetch", "--quiet", "origin", "main"]);
  await git(f.clone, ["checkout", "--quiet", "-B", "main", "FETCH_HEAD"]);
  const sha = await commitFiles(f.clone, { message, files });
  await git(f.clone, ["push", "--quiet", "origin", "main"]);
  return sha;
}

export const atOrigin = (f: Fixture, rev: string, path: string) =>
  gitOutput(f.bare, ["show", `${rev}:${path}`]);
export const subjects = (f: Fixture) => gitOutput(f.bare, ["log", "--format=%s", "main"]);
export const tags = (f: Fixture) =>
  gitOutput(f.bare, [
    "for-each-ref",
    "--format=%(refname:short) %(objecttype) %(*objectname)",
    "refs/tags",
  ]);
export const ADDED: SpecChanges = {
  added: [{ operation: "GET /new", breaking: false }],
  removed: [],
  changed: [],
};
export const BREAKING: SpecChanges = {
  added: [],
  removed: [{ operation: "DELETE /obj", breaking: true }],
  changed: [],
};
export const specChanges = (changes?: SpecChanges) => () => Promise.resolve(changes);
