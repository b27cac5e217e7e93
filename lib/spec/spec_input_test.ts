/** Spec inputs: files, REV:path from a real git repository, and the spec a new one replaces. */
import { join } from "node:path";
import { assertEquals, assertRejects } from "../../tests/helpers/assert.ts";
import { commitFiles, gitIn } from "../../tests/helpers/git_fixtures.ts";
import { loadSpecInput, previousSpec } from "./spec_input.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";

const SPEC_PATH = "tools/codegen/openapi.json";

function spec(version: string): string {
  return JSON.stringify({ openapi: "3.1.0", info: { version }, paths: {} }, null, 2);
}

/** A trace repository with two commits of the spec (versions 1 then 2). */
function withTraceRepo(fn: (repo: string, root: string) => Promise<void>) {
  return withTempDir("codegen-spec-input-", async (root) => {
    const repo = join(root, "trace");
    await gitIn(root, "init", "--quiet", "-b", "main", repo);
    await commitFiles(repo, { message: "spec v1", files: { [SPEC_PATH]: spec("1") } });
    await commitFiles(repo, { message: "spec v2", files: { [SPEC_PATH]: spec("2") } });
    await fn(repo, root);
  });
}

const version = (loaded: { document: { info?: { version?: string } } } | undefined) =>
  loaded?.document.info?.version;

Deno.test("a file argument is read relative to cwd; REV:path is read with git", async () => {
  await withTraceRepo(async (repo, root) => {
    const options = { repoRoot: repo, cwd: join(repo, "tools") };
    const file = await loadSpecInput("codegen/openapi.json", options);
    assertEquals([file.label, version(file)], ["codegen/openapi.json", "2"]);
    const head = await loadSpecInput(`HEAD~1:${SPEC_PATH}`, options);
    assertEquals([head.label, version(head)], [`HEAD~1:${SPEC_PATH}`, "1"]);
    const main = await loadSpecInput(`main:${SPEC_PATH}`, { repoRoot: repo, cwd: root });
    assertEquals(version(main), "2");
  });
});

Deno.test("bad inputs are errors naming the argument and what to do", async () => {
  await withTraceRepo(async (repo, root) => {
    const options = { repoRoot: repo, cwd: repo };
    await assertRejects(() => loadSpecInput("missing.json", options), /OpenAPI spec not found/);
    await assertRejects(
      () => loadSpecInput(`nosuchrev:${SPEC_PATH}`, options),
      /nosuchrev:tools\/codegen\/openapi\.json: no file tools\/codegen\/openapi\.json at revision nosuchrev/,
    );
    await assertRejects(() => loadSpecInput("HEAD:nope.json", options), /no file nope\.json/);
    await assertRejects(
      () => loadSpecInput("HEAD:tools", options),
      /HEAD:tools in .* is a tree, not a file/,
    );
    await Deno.writeTextFile(join(root, "bad.json"), "{not json");
    await assertRejects(() => loadSpecInput(join(root, "bad.json"), options), /is not JSON/);
    await Deno.writeTextFile(join(root, "swagger.json"), '{"swagger": "2.0", "paths": {}}');
    await assertRejects(
      () => loadSpecInput(join(root, "swagger.json"), options),
      /is not an OpenAPI 3 document/,
    );
    await assertRejects(
      () => loadSpecInput(`HEAD:${SPEC_PATH}`, { repoRoot: root, cwd: root }),
      /is not a git repository/,
    );
  });
});

Deno.test("the previous spec is the committed one, else the file on disk, else none", async () => {
  await withTraceRepo(async (repo, root) => {
    const file = join(repo, SPEC_PATH);
    await Deno.writeTextFile(file, spec("3")); // modified, not committed
    const committed = await previousSpec(repo, file);
    assertEquals([committed?.label, version(committed)], [`HEAD:${SPEC_PATH}`, "2"]);

    const untracked = join(repo, "other.json");
    await Deno.writeTextFile(untracked, spec("4"));
    const onDisk = await previousSpec(repo, untracked);
    assertEquals([onDisk?.label, version(onDisk)], ["other.json", "4"]);
    const outside = join(root, "outside.json");
    await Deno.writeTextFile(outside, spec("5"));
    assertEquals(version(await previousSpec(repo, outside)), "5");

    assertEquals(await previousSpec(repo, join(repo, "none.json")), undefined);
    assertEquals(await previousSpec(root, join(root, "none.json")), undefined); // not a git repo
  });
});
