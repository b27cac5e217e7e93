/** Pull request title and body: conventional titles, the marker, sections, GitHub's size cap. */
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import type { SpecChanges } from "./changes.ts";
import { code } from "./markdown.ts";
import {
  GITHUB_BODY_LIMIT,
  pullRequestBody,
  type PullRequestContent,
  pullRequestTitle,
  readMarker,
} from "./pr_body.ts";

const STAMP = {
  "tools/codegen/openapi.json": "sha256:" + "a".repeat(64),
  "tools/codegen/openapi.stainless.yml": "sha256:" + "b".repeat(64),
  codegen: {
    generator: "openapi-python-client",
    generator_version: "0.29.1",
    inputs: "sha256:" + "c".repeat(64),
    endpoints: 67,
  },
};

const SPEC: SpecChanges = {
  added: [{ operation: "POST /calls/stream", breaking: false }],
  removed: [{ operation: "DELETE /obj/{digest}", breaking: true }],
  changed: [
    {
      operation: "POST /calls/query",
      breaking: true,
      descriptions: ["request field `project_id` became required"],
    },
    { operation: "GET /health", breaking: false, descriptions: ["new optional <header>"] },
  ],
};

function content(overrides: Partial<PullRequestContent> = {}): PullRequestContent {
  return {
    target: "python",
    packageName: "weave_server_sdk",
    head: "weave/my-feature",
    source: {
      repository: "wandb/weave",
      branch: "my-feature",
      commit: "0123456789abcdef0123456789abcdef01234567",
      webUrl: "https://github.com/wandb/weave",
    },
    stamp: STAMP,
    specChanges: SPEC,
    apiReport: { added: ["calls.stream"], removed: [], changed: ["calls.query"] },
    diffStat:
      " src/weave_server_sdk/api.py | 10 +++++-----\n 1 file changed, 5 insertions(+), 5 deletions(-)",
    reproduce: "codegen all --target python --repo-root .",
    ...overrides,
  };
}

Deno.test("title: conventional commit, `!` when breaking, feat/fix/chore otherwise", () => {
  assertEquals(
    pullRequestTitle(content()),
    "feat(api)!: update weave_server_sdk from my-feature@0123456",
  );
  const none = { added: [], removed: [], changed: [] };
  const onlyAdded = { ...none, added: SPEC.added };
  const report = { added: [], removed: [], changed: [] };
  assertMatch(
    pullRequestTitle(content({ specChanges: onlyAdded, apiReport: report })),
    /^feat\(api\): /,
  );
  assertMatch(
    pullRequestTitle(
      content({ specChanges: { ...none, changed: [SPEC.changed[1]] }, apiReport: report }),
    ),
    /^fix\(api\): /,
  );
  assertMatch(
    pullRequestTitle(content({ specChanges: none, apiReport: report })),
    /^chore\(api\): /,
  );
  // A public SDK name removed is breaking even when the spec diff says nothing.
  assertMatch(
    pullRequestTitle(
      content({ specChanges: none, apiReport: { ...report, removed: ["calls.old"] } }),
    ),
    /^feat\(api\)!: /,
  );
});

