/**
 * Which specs a pull request and a release compare: the SDK trees' `.codegen/openapi.json` first,
 * the trace repository's fork point and current file as stand-ins; real git repositories.
 */
import { assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { captureLog } from "../../tests/helpers/capture_log.ts";
import { commitFiles, gitIn } from "../../tests/helpers/git_fixtures.ts";
import { SMALL_SPEC } from "../../tests/helpers/sdk_clone.ts";
import { type PrSpecChanges, pullRequestSpecChanges, releaseSpecChanges } from "./spec_changes.ts";
import { commitTrailer, originStampAt } from "./sdk_tree.ts";

const WITH_WIDGETS = {
  ...SMALL_SPEC,
  paths: {
    ...SMALL_SPEC.paths,
    "/widgets": { get: { responses: { "200": { description: "" } } } },
  },
};
const changesOf = (r: PrSpecChanges) => "changes" in r ? r.changes : undefined;
const spec = (doc: unknown) => JSON.stringify(doc, null, 2);
const names = (changes?: { added: { operation: string }[]; removed: { operation: string }[] }) =>
  changes &&
  {
    added: changes.added.map((c) => c.operation),
    removed: changes.removed.map((c) => c.operation),
  };

async function withRepos(
  fn: (dirs: { sdk: string; trace: string; root: string }) => Promise<void>,
) {
  const root = await Deno.makeTempDir({ prefix: "codegen-spec-changes-" });
  const log = captureLog("verbose");
  try {
    const sdk = `${root}/sdk`;
    const trace = `${root}/trace`;
    await gitIn(root, "init", "--quiet", "-b", "main", sdk);
    await gitIn(root, "init", "--quiet", "-b", "main", trace);
    await fn({ sdk, trace, root });
  } finally {
    log.restore();
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("pull request: the SDK trees' specs, else the trace fork point and the current file", async () => {
  await withRepos(async ({ sdk, trace, root }) => {
    const base = await commitFiles(sdk, {
      message: "base",
      files: { ".codegen/openapi.json": spec(SMALL_SPEC) },
    });
    const head = await commitFiles(sdk, {
      message: "head",
      files: { ".codegen/openapi.json": spec(WITH_WIDGETS) },
    });
    const specPath = `${trace}/tools/codegen/openapi.json`;
    const input = { clone: sdk, baseCommit: base, headCommit: head, traceRepo: trace, specPath };
    assertEquals(names(changesOf(await pullRequestSpecChanges(input))), {
      added: ["GET /widgets"],
      removed: [],
    });

    // No SDK specs, no trace origin, no spec file: nothing to compare.
    const plain = await commitFiles(sdk, {
      message: "no spec",
      files: { ".codegen/openapi.json": null },
    });
    const none = { ...input, baseCommit: plain, headCommit: plain };
    // ... and the body and the log (at the normal level) say why.
    const normal = captureLog("normal");
    assertEquals(await pullRequestSpecChanges(none), {
      notComputed:
        "the base branch has no .codegen/openapi.json (first generation), and the trace repository's spec at its fork point was not found",
    });
    assertStringIncludes(
      normal.text(),
      "no spec diff for the pull request: the base branch has no",
    );
    normal.restore();
    // The reason names the spec file relative to the trace repository, never a local path.
    assertEquals(await pullRequestSpecChanges({ ...input, headCommit: plain }), {
      notComputed:
        "the mirror branch has no .codegen/openapi.json, and tools/codegen/openapi.json does not exist",
    });
    const outside = { ...input, headCommit: plain, specPath: `${root}/elsewhere/openapi.json` };
    assertEquals(await pullRequestSpecChanges(outside), {
      notComputed: "the mirror branch has no .codegen/openapi.json, and openapi.json (outside " +
        "the trace repository) does not exist",
    });

    // The trace branch forked from origin/main (with /widgets) and its spec file dropped them.
    await commitFiles(trace, {
      message: "spec",
      files: { "tools/codegen/openapi.json": spec(WITH_WIDGETS) },
    });
    await gitIn(root, "init", "--quiet", "--bare", "-b", "main", `${root}/trace.git`);
    await gitIn(trace, "remote", "add", "origin", `${root}/trace.git`);
    await gitIn(trace, "push", "--quiet", "origin", "main");
    await gitIn(trace, "checkout", "--quiet", "-b", "feature");
    await commitFiles(trace, {
      message: "drop widgets",
      files: { "tools/codegen/openapi.json": spec(SMALL_SPEC) },
    });
    assertEquals(names(changesOf(await pullRequestSpecChanges(none))), {
      added: [],
      removed: ["GET /widgets"],
    });
    // One side from the SDK tree, the other from the trace repository.
    assertEquals(names(changesOf(await pullRequestSpecChanges({ ...none, baseCommit: base }))), {
      added: [],
      removed: [],
    });
  });
});

Deno.test("release: the spec at the last tag against the commit; none without both", async () => {
  await withRepos(async ({ sdk }) => {
    const v1 = await commitFiles(sdk, {
      message: "v1",
      files: { ".codegen/openapi.json": spec(SMALL_SPEC) },
    });
    const tip = await commitFiles(sdk, {
      message: "v2",
      files: { ".codegen/openapi.json": spec(WITH_WIDGETS) },
    });
    const since = releaseSpecChanges(sdk);
    const last = { tag: "v1.0.0", version: "1.0.0", commit: v1 };
    assertEquals(names(await since(last, tip)), { added: ["GET /widgets"], removed: [] });
    assertEquals(await since(undefined, tip), undefined, "a first release has nothing to compare");
    const bare = await commitFiles(sdk, {
      message: "gone",
      files: { ".codegen/openapi.json": null },
    });
    assertEquals(await since(last, bare), undefined);
  });
});

Deno.test("SDK tree: the stamp (a broken one is ignored with a warning) and the Trace-Commit trailer", async () => {
  await withRepos(async ({ sdk }) => {
    const good = await commitFiles(sdk, {
      message: "gen\n\nTrace-Commit: abc123\nGenerated-By: codegen",
      files: {
        ".codegen/origin.json": '{"codegen": {"generator": "stainful"}}',
      },
    });
    assertEquals(await originStampAt(sdk, good), { codegen: { generator: "stainful" } });
    assertEquals(await commitTrailer(sdk, good, "Trace-Commit"), "abc123");
    const broken = await commitFiles(sdk, {
      message: "no trailer",
      files: { ".codegen/origin.json": "{not json" },
    });
    assertEquals(await originStampAt(sdk, broken), undefined);
    assertEquals(await commitTrailer(sdk, broken, "Trace-Commit"), undefined);
    const gone = await commitFiles(sdk, {
      message: "gone",
      files: { ".codegen/origin.json": null },
    });
    assertEquals(await originStampAt(sdk, gone), undefined);
  });
});
