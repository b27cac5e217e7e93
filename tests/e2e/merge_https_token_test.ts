/**
 * Pushing with GITHUB_TOKEN: smart HTTPS on loopback (a self-signed certificate that git trusts
 * through GIT_SSL_CAINFO) that demands the token. The token reaches git for those commands only:
 * never printed, never in .git/config, never in pyproject.toml. It is never sent over plain
 * http://, and never replaces credentials the clone has of its own.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import {
  createSyncFixture,
  generate,
  gitIn,
  type SyncFixture,
  TRACE_PYPROJECT,
} from "../helpers/git_fixtures.ts";
import {
  type GitHttpServer,
  HAS_OPENSSL,
  makeTestCertificate,
  startGitHttpServer,
  type TestCertificate,
} from "../helpers/git_http.ts";

const TOKEN = "ghs_test0123456789abcdefTOKEN";
const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;
const ignore = !HAS_OPENSSL; // the HTTPS server needs a certificate made by openssl

/** The fixture's SDK clone with `origin` on a (TLS or plain) HTTP server demanding TOKEN. */
async function withServer(
  tls: boolean,
  fn: (f: SyncFixture, http: GitHttpServer, cert?: TestCertificate) => Promise<void>,
) {
  const f = await createSyncFixture();
  const cert = tls ? await makeTestCertificate(f.root) : undefined;
  const http = startGitHttpServer(`${f.root}/remotes`, TOKEN, cert);
  try {
    await gitIn(f.sdk, "remote", "set-url", "origin", http.url("sdk.git"));
    await generate(f, { "src/weave_server_sdk/__init__.py": "# v2\n" });
    await fn(f, http, cert);
  } finally {
    await http.stop();
    await f.dispose();
  }
}

function merge(f: SyncFixture, env: Record<string, string>, cert?: TestCertificate) {
  return runCli(["--repo-root", f.trace, "merge_generated_code", f.sdk, "weave_server_sdk"], {
    env: {
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      ...(cert ? { GIT_SSL_CAINFO: cert.certFile } : {}),
      ...env,
    },
  });
}

Deno.test({
  name: "merge_generated_code pushes over HTTPS with GITHUB_TOKEN, and keeps it secret",
  ignore,
  fn: () =>
    withServer(true, async (f, http, cert) => {
      const url = http.url("sdk.git");
      assertMatch(url, /^https:\/\/127\.0\.0\.1:\d+\//);
      const refused = await merge(f, { GITHUB_TOKEN: "" }, cert);
      assertEquals(refused.code, 1, "without the token the server refuses");
      assertMatch(refused.stderr, /error: .*(fetch origin|ls-remote|origin)/);
      assertEquals(await Deno.readTextFile(f.pyproject), TRACE_PYPROJECT, "nothing pinned");

      const pushed = await merge(f, { GITHUB_TOKEN: TOKEN }, cert);
      assertEquals(pushed.code, 0, pushed.stderr);
      const commit = await gitIn(f.bare, "rev-parse", "refs/heads/weave/my-feature");
      assertMatch(pushed.stdout, new RegExp(`weave/my-feature: ${commit} \\(pushed\\)`));
      assert(
        http.authorizations.includes(basic("x-access-token", TOKEN)),
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
    }),
});

Deno.test("GITHUB_TOKEN is never sent to a plain http:// remote; the failure says why", () =>
  withServer(false, async (f, http) => {
    assertMatch(http.url("sdk.git"), /^http:\/\//);
    const result = await merge(f, { GITHUB_TOKEN: TOKEN });
    assertEquals(result.code, 1, result.stderr);
    assertEquals(http.authorizations, [], "the server never saw an Authorization header");
    assertStringIncludes(result.stderr, "GITHUB_TOKEN is only ever sent to https:// remotes");
    assert(!(result.stdout + result.stderr).includes(TOKEN));
    assertEquals(await Deno.readTextFile(f.pyproject), TRACE_PYPROJECT, "nothing pinned");
    assertEquals(await gitIn(f.bare, "for-each-ref", "refs/heads/weave"), "", "nothing pushed");
  }));

Deno.test({
  name: "a clone with its own credential helper uses it; GITHUB_TOKEN does not override it",
  ignore,
  fn: () =>
    withServer(true, async (f, http, cert) => {
      // The clone's helper knows the right password; the environment's token is a wrong one.
      const wrong = "ghs_wrongTokenFromTheEnvironment";
      await gitIn(
        f.sdk,
        "config",
        "credential.helper",
        `!f() { echo username=me; echo password=${TOKEN}; }; f`,
      );
      const result = await merge(f, { GITHUB_TOKEN: wrong }, cert);
      assertEquals(result.code, 0, result.stderr);
      assert(await gitIn(f.bare, "rev-parse", "refs/heads/weave/my-feature"));
      assert(http.authorizations.includes(basic("me", TOKEN)), "the helper's credentials");
      assert(
        !http.authorizations.includes(basic("x-access-token", wrong)),
        "GITHUB_TOKEN was not sent",
      );
      assert(!(result.stdout + result.stderr).includes(wrong));
    }),
});
