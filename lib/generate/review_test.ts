/**
 * The review of a generated commit before main moves: which previous SDK it is compared with,
 * what `sdk_api` holds, `--fail-on api-removals`, and the hygiene warning. Real git clones holding
 * the synthetic hosted-Stainless fixture (tests/helpers/sdk_api_fixtures.ts).
 */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { HOSTED_STAINLESS_FIXTURE, writeTree } from "../../tests/helpers/sdk_api_fixtures.ts";
import { head, makeClone, removeAll } from "../../tests/helpers/sdk_clone.ts";
import { Settings } from "../config/settings.ts";
import { git } from "../git/git.ts";
import { commitDirectoryOnMain } from "../git/main_branch.ts";
import { ApiRemovalsError, describeSdkApi, GenerationReview, planReview } from "./review.ts";
import type { TargetClone } from "./types.ts";
import { targetClone } from "../../tests/helpers/generate_input.ts";

function settings(flags: Record<string, unknown> = {}): Settings {
  const configFile = { path: "/x.yaml", exists: false, values: {}, placeholders: {}, warnings: [] };
  return new Settings({ repoRoot: "/", cwd: "/", configFile, flags, env: {} });
}

/** The fixture without the gadgets resource (and its subresource parts). */
const WITHOUT_GADGETS = Object.fromEntries(
  Object.entries(HOSTED_STAINLESS_FIXTURE).filter(([path]) => !path.includes("/gadgets/")),
);

/** A commit on top of main holding exactly `files` (main does not move). */
async function generated(clone: string, files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "codegen-review-" });
  try {
    await writeTree(dir, files);
    const made = await commitDirectoryOnMain(clone, dir, { preserve: [], message: "generated" });
    assert(made, "a new tree");
    return made.commit;
  } finally {
    await removeAll(dir);
  }
}

async function withClone(fn: (clone: string, target: TargetClone) => Promise<void>) {
  const clone = await makeClone();
  try {
    await fn(clone, targetClone(settings(), "python", clone));
  } finally {
    await removeAll(clone);
  }
}

Deno.test("compared with origin/main: removals listed in sdk_api; --fail-on api-removals stops", async () => {
  await withClone(async (clone, target) => {
    const previous = await generated(clone, HOSTED_STAINLESS_FIXTURE);
    await git(clone, ["update-ref", "refs/remotes/origin/main", previous]);
    const next = await generated(clone, WITHOUT_GADGETS);

    const review = new GenerationReview(settings());
    await review.review(target, next);
    const record = review.record();
    assert("base" in record, JSON.stringify(record));
    assertEquals(record.base, { rev: "origin/main", commit: previous });
    assertEquals(record.removals, true);
    assertEquals(record.added, []);
    assertEquals(
      record.removed.filter((i) => i.kind !== "method"),
      [{ kind: "resource", name: "gadgets" }, { kind: "resource", name: "gadgets.parts" }],
    );
    assertMatch(
      describeSdkApi(record),
      /^vs origin\/main \([0-9a-f]{12}\): resources 2 removed; methods 3 removed; removed: /,
    );
    assertStringIncludes(describeSdkApi(record), "removed: gadgets, gadgets.parts");

    const strict = new GenerationReview(settings({ fail_on: "lint,api-removals" }));
    const error = await assertRejects(() => strict.review(target, next));
    assert(error instanceof ApiRemovalsError);
    assertEquals(error.exitCode, 1);
    assertStringIncludes(error.message, "removes public API (--fail-on api-removals)");
    assertStringIncludes(error.hint!, "did not move");
    assertEquals(error.record, record);
    // Additions alone pass.
    await strict.review(target, await generated(clone, HOSTED_STAINLESS_FIXTURE));
    assertEquals((strict.record() as { removals: boolean }).removals, false);
  });
});

