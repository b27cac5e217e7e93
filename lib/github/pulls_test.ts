/**
 * One pull request per head branch, against the fake GitHub API; the "is there anything to
 * propose" decision against real git (a clone with a bare origin).
 */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import {
  fakeClientOptions,
  type FakeGitHub,
  startFakeGitHub,
} from "../../tests/helpers/fake_github.ts";
import { type CapturedLog, captureLog } from "../../tests/helpers/capture_log.ts";
import { makeClone, removeAll } from "../../tests/helpers/sdk_clone.ts";
import { commitFiles, GIT_ENV } from "../../tests/helpers/git_fixtures.ts";
import { git, gitOutput, resolveCommit } from "../git/git.ts";
import type { CodegenError } from "../core/errors.ts";
import { GitHubClient } from "./client.ts";
import { openOrUpdatePull, type PullRequestRequest } from "./pulls.ts";
import { pullRequestBody, type PullRequestContent, pullRequestTitle } from "./pr_body.ts";
import { compareBranches, remoteAccess, remoteDefaultBranch } from "./remote.ts";

const REPO = { owner: "wandb", name: "weave-sdk" };

function content(commit: string, diffStat = " a.py | 1 +"): PullRequestContent {
  return {
    target: "python",
    packageName: "weave_server_sdk",
    head: "weave/my-feature",
    source: { repository: "wandb/weave", branch: "my-feature", commit },
    specChanges: { added: [{ operation: "GET /new", breaking: false }], removed: [], changed: [] },
    diffStat,
    reproduce: "codegen all",
  };
}

function request(commit: string, extra: Partial<PullRequestRequest> = {}): PullRequestRequest {
  const c = content(commit);
  return {
    repo: REPO,
    head: c.head,
    title: pullRequestTitle(c),
    body: pullRequestBody(c),
    hasChanges: true,
    ...extra,
  };
}

async function withFake(
  fn: (fake: FakeGitHub, client: GitHubClient, log: CapturedLog) => Promise<void>,
  basePath = "",
) {
  const fake = startFakeGitHub({ basePath });
  const log = captureLog("verbose");
  try {
    fake.addRepo("wandb/weave-sdk", {
      defaultBranch: "main",
      collaborators: new Set(["alice", "bob"]),
    });
    await fn(fake, new GitHubClient(fakeClientOptions(fake)), log);
    assert(!log.text().includes("***"), `something had to be redacted:\n${log.text()}`);
    assert(!JSON.stringify(fake.requests).includes(fake.token), "token in the request log");
  } finally {
    log.restore();
    await fake.close();
  }
}

const calls = (fake: FakeGitHub) => fake.requests.map((r) => `${r.method} ${r.path}`);

Deno.test("create, then update the same pull request; an unchanged rerun writes nothing", async () => {
  await withFake(async (fake, client) => {
    const first = await openOrUpdatePull(client, request("a".repeat(40)));
    assertEquals([first.action, first.created, first.updated, first.number, first.base], [
      "created",
      true,
      false,
      1,
      "main",
    ]);
    assertEquals(first.url, `${new URL(fake.url).origin}/wandb/weave-sdk/pull/1`);
    assertEquals(calls(fake), [
      "GET /repos/wandb/weave-sdk",
      "GET /repos/wandb/weave-sdk/pulls",
      "POST /repos/wandb/weave-sdk/pulls",
    ]);
    assertEquals(fake.requests[1].query, {
      state: "open",
      head: "wandb:weave/my-feature",
      per_page: "100",
    });
    assertEquals(fake.requests[2].body, {
      title: "feat(api): update weave_server_sdk from my-feature@aaaaaaa",
      head: "weave/my-feature",
      base: "main",
      body: request("a".repeat(40)).body,
      maintainer_can_modify: false,
    });

    fake.requests.length = 0;
    const same = await openOrUpdatePull(client, request("a".repeat(40)));
    assertEquals([same.action, same.created, same.updated, same.number], [
      "unchanged",
      false,
      false,
      1,
    ]);
    assertEquals(calls(fake), ["GET /repos/wandb/weave-sdk", "GET /repos/wandb/weave-sdk/pulls"]);

    fake.requests.length = 0;
    const next = await openOrUpdatePull(client, request("b".repeat(40), { base: "main" }));
    assertEquals([next.action, next.created, next.updated, next.number], [
      "updated",
      false,
      true,
      1,
    ]);
    assertEquals(calls(fake), [
      "GET /repos/wandb/weave-sdk/pulls",
      "PATCH /repos/wandb/weave-sdk/pulls/1",
    ]);
    assertEquals(Object.keys(fake.requests[1].body as object).sort(), ["body", "title"]);
    const pulls = fake.repo("wandb/weave-sdk").pulls;
    assertEquals(pulls.length, 1);
    assertStringIncludes(pulls[0].title, "my-feature@bbbbbbb");
  });
});

Deno.test("no difference from the base: no pull request, no request at all", async () => {
  await withFake(async (fake, client) => {
    const result = await openOrUpdatePull(client, request("a".repeat(40), { hasChanges: false }));
    assertEquals([result.action, result.created, result.updated, result.number], [
      "no-changes",
      false,
      false,
      undefined,
    ]);
    assertEquals(fake.requests, []);
  });
});

