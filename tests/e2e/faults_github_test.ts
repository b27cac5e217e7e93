/**
 * Fault matrix, open-pr and publish against the GitHub API (the fake in
 * tests/helpers/fake_github.ts, with the canary token): 401, 403, 404, 422, a 5xx storm past the
 * retries, a rate limit asking to wait an hour, and a release tag that already exists on another
 * commit. The mirror branch is on origin (pushed by "another machine") before the run. Shared
 * checks: tests/helpers/fault_matrix.ts.
 */
import { join } from "node:path";
import { assertEquals } from "../helpers/assert.ts";
import { faultMatrix } from "../helpers/fault_matrix.ts";
import { type Matrix } from "../helpers/fault_cases.ts";
import type { Fault } from "../helpers/fake_github.ts";
import { commitFiles, gitIn } from "../helpers/git_fixtures.ts";

/** Another clone of the SDK repository (a CI machine), on origin's main. */
async function otherClone(m: Matrix): Promise<string> {
  const other = join(m.ws.root, "other");
  await gitIn(m.ws.root, "clone", "--quiet", m.ws.bare, other);
  return other;
}

/** The mirror branch on origin with generated code, then `open-pr` with `faults` injected. */
async function openPr(m: Matrix, ...faults: Fault[]) {
  await m.config();
  const other = await otherClone(m);
  await commitFiles(other, {
    message: "Update generated code\n\nTrace-Commit: 0000000\nGenerated-By: codegen",
    files: { "weave_server_sdk/__init__.py": "PATHS = ['/a', '/b']\n" },
  });
  await gitIn(other, "push", "--quiet", "origin", "HEAD:refs/heads/weave/my-feature");
  const fake = m.github();
  for (const fault of faults) fake.inject(fault);
  return { args: ["open-pr"] };
}

const PULLS = /\/pulls$/;

faultMatrix([
  {
    fault: "open-pr: the token is rejected (401)",
    stage: "github",
    code: 1,
    message:
      /GitHub API: cannot list the open pull requests of wandb:weave\/my-feature: the token was rejected \(401: Bad credentials\)/,
    hint:
      /hint: Check GITHUB_TOKEN: it is missing, expired or revoked\. This call needs `pull-requests: read` on wandb\/weave-server-sdk/,
    setUp: (m) => openPr(m, { status: 401, body: { message: "Bad credentials" }, times: 10 }),
  },
  {
    fault: "open-pr: the token may not open pull requests (403)",
    stage: "github",
    code: 1,
    message:
      /GitHub API: cannot create a pull request from weave\/my-feature into main: permission denied \(403: Resource not accessible by integration\)/,
    hint: /hint: This call needs `pull-requests: write` on wandb\/weave-server-sdk/,
    setUp: (m) =>
      openPr(m, {
        status: 403,
        method: "POST",
        path: PULLS,
        body: { message: "Resource not accessible by integration" },
      }),
  },
  {
    fault: "open-pr: no such repository (404)",
    stage: "github",
    code: 1,
    message:
      /GitHub API: cannot list the open pull requests of wandb:weave\/my-feature: not found \(404: Not Found\)/,
    hint:
      /hint: wandb\/weave-server-sdk may be private .* check github_repo \(--github-repo\) or the clone's origin/,
    setUp: (m) => openPr(m, { status: 404, body: { message: "Not Found" }, times: 10 }),
  },
  {
    fault: "open-pr: GitHub refuses the pull request (422)",
    stage: "github",
    code: 1,
    message:
      /cannot create a pull request from weave\/my-feature into main: request rejected \(422: Validation Failed; PullRequest base invalid\)/,
    hint: /hint: The API's message says what it did not accept\./,
    setUp: (m) =>
      openPr(m, {
        status: 422,
        method: "POST",
        path: PULLS,
        body: {
          message: "Validation Failed",
          errors: [{ resource: "PullRequest", field: "base", code: "invalid" }],
        },
      }),
  },
  {
    fault: "open-pr: GitHub answers 503 past the retries",
    stage: "github",
    code: 1,
    message:
      /cannot list the open pull requests of wandb:weave\/my-feature: server error \(503: Service Unavailable\) after 5 attempts/,
    hint:
      /hint: GitHub may be having an outage \(https:\/\/www\.githubstatus\.com\); run again later\./,
    setUp: (m) =>
      openPr(m, {
        status: 503,
        headers: { "retry-after": "0" },
        body: { message: "Service Unavailable" },
        times: 20,
      }),
  },
  {
    fault: "open-pr: rate limited, retry-after one hour",
    stage: "github",
    code: 1,
    message:
      /rate limited \(429\); GitHub asks to wait 3600 s \(until .*\), longer than this tool waits \(60 s\)/,
    hint: /hint: Run again after that time\./,
    setUp: (m) =>
      openPr(m, {
        status: 429,
        headers: { "retry-after": "3600" },
        body: { message: "API rate limit exceeded" },
      }),
  },
  {
    fault: "publish: the version's tag already exists on another commit",
    stage: "github",
    code: 1,
    message:
      /the tag v1\.0\.0 already exists on origin, on commit [0-9a-f]{12}, not on the tip of main \([0-9a-f]{12}\)/,
    hint:
      /hint: 1\.0\.0 was released from another commit\. Release a higher version \(--bump, or --version\)/,
    async setUp(m) {
      await m.config();
      const other = await otherClone(m);
      // v1.0.0 tags a commit that is not on main; main has moved on since.
      await commitFiles(other, { message: "Elsewhere", files: { "b.txt": "b\n" } });
      await gitIn(other, "tag", "v1.0.0");
      await gitIn(other, "push", "--quiet", "origin", "v1.0.0");
      await gitIn(other, "reset", "--quiet", "--hard", "origin/main");
      await commitFiles(other, { message: "Next", files: { "c.txt": "c\n" } });
      await gitIn(other, "push", "--quiet", "origin", "HEAD:main");
      m.github();
      return { args: ["publish", "--version", "1.0.0"] };
    },
    async check(m) {
      assertEquals(await gitIn(m.ws.bare, "log", "--format=%s", "main"), "Next\nInitial SDK");
    },
  },
]);
