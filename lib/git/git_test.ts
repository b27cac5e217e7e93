/** Git helpers against real repositories. */
import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../../tests/helpers/assert.ts";
import {
  gitCommonDir,
  gitEnv,
  isHttpsRemote,
  isLegalBranchName,
  lsRemote,
  originUrl,
  short,
  tokenForRemote,
  workTreeAt,
} from "./git.ts";
import { commitFiles, gitIn } from "../../tests/helpers/git_fixtures.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";

function withRepo(fn: (root: string, repo: string) => Promise<void>) {
  return withTempDir("codegen-git-", async (root) => {
    const repo = join(root, "repo");
    await gitIn(root, "init", "--quiet", "-b", "main", repo);
    await fn(root, repo);
  });
}

Deno.test("workTreeAt tells a clone's top level from everything else", async () => {
  await withRepo(async (root, repo) => {
    const real = await Deno.realPath(repo);
    assertEquals(await workTreeAt(repo), { kind: "top level", root: real });
    await Deno.mkdir(join(repo, "sub"));
    assertEquals(await workTreeAt(join(repo, "sub")), { kind: "nested", root: real });
    assertEquals(await workTreeAt(join(root, "missing")), { kind: "missing" });
    assertEquals(await workTreeAt(root), { kind: "not a work tree" });
    assertEquals(await workTreeAt(join(repo, ".git")), { kind: "not a work tree" });
    await Deno.writeTextFile(join(root, "file"), "x");
    assertEquals(await workTreeAt(join(root, "file")), { kind: "not a directory" });
  });
});

Deno.test("gitCommonDir: the shared git directory of every worktree; undefined outside git", async () => {
  await withRepo(async (root, repo) => {
    await commitFiles(repo, { message: "one", files: { "a.txt": "a\n" } });
    const linked = join(root, "linked");
    await gitIn(repo, "worktree", "add", "--quiet", "-b", "side", linked);
    const common = await Deno.realPath(join(repo, ".git"));
    assertEquals(await gitCommonDir(repo), common);
    assertEquals(await gitCommonDir(linked), common);
    assertEquals(await gitCommonDir(root), undefined);
  });
});

Deno.test("short: the first 12 characters of a sha", () => {
  assertEquals(short("0123456789abcdef0123456789abcdef01234567"), "0123456789ab");
  assertEquals(short(undefined), undefined);
});

Deno.test("originUrl and lsRemote read a real (file) remote", async () => {
  await withRepo(async (root, repo) => {
    await assertRejects(() => originUrl(repo), /no remote `origin`/);
    const bare = join(root, "bare.git");
    await gitIn(root, "init", "--quiet", "--bare", bare);
    await gitIn(repo, "remote", "add", "origin", bare);
    assertEquals(await originUrl(repo), bare);
    const sha = await commitFiles(repo, { message: "one", files: { "a.txt": "a\n" } });
    await gitIn(repo, "push", "--quiet", "origin", "main");
    const refs = await lsRemote(repo, "origin", ["refs/heads/main", "refs/heads/absent"]);
    assertEquals([...refs], [["refs/heads/main", sha]]);
  });
});

Deno.test("branch name legality follows git check-ref-format", async () => {
  await withRepo(async (_root, repo) => {
    for (const ok of ["weave/feature", "weave/12/merge", "weave/a-b_c.d"]) {
      assert(await isLegalBranchName(repo, ok), ok);
    }
    for (const bad of ["weave/a..b", "weave/a b", "weave/x.lock", "weave/", "-x", "weave/a:b"]) {
      assert(!(await isLegalBranchName(repo, bad)), bad);
    }
  });
});

Deno.test("a token goes to git through the environment only, for https remotes", () => {
  const env = gitEnv("tok_abcdef123");
  assertEquals(env.GIT_CONFIG_KEY_0, "http.extraHeader");
  assert(!JSON.stringify(env).includes("tok_abcdef123"), "only the encoded header is passed");
  assertEquals(gitEnv().GIT_CONFIG_COUNT, undefined);
  assert(isHttpsRemote("https://github.com/a/b.git"));
  assert(!isHttpsRemote("git@github.com:a/b.git"));
  assert(!isHttpsRemote("http://github.com/a/b.git"), "never plaintext http");
});

Deno.test("GITHUB_TOKEN goes only to https remotes, and only when the clone has no credentials", async () => {
  // The user's own git config must not decide this test. Passed to each git call, never set in
  // the process environment: test files running in parallel share it.
  const noUserConfig = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
  const tokenFor = (repo: string, url: string, token: string | undefined) =>
    tokenForRemote(repo, url, token, noUserConfig);
  await withRepo(async (_root, repo) => {
    const token = "ghs_only_for_https";
    const https = "https://github.com/org/sdk.git";
    assertEquals(await tokenFor(repo, https, token), token);
    assertEquals(await tokenFor(repo, https, undefined), undefined);
    assertEquals(await tokenFor(repo, "http://github.com/org/sdk.git", token), undefined);
    assertEquals(await tokenFor(repo, "git@github.com:org/sdk.git", token), undefined);
    assertEquals(await tokenFor(repo, "/srv/git/sdk.git", token), undefined);
    assertEquals(
      await tokenFor(repo, "https://me:pat@github.com/org/sdk.git", token),
      undefined,
      "credentials in the URL win",
    );
    // A helper for another host does not count; one for this host (or all hosts) does.
    await gitIn(repo, "config", "credential.https://example.com.helper", "store");
    assertEquals(await tokenFor(repo, https, token), token);
    await gitIn(repo, "config", "credential.helper", "cache");
    assertEquals(await tokenFor(repo, https, token), undefined);
    await gitIn(repo, "config", "--add", "credential.helper", ""); // an empty helper resets the list
    assertEquals(await tokenFor(repo, https, token), token);
    await gitIn(repo, "config", "http.https://github.com/.extraHeader", "AUTHORIZATION: basic x");
    assertEquals(await tokenFor(repo, https, token), undefined);
  });
});