Deno.test("422 'A pull request already exists' means found: it is looked up and updated", async () => {
  await withFake(async (fake, client) => {
    await openOrUpdatePull(client, request("a".repeat(40)));
    // The list misses it once (opened meanwhile by another run): the creation gets the 422.
    fake.inject({ status: 200, body: [], method: "GET", path: /\/pulls$/ });
    fake.requests.length = 0;
    const result = await openOrUpdatePull(client, request("c".repeat(40)));
    assertEquals([result.action, result.number], ["updated", 1]);
    assertEquals(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`), [
      "GET /repos/wandb/weave-sdk 200",
      "GET /repos/wandb/weave-sdk/pulls 200",
      "POST /repos/wandb/weave-sdk/pulls 422",
      "GET /repos/wandb/weave-sdk/pulls 200",
      "PATCH /repos/wandb/weave-sdk/pulls/1 200",
    ]);
    assertEquals(fake.repo("wandb/weave-sdk").pulls.length, 1);
  });
});

Deno.test("other 422s say what is wrong: an unknown head branch", async () => {
  await withFake(async (fake, client) => {
    fake.repo("wandb/weave-sdk").branches = new Set(["main"]);
    const error = await assertRejects(
      () => openOrUpdatePull(client, request("a".repeat(40))),
      /GitHub does not know the branch weave\/my-feature of wandb\/weave-sdk/,
    );
    assertStringIncludes((error as CodegenError).hint!, "merge_generated_code");
  });
});

Deno.test("draft, labels and reviewers (users and teams); a refused reviewer is a warning", async () => {
  await withFake(async (fake, client, log) => {
    {
      const result = await openOrUpdatePull(
        client,
        request("a".repeat(40), {
          draft: true,
          labels: ["codegen", "sdk", "codegen"],
          reviewers: ["alice", "wandb/sdk-team"],
        }),
      );
      assertEquals([result.labelsAdded, result.reviewersRequested], [["codegen", "sdk"], [
        "alice",
        "wandb/sdk-team",
      ]]);
      const [pull] = fake.repo("wandb/weave-sdk").pulls;
      assertEquals([pull.draft, pull.labels, pull.reviewers, pull.teams], [
        true,
        ["codegen", "sdk"],
        ["alice"],
        [
          "sdk-team",
        ],
      ]);
      const reviewRequest = fake.requests.find((r) => r.path.endsWith("/requested_reviewers"));
      assertEquals(reviewRequest?.body, { reviewers: ["alice"], team_reviewers: ["sdk-team"] });

      // Update: only the missing label and reviewer; the bot itself cannot review its own PR.
      fake.requests.length = 0;
      const again = await openOrUpdatePull(
        client,
        request("b".repeat(40), { labels: ["sdk", "api"], reviewers: ["alice", "codegen-bot"] }),
      );
      assertEquals([again.action, again.labelsAdded, again.reviewersRequested], [
        "updated",
        ["api"],
        [],
      ]);
      assertEquals(fake.requests.find((r) => r.path.endsWith("/labels"))?.body, {
        labels: ["api"],
      });
      assertEquals(fake.requests.find((r) => r.path.endsWith("/requested_reviewers"))?.body, {
        reviewers: ["codegen-bot"],
      });
      assertStringIncludes(
        log.text(),
        "could not request reviews from codegen-bot: Validation Failed; Review cannot be requested from pull request author.",
      );
      assertEquals(pull.draft, true);
    }
  });
});

Deno.test("an unchanged pull request gets the missing reviewers too, but not those who already reviewed", async () => {
  await withFake(async (fake, client) => {
    const sha = "a".repeat(40);
    await openOrUpdatePull(client, request(sha, { reviewers: ["alice"] }));
    const reviewPosts = () =>
      fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/requested_reviewers"))
        .map((r) => r.body);

    // bob was added to the configuration since: the unchanged pull request asks him.
    const added = await openOrUpdatePull(client, request(sha, { reviewers: ["alice", "bob"] }));
    assertEquals([added.action, added.reviewersRequested], ["unchanged", ["bob"]]);
    assertEquals(reviewPosts().at(-1), { reviewers: ["bob"] });
    assertEquals(fake.repo("wandb/weave-sdk").pulls[0].reviewers, ["alice", "bob"]);

    // alice reviewed (GitHub drops her from the requested list): not asked again every run...
    fake.review("wandb/weave-sdk", 1, "alice");
    const reviewed = await openOrUpdatePull(
      client,
      request(sha, { reviewers: ["alice", "bob", "wandb/sdk-team"] }),
    );
    assertEquals([reviewed.action, reviewed.reviewersRequested], ["unchanged", []]);
    assertEquals(reviewPosts().length, 2, "no request: bob is asked, alice reviewed, a team too");

    // ...but new code asks her again.
    const updated = await openOrUpdatePull(
      client,
      request("b".repeat(40), { reviewers: ["alice"] }),
    );
    assertEquals([updated.action, updated.reviewersRequested], ["updated", ["alice"]]);
  });
});

Deno.test("an open pull request codegen did not open is left alone", async () => {
  await withFake(async (fake, client) => {
    fake.repo("wandb/weave-sdk").pulls.push({
      number: 7,
      title: "My own PR",
      body: "Hand-written description",
      head: "weave/my-feature",
      base: "main",
      state: "open",
      draft: false,
      author: "alice",
      labels: [],
      reviewers: [],
      teams: [],
    });
    const result = await openOrUpdatePull(client, request("a".repeat(40), { labels: ["codegen"] }));
    assertEquals([result.action, result.number, result.updated], ["not-ours", 7, false]);
    assertEquals(fake.requests.filter((r) => r.method !== "GET"), []);
    assertEquals(fake.repo("wandb/weave-sdk").pulls[0].body, "Hand-written description");
  });
});

Deno.test("dry run: the calls it would make, zero requests, no token needed", async () => {
  await withFake(async (fake) => {
    const client = new GitHubClient({ ...fakeClientOptions(fake), token: undefined, dryRun: true });
    const result = await openOrUpdatePull(
      client,
      request("a".repeat(40), { labels: ["codegen"], reviewers: ["alice"] }),
    );
    assertEquals(result.action, "dry-run");
    assertEquals(result.planned!.map((c) => `${c.method} ${c.path}`), [
      "GET /repos/wandb/weave-sdk",
      "GET /repos/wandb/weave-sdk/pulls?state=open&head=wandb%3Aweave%2Fmy-feature",
      "POST /repos/wandb/weave-sdk/pulls",
      "POST /repos/wandb/weave-sdk/issues/{number}/labels",
      "POST /repos/wandb/weave-sdk/pulls/{number}/requested_reviewers",
    ]);
    assertEquals(fake.requests, []);
  });
});

Deno.test("GitHub Enterprise: the same flow under /api/v3", async () => {
  await withFake(async (fake, client) => {
    assert(client.apiUrl.endsWith("/api/v3"));
    const result = await openOrUpdatePull(client, request("a".repeat(40)));
    assertEquals(result.action, "created");
    assert(fake.requests.length === 3 && fake.requests.every((r) => r.status < 300));
  }, "/api/v3");
});

/** A clone whose origin is a bare repository on disk, `main` pushed. */
async function cloneWithOrigin(): Promise<{ clone: string; bare: string }> {
  const clone = await makeClone({ "README.md": "sdk\n", "src/sdk/api.py": "A = 1\n" });
  const bare = await Deno.makeTempDir({ prefix: "sdk-origin-" });
  await git(bare, ["init", "--quiet", "--bare", "--initial-branch=main"]);
  await git(clone, ["remote", "add", "origin", bare]);
  await git(clone, ["push", "--quiet", "origin", "main"]);
  return { clone, bare };
}

Deno.test("compareBranches: identical trees mean nothing to propose; otherwise the diff stat", async () => {
  const { clone, bare } = await cloneWithOrigin();
  try {
    const access = await remoteAccess(clone, {});
    assertEquals(await remoteDefaultBranch(access), "main");
    // A mirror commit with the same tree as main (a regeneration that changed nothing).
    const tree = await gitOutput(clone, ["rev-parse", "main^{tree}"]);
    const same = await gitOutput(clone, ["commit-tree", tree, "-p", "main", "-m", "regenerated"], {
      env: GIT_ENV,
    });
    await git(clone, ["push", "--quiet", "origin", `${same}:refs/heads/weave/my-feature`]);
    const before = await gitOutput(clone, ["for-each-ref"]);
    const identical = await compareBranches(access, "weave/my-feature", "main");
    assertEquals([identical.identical, identical.diffStat, identical.headCommit], [true, "", same]);
    assertEquals(await gitOutput(clone, ["for-each-ref"]), before, "no local ref changed");

    // The next regeneration is pushed from elsewhere: this clone lacks its objects and fetches
    // them, still without creating or moving any ref.
    const elsewhere = await Deno.makeTempDir({ prefix: "sdk-elsewhere-" });
    let changed: string;
    try {
      await git(elsewhere, ["clone", "--quiet", "--branch", "weave/my-feature", bare, "."]);
      changed = await commitFiles(elsewhere, {
        message: "regen",
        files: { "src/sdk/api.py": "A = 2\n", "src/sdk/new.py": "B = 1\n" },
      });
      await git(elsewhere, ["push", "--quiet", "origin", "HEAD:refs/heads/weave/my-feature"]);
    } finally {
      await removeAll(elsewhere);
    }
    assertEquals(await resolveCommit(clone, changed), undefined);
    const different = await compareBranches(access, "weave/my-feature", "main");
    assertEquals(different.identical, false);
    assertStringIncludes(different.diffStat, "src/sdk/new.py");
    assertStringIncludes(different.diffStat, "2 files changed");
    assertEquals(different.headCommit, changed);
    assertEquals(await gitOutput(clone, ["for-each-ref"]), before, "no local ref changed");

    await assertRejects(
      () => compareBranches(access, "weave/absent", "main"),
      /origin has no branch weave\/absent/,
    );
  } finally {
    await removeAll(clone, bare);
  }
});