Deno.test("without an SDK on origin/main, the previous generation on main (before it moves)", async () => {
  await withClone(async (clone, target) => {
    // origin/main holds only a README: the repository has no SDK published yet.
    await git(clone, ["update-ref", "refs/remotes/origin/main", await head(clone)]);
    const first = await generated(clone, WITHOUT_GADGETS);
    const review = new GenerationReview(settings({ fail_on: "api-removals" }));
    await review.review(target, first);
    assertMatch(
      (review.record() as { skipped: string }).skipped,
      /^no previous SDK to compare with: origin\/main \([0-9a-f]{12}\) holds no SDK package, main is the same commit$/,
    );
    await git(clone, ["update-ref", "refs/heads/main", first]);
    await review.review(target, await generated(clone, HOSTED_STAINLESS_FIXTURE));
    const record = review.record();
    assert("base" in record);
    assertEquals(record.base, { rev: "main", commit: first });
    assertEquals(record.removals, false);
    assertEquals(record.added.filter((i) => i.kind === "resource").length, 2);
  });
});

Deno.test("not a Python SDK, or no layout the reader knows: skipped with a note", async () => {
  await withClone(async (clone, target) => {
    const review = new GenerationReview(settings());
    const ts = await generated(clone, { "package.json": "{}\n", "src/index.ts": "export {};\n" });
    await review.review({ ...target, target: "typescript" }, ts);
    assertMatch((review.record() as { skipped: string }).skipped, /no Python SDK was generated/);
    assertEquals(planReview(settings(), { ...target, target: "typescript" }), []);
    await review.review(target, ts);
    assertMatch(
      (review.record() as { skipped: string }).skipped,
      /^cannot read the generated SDK's API: /,
    );
    // With api-removals asked for, an unreadable SDK cannot be let through.
    const strict = new GenerationReview(settings({ fail_on: "api-removals" }));
    await assertRejects(() => strict.review(target, ts), /--fail-on api-removals: cannot read/);
  });
});

Deno.test("a target left as it is (up to date) has no report, and the record says why", () => {
  const review = new GenerationReview(settings());
  review.skipped(targetClone(settings(), "node", join("/sdk-node")));
  assertEquals(review.record(), {
    skipped: "no Python SDK was generated (the report reads Python SDKs)",
  });
  review.skipped(targetClone(settings(), "python", join("/sdk")));
  assertMatch(
    (review.record() as { skipped: string }).skipped,
    /^python is up to date with its inputs: not regenerated, so there is no new SDK to compare/,
  );
});

Deno.test("planReview says what a dry run would compare, and whether it would stop", () => {
  const target: TargetClone = targetClone(settings(), "python", join("/sdk"));
  assertEquals(planReview(settings(), target), [
    "compare the public API of the generated python SDK with origin/main (else main before this run)",
  ]);
  assertStringIncludes(
    planReview(settings({ fail_on: "api-removals" }), target)[0],
    "; stop before main moves if anything was removed (--fail-on api-removals)",
  );
});

Deno.test("no Python to read the SDK with: a note, never a failed generation", async () => {
  await withClone(async (clone, target) => {
    const commit = await generated(clone, HOSTED_STAINLESS_FIXTURE);
    // The review reads CODEGEN_PYTHON when it is made. The environment is shared by every test
    // file running in parallel (their SDK API readers use it too), so it is changed only for
    // that synchronous moment, not across the awaits below.
    const saved = Deno.env.get("CODEGEN_PYTHON");
    Deno.env.set("CODEGEN_PYTHON", "/nonexistent/python3");
    let review: GenerationReview;
    try {
      review = new GenerationReview(settings());
    } finally {
      if (saved === undefined) Deno.env.delete("CODEGEN_PYTHON");
      else Deno.env.set("CODEGEN_PYTHON", saved);
    }
    await review.review(target, commit);
    assertEquals(review.record(), {
      skipped:
        "cannot read the generated SDK's API: no Python to read it with (/nonexistent/python3; set CODEGEN_PYTHON)",
    });
  });
});
