import { assert } from "../../tests/helpers/assert.ts";
import { sameRemote } from "./pin_remote.ts";

Deno.test("sameRemote: credentials, a trailing / or .git and the host's case do not matter", () => {
  assert(
    sameRemote(
      "https://x-access-token:s3cret@github.com/org/sdk.git",
      "https://github.com/org/sdk",
    ),
  );
  assert(sameRemote("https://GitHub.com/org/sdk/", "https://github.com/org/sdk.git"));
  assert(sameRemote("https://github.com:443/org/sdk", "https://github.com/org/sdk"));
  assert(!sameRemote("https://github.com/org/sdk", "https://github.com/org/other"));
  assert(!sameRemote("https://github.com/org/sdk", "https://gitlab.com/org/sdk"));
  assert(!sameRemote("https://host:8443/org/sdk", "https://host/org/sdk"));
});

Deno.test("sameRemote: a file URL and the plain path it names", () => {
  assert(sameRemote("file:///srv/git/sdk.git", "/srv/git/sdk"));
  assert(sameRemote("file:///srv/git/a%20b.git/", "/srv/git/a b.git"));
  assert(!sameRemote("file:///srv/git/sdk.git", "/srv/git/other.git"));
});

Deno.test("sameRemote: scp-style, ssh:// (port 22) and https name the same GitHub repository", () => {
  assert(sameRemote("git@github.com:org/sdk.git", "ssh://git@github.com/org/sdk"));
  assert(sameRemote("git@github.com:org/sdk.git", "ssh://git@github.com:22/org/sdk.git"));
  assert(sameRemote("git@github.com:org/sdk.git", "https://github.com/org/sdk"));
  assert(sameRemote("git+https://github.com/org/sdk.git", "git@github.com:org/sdk"));
  assert(!sameRemote("ssh://git@github.com:2222/org/sdk", "git@github.com:org/sdk"));
  assert(!sameRemote("git@github.com:org/sdk.git", "git@github.com:org/other.git"));
  assert(!sameRemote("git@github.com:org/sdk.git", "/org/sdk"));
});

Deno.test("sameRemote: GitHub's path case, .GIT, repeated /, ?query and #fragment, a work tree's /.git", () => {
  assert(sameRemote("https://GitHub.com/Org/Repo", "https://github.com/org/repo"));
  assert(sameRemote("git@GITHUB.com:Org/Repo.git", "https://github.com/org/repo"));
  assert(!sameRemote("https://gitlab.example/Org/Repo", "https://gitlab.example/org/repo"));
  assert(sameRemote("https://github.com/org/repo.GIT", "https://github.com/org/repo"));
  assert(sameRemote("https://host.example/org//repo", "https://host.example/org/repo"));
  assert(sameRemote("https://host.example/org/repo?x=1", "https://host.example/org/repo"));
  assert(
    sameRemote("git+https://host.example/org/repo.git#egg=sdk", "https://host.example/org/repo"),
  );
  assert(sameRemote("/x/repo/.git", "/x/repo"));
  assert(sameRemote("file:///x/repo/.git/", "/x/repo"));
  assert(sameRemote("/x//repo.GIT", "file:///x/repo"));
});

Deno.test("sameRemote: an encoded / is not a separator", () => {
  assert(!sameRemote("https://host.example/org/re%2Fpo", "https://host.example/org/re/po"));
  assert(!sameRemote("https://github.com/org/re%2fpo", "https://github.com/org/re/po"));
  assert(!sameRemote("file:///x/re%2Fpo", "/x/re/po"));
  assert(sameRemote("https://host.example/org/re%2Dpo", "https://host.example/org/re-po"));
});
