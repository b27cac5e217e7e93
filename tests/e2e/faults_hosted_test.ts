/**
 * Fault matrix, the generate stage with the hosted Stainless API (the fake in
 * tests/helpers/fake_stainless.ts, with the canary API key): a rejected key, no access, no
 * project, rate limits and server errors past the retries, a fatal build, a proxy's page, a build
 * that never completes, an output that cannot be fetched. Local `main` never moves, and neither the
 * key nor the temporary git token the API hands out leaks. Shared checks:
 * tests/helpers/fault_matrix.ts.
 */
import { faultMatrix } from "../helpers/fault_matrix.ts";
import { CANARY, type Matrix } from "../helpers/fault_cases.ts";
import type { FakeFaults } from "../helpers/fake_stainless.ts";

/** `all` with the hosted generator against the fake API with `faults`, polling fast. */
async function hosted(m: Matrix, faults: FakeFaults, ...flags: string[]) {
  await m.stainless(faults);
  await m.config({ generator: "stainless", generator_command: null, poll_interval: "0.01" });
  return { args: ["all", ...flags] };
}

faultMatrix([
  {
    fault: "hosted API rejects the key (401)",
    stage: "hosted",
    code: 1,
    message:
      /generate stage failed: Stainless API: cannot create a build: the API key was rejected \(401\)/,
    hint: /hint: Check STAINLESS_API_KEY/,
    setUp: (m) => hosted(m, { unauthorized: true }),
  },
  {
    fault: "hosted API denies the project (403)",
    stage: "hosted",
    code: 1,
    message: /Stainless API: cannot create a build: permission denied \(403\)/,
    hint: /hint: Check that the API key's organization has access to project weave/,
    setUp: (m) => hosted(m, { rejectCreate: 403 }),
  },
  {
    fault: "hosted API has no such project (404)",
    stage: "hosted",
    code: 1,
    message: /Stainless API: cannot create a build: not found \(404\)/,
    hint:
      /hint: Check stainless_project \(--project, now weave\) and stainless_branch \(--branch\)/,
    setUp: (m) => hosted(m, { rejectCreate: 404 }),
  },
  {
    fault: "hosted API rate limits (429) past the retries",
    stage: "hosted",
    code: 1,
    message: /Stainless API: cannot create a build: still rate limited \(429\) after retrying/,
    hint: /hint: Wait a few minutes and run again, or raise --api-max-retries/,
    setUp: (m) =>
      hosted(m, { rateLimit: { count: 100, retryAfter: "0" } }, "--api-max-retries", "1"),
  },
  {
    fault: "hosted API answers 500 past the retries",
    stage: "hosted",
    code: 1,
    message: /Stainless API: cannot poll the build: server error \(500\) after retrying/,
    hint: /hint: Stainless may be having an outage; run again later/,
    setUp: (m) => hosted(m, { serverErrors: 100 }, "--api-max-retries", "1"),
  },
  {
    fault: "hosted build concludes fatal",
    stage: "hosted",
    code: 1,
    message:
      /Stainless build bui_fake_000001 failed\n {2}python: commit step concluded `fatal`[\s\S]*Endpoint\/NotFound: post \/calls\/missing is not in the spec/,
    hint:
      /hint: Fix the fatal diagnostics \(in openapi\.stainless\.yml or the server's OpenAPI spec\)/,
    setUp: (m) => hosted(m, { commitConclusion: "fatal" }),
  },
  {
    fault: "a proxy's HTML page instead of the hosted API, past the retries",
    stage: "hosted",
    code: 1,
    message:
      /Stainless API: cannot create a build: the answer is text, not JSON \(after 1 retry\)\n {2}the answer began with:\n {2}<!DOCTYPE html>/,
    hint: /hint: Something other than the Stainless API answered .*check STAINLESS_BASE_URL/,
    setUp: (m) =>
      hosted(
        m,
        { malformed: { count: 100, route: "create", kind: "html" } },
        "--api-max-retries",
        "1",
      ),
  },
  {
    fault: "hosted build never completes (build timeout)",
    stage: "hosted",
    code: 1,
    message: /python: build did not complete within 0\.3 s \(build bui_fake_000001: /,
    hint:
      /hint: Raise --build-timeout \(build_timeout\), or check build bui_fake_000001 on app\.stainless\.com/,
    setUp: (m) => hosted(m, { neverComplete: true }, "--build-timeout", "0.3"),
  },
  {
    fault: "hosted build output cannot be fetched",
    stage: "hosted",
    code: 1,
    message:
      /python: fetching the generated code failed: fetch the generated python code failed: `git fetch .*file:\/\/\S+\/does-not-exist /,
    hint:
      /hint: The generated commit could not be fetched; check the network and GITHUB_TOKEN's access, then run again\. Local main was not changed\./,
    setUp: (m) => hosted(m, { brokenOutput: true }),
  },
  {
    fault: "hosted API unreachable, credentials in STAINLESS_BASE_URL",
    stage: "secrets",
    code: 1,
    message:
      /Stainless API: cannot create a build: no connection \(client error \(Connect\): .*Connection refused/,
    hint: /hint: Check the network, or STAINLESS_BASE_URL/,
    async setUp(m) {
      const invocation = await hosted(m, {}, "--api-max-retries", "0");
      // Nothing listens on the workspace's reserved port while the hosted generator runs.
      const url = `http://${CANARY.urlUser}:${CANARY.urlPassword}@127.0.0.1:${m.ws.port}`;
      return { ...invocation, env: { STAINLESS_BASE_URL: url } };
    },
  },
]);
