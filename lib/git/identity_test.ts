/** Commit identity: git's configured identity wins; whatever is missing is codegen's fallback. */
import { join } from "node:path";
import { assertEquals, assertRejects } from "../../tests/helpers/assert.ts";
import { commitIdentityEnv, FALLBACK_IDENTITY } from "./identity.ts";
import { gitIn } from "../../tests/helpers/git_fixtures.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";

/** A machine without any git identity: no global or system config, no identity variables. */
const NO_IDENTITY = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };

function withRepo(fn: (repo: string) => Promise<void>) {
  return withTempDir("codegen-identity-", async (root) => {
    const repo = join(root, "repo");
    await gitIn(root, "init", "--quiet", "-b", "main", repo);
    await fn(repo);
  });
}

const FALLBACK = {
  GIT_AUTHOR_NAME: FALLBACK_IDENTITY.name,
  GIT_AUTHOR_EMAIL: FALLBACK_IDENTITY.email,
  GIT_COMMITTER_NAME: FALLBACK_IDENTITY.name,
  GIT_COMMITTER_EMAIL: FALLBACK_IDENTITY.email,
};

Deno.test("no git identity anywhere: author and committer are codegen's fallback", async () => {
  await withRepo(async (repo) => {
    assertEquals(await commitIdentityEnv(repo, NO_IDENTITY), FALLBACK);
  });
});

Deno.test("configured identity wins, part by part: variables, EMAIL, author.*, user.*", async () => {
  await withRepo(async (repo) => {
    await gitIn(repo, "config", "user.name", "Jane Doe");
    // The name comes from the repository's config; the email is still missing.
    assertEquals(await commitIdentityEnv(repo, NO_IDENTITY), {
      GIT_AUTHOR_EMAIL: FALLBACK_IDENTITY.email,
      GIT_COMMITTER_EMAIL: FALLBACK_IDENTITY.email,
    });
    assertEquals(await commitIdentityEnv(repo, { ...NO_IDENTITY, EMAIL: "jane@example.com" }), {});
    await gitIn(repo, "config", "--unset", "user.name");
    await gitIn(repo, "config", "author.email", "author@example.com");
    assertEquals(
      await commitIdentityEnv(repo, { ...NO_IDENTITY, GIT_COMMITTER_NAME: "CI" }),
      {
        GIT_AUTHOR_NAME: FALLBACK_IDENTITY.name,
        GIT_COMMITTER_EMAIL: FALLBACK_IDENTITY.email,
      },
    );
    // An empty variable counts as unset, as it does for git (which refuses an empty name).
    assertEquals(await commitIdentityEnv(repo, { ...NO_IDENTITY, GIT_AUTHOR_EMAIL: "" }), {
      GIT_AUTHOR_NAME: FALLBACK_IDENTITY.name,
      GIT_COMMITTER_NAME: FALLBACK_IDENTITY.name,
      GIT_COMMITTER_EMAIL: FALLBACK_IDENTITY.email,
    });
  });
});

Deno.test("a broken git config is an error naming it, not a silent fallback", async () => {
  await withRepo(async (repo) => {
    await Deno.writeTextFile(join(repo, ".git", "config"), "[broken\n");
    await assertRejects(() => commitIdentityEnv(repo, NO_IDENTITY), /cannot read the git config/);
  });
});
