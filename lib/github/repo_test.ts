/** Which GitHub repository a clone is: from origin (https, ssh, scp; Enterprise hosts) or github_repo. */
import { assertEquals, assertRejects, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { makeClone, removeAll } from "../../tests/helpers/sdk_clone.ts";
import type { CodegenError } from "../core/errors.ts";
import { git } from "../git/git.ts";
import {
  parseRepoName,
  repoFromRemoteUrl,
  resolveGitHubRepo,
  webHostOf,
  webUrlOf,
} from "./repo.ts";

const GHE = "https://ghe.example/api/v3";

Deno.test("owner/name from GitHub remote URLs in every form, with or without .git", () => {
  const expected = { owner: "wandb", name: "weave-sdk" };
  for (
    const url of [
      "https://github.com/wandb/weave-sdk.git",
      "https://github.com/wandb/weave-sdk",
      "https://github.com/wandb/weave-sdk/",
      "https://x-access-token:ghs_secret@github.com/wandb/weave-sdk.git",
      "ssh://git@github.com/wandb/weave-sdk.git",
      "ssh://git@ssh.github.com:443/wandb/weave-sdk.git",
      "git@github.com:wandb/weave-sdk.git",
      "git@github.com:wandb/weave-sdk",
      "GitHub.com:wandb/weave-sdk.git",
    ]
  ) {
    assertEquals(repoFromRemoteUrl(url), expected, url);
  }
  assertEquals(repoFromRemoteUrl("https://github.com/wandb/weave.sdk.git"), {
    owner: "wandb",
    name: "weave.sdk",
  });
});

Deno.test("other hosts, local paths and odd paths are not GitHub repositories", () => {
  for (
    const url of [
      "https://gitlab.com/wandb/weave-sdk.git",
      "git://127.0.0.1:9418/sdk.git",
      "/srv/git/sdk.git",
      "file:///srv/git/wandb/sdk.git",
      "https://github.com/wandb",
      "https://github.com/wandb/weave-sdk/tree/main",
      "git@ghe.example:wandb/weave-sdk.git",
    ]
  ) {
    assertEquals(repoFromRemoteUrl(url), undefined, url);
  }
});

Deno.test("GitHub Enterprise: the API base decides which host is GitHub", () => {
  assertEquals(webHostOf(GHE), "ghe.example");
  assertEquals(webHostOf("https://api.github.com"), "github.com");
  assertEquals(webHostOf("https://api.acme.ghe.com"), "acme.ghe.com");
  const expected = { owner: "sdk-team", name: "weave" };
  assertEquals(repoFromRemoteUrl("git@ghe.example:sdk-team/weave.git", GHE), expected);
  assertEquals(repoFromRemoteUrl("https://ghe.example/sdk-team/weave", GHE), expected);
  assertEquals(repoFromRemoteUrl("ssh://git@ghe.example:2222/sdk-team/weave.git", GHE), expected);
  assertEquals(repoFromRemoteUrl("git@github.com:sdk-team/weave.git", GHE), undefined);
});

Deno.test("github_repo must be owner/name; the error names the flag or key", () => {
  assertEquals(parseRepoName(" wandb/weave-sdk "), { owner: "wandb", name: "weave-sdk" });
  for (
    const bad of [
      "wandb",
      "wandb/weave/sdk",
      "https://github.com/wandb/weave",
      "wandb/x.git",
      "-x/y",
      "a/..",
    ]
  ) {
    const error = assertThrowsUsage(() => parseRepoName(bad, "--github-repo"));
    assertStringIncludes(error.message, "--github-repo must be owner/name");
  }
});

function assertThrowsUsage(fn: () => unknown): CodegenError {
  try {
    fn();
  } catch (error) {
    assertEquals((error as CodegenError).exitCode, 2);
    return error as CodegenError;
  }
  throw new Error("expected a usage error");
}

Deno.test("resolveGitHubRepo: origin, else github_repo; both must agree; neither is a usage error", async () => {
  const clone = await makeClone();
  try {
    const settings = { clone, apiUrl: "https://api.github.com" };
    let error = await assertRejects(() => resolveGitHubRepo(settings), /has no remote `origin`/);
    assertStringIncludes((error as CodegenError).hint!, "github_repo: owner/name");
    assertEquals(await resolveGitHubRepo({ ...settings, githubRepo: "wandb/weave-sdk" }), {
      owner: "wandb",
      name: "weave-sdk",
      from: "github_repo",
    });

    await git(clone, ["remote", "add", "origin", "git://127.0.0.1:1/sdk.git"]);
    error = await assertRejects(
      () => resolveGitHubRepo(settings),
      /is not a repository URL on github\.com/,
    );
    assertStringIncludes((error as CodegenError).hint!, "GITHUB_API_URL");

    await git(clone, [
      "remote",
      "set-url",
      "origin",
      "https://user:ghp_inUrl1234@github.com/wandb/weave-sdk.git",
    ]);
    assertEquals((await resolveGitHubRepo(settings)).from, "origin");
    assertEquals(
      (await resolveGitHubRepo({ ...settings, githubRepo: "WandB/Weave-SDK" })).from,
      "origin",
    );
    error = await assertRejects(
      () =>
        resolveGitHubRepo({
          ...settings,
          githubRepo: "other/fork",
          githubRepoSource: "--github-repo",
        }),
      /--github-repo is other\/fork, but the SDK clone's origin is wandb\/weave-sdk/,
    );
    assertEquals((error as CodegenError).exitCode, 2);
    assertEquals(error.message.includes("ghp_inUrl1234"), false);
  } finally {
    await removeAll(clone);
  }
});

Deno.test("web URLs of repositories follow the API's host", () => {
  const repo = { owner: "wandb", name: "weave" };
  assertEquals(webUrlOf(repo), "https://github.com/wandb/weave");
  assertEquals(webUrlOf(repo, GHE), "https://ghe.example/wandb/weave");
  assertEquals(webUrlOf(repo, "https://api.acme.ghe.com"), "https://acme.ghe.com/wandb/weave");
});