Deno.test("body: marker, source, breaking changes first, API changes, SDK report, inputs, files, reproduce", () => {
  const body = pullRequestBody(content());
  assertEquals(readMarker(body), {
    target: "python",
    head: "weave/my-feature",
    inputs_key: "sha256:" + "c".repeat(64),
  });
  assert(body.startsWith("<!-- codegen:pr "), body);
  assertStringIncludes(
    body,
    "branch `my-feature`, commit [`0123456789ab`](https://github.com/wandb/weave/commit/0123456789abcdef0123456789abcdef01234567)",
  );
  const order = [
    "### ⚠️ Breaking changes",
    "### API changes",
    "### SDK API report",
    "### Inputs",
    "### Files changed",
    "### Reproduce",
  ]
    .map((heading) => body.indexOf(heading));
  assert(
    order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1])),
    `section order ${order}`,
  );
  assertStringIncludes(body, "- `DELETE /obj/{digest}`: removed");
  assertStringIncludes(body, "- `POST /calls/query`: request field `project_id` became required");
  assertStringIncludes(body, "**Added (1)**\n\n- `POST /calls/stream`");
  assertStringIncludes(body, "- `POST /calls/query` **(breaking)**");
  assertStringIncludes(body, "new optional &lt;header&gt;");
  assertStringIncludes(body, "Generator: `openapi-python-client` `0.29.1`");
  assertStringIncludes(body, "- `tools/codegen/openapi.json`: `sha256:aaaa");
  assertStringIncludes(body, "- endpoints: `67`");
  assertStringIncludes(body, " 1 file changed, 5 insertions(+), 5 deletions(-)\n```");
  assertStringIncludes(body, "```sh\ncodegen all --target python --repo-root .\n```");
  assertNotMatch(body, /Shortened/);
});

Deno.test("body without a spec diff or stamp says so instead of inventing sections", () => {
  const body = pullRequestBody(
    content({ specChanges: undefined, stamp: undefined, apiReport: undefined, diffStat: "" }),
  );
  assertStringIncludes(body, "The spec diff was not computed.");
  for (const heading of ["Breaking", "SDK API report", "Inputs", "Files changed"]) {
    assert(!body.includes(heading), heading);
  }
  assertEquals(readMarker(body), { target: "python", head: "weave/my-feature" });
  assertEquals(readMarker("a body a person wrote"), undefined);
  const why = "the base branch has no .codegen/openapi.json (first generation)";
  assertStringIncludes(
    pullRequestBody(content({ specChanges: undefined, specNotComputed: why })),
    `The spec diff was not computed: ${why}.`,
  );
});

Deno.test("body over GitHub's 65,536 characters: lists cut least important first, with a notice", () => {
  const many = (prefix: string, n: number, breaking = false) =>
    Array.from({ length: n }, (_, i) => ({
      operation: `POST /${prefix}/${"x".repeat(40)}/${i}`,
      breaking,
      descriptions: [`changed ${"y".repeat(40)}`],
    }));
  const huge = content({
    specChanges: {
      added: many("added", 400),
      removed: many("removed", 30, true),
      changed: many("changed", 400),
    },
    apiReport: {
      added: Array.from({ length: 2000 }, (_, i) => `client.namespace.method_${i}`),
      removed: [],
      changed: [],
    },
    diffStat: [
      ...Array.from(
        { length: 3000 },
        (_, i) => ` src/weave_server_sdk/models/model_${i}.py | 12 ++++++------`,
      ),
      " 3000 files changed, 18000 insertions(+), 18000 deletions(-)",
    ].join("\n"),
  });
  const body = pullRequestBody(huge);
  assert(body.length <= GITHUB_BODY_LIMIT, `${body.length} characters`);
  assert(body.length > GITHUB_BODY_LIMIT - 5_000, `cut too much: ${body.length}`);
  assertStringIncludes(
    body,
    "Shortened to fit GitHub's limit of 65,536 characters (cut: files changed",
  );
  // The files list went first (down to its summary line); breaking changes are all there.
  assertStringIncludes(body, " 3000 files changed, 18000 insertions(+), 18000 deletions(-)\n```");
  for (let i = 0; i < 30; i++) assertStringIncludes(body, `POST /removed/${"x".repeat(40)}/${i}\``);
  assertMatch(body, /- … and \d+ more/);
  assertStringIncludes(body, "### Reproduce");
  assert(readMarker(body), "the marker survives the cut");

  // A small limit shows the order: everything cuttable goes, the fixed parts stay.
  const small = pullRequestBody(huge, 2_000);
  assert(small.length <= 2_000, `${small.length}`);
  assert(readMarker(small));
});

Deno.test("inline code survives backticks in names", () => {
  assertEquals(code("a`b"), "``a`b``");
  assertEquals(code("`x`"), "`` `x` ``");
});
