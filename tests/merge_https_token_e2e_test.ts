/**
 * Pushing to an https-style remote with GITHUB_TOKEN: smart HTTP on loopback that demands the
 * token. The token reaches git for those commands only: never printed, never in .git/config,
 * never in pyproject.toml.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { runCli } from "./helpers/cli.ts";
import { createSyncFixture, generate, gitIn, TRACE_PYPROJECT } from "./helpers/git_fixtures.ts";
import { startGitHttpServer } from "./helpers/git_http.ts";

const TOKEN = "ghs_test0123456789abcdefTOKEN";

Deno.test("merge_generated_code pushes over HTTP with GITHUB_TOKEN, and keeps it secret", async () => {
  const f = await createSyncFixture();
  const http = startGitHttpServer(`${f.root}/remotes`, TOKEN);
  try {
    const url = http.url("sdk.git");
    await gitIn(f.sdk, "remote", "set-url", "origin", url);
    await generate(f, { "src/weave_server_sdk/__init__.py": "# v2\n" });
    const cli = (env: Record<string, string>) =>
      runCli(["--repo-root", f.trace, "merge_generated_code", f.sdk, "weave_server_sdk"], {
        env: { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", ...env },
      });

    const refused = await cli({ GITHUB_TOKEN: "" });
    assertEquals(refused.code, 1, "without the token the server refuses");
    assertMatch(refused.stderr, /error: .*(fetch origin|ls-remote|origin)/);
    assertEquals(await Deno.readTextFile(f.pyproject), TRACE_PYPROJECT, "nothing pinned");

    const pushed = await cli({ GITHUB_TOKEN: TOKEN });
    assertEquals(pushed.code, 0, pushed.stderr);
    const commit = await gitIn(f.bare, "rev-parse", "refs/heads/weave/my-feature");
    assertMatch(pushed.stdout, new RegExp(`weave/my-feature: ${commit} \\(pushed\\)`));
    assert(
      http.authorizations.includes(`Basic ${btoa(`x-access-token:${TOKEN}`)}`),
      "git sent the token as HTTP Basic credentials",
    );

    const pyproject = await Deno.readTextFile(f.pyproject);
    assertMatch(
      pyproject,
      new RegExp(`"weave_server_sdk @ git\\+${url.replaceAll(".", "\\.")}@${commit}"`),
    );
    for (
      const [where, text] of [
        ["stdout", pushed.stdout + refused.stdout],
        ["stderr", pushed.stderr + refused.stderr],
        ["pyproject.toml", pyproject],
        [".git/config", await Deno.readTextFile(`${f.sdk}/.git/config`)],
      ]
    ) {
      assert(!text.includes(TOKEN), `the token is not in ${where}`);
      assert(!text.includes(btoa(`x-access-token:${TOKEN}`)), `nor its Basic form in ${where}`);
    }
  } finally {
    await http.stop();
    await f.dispose();
  }
});
