/** Which directories may be SDK clones, and the per-clone lock. */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { join } from "node:path";
import { ensureClone, lockClones } from "./clone.ts";
import { mainState } from "./main_branch.ts";
import type { CodegenError } from "../core/errors.ts";
import { git, gitOutput } from "./git.ts";
import { head, makeClone, removeAll } from "../../tests/helpers/sdk_clone.ts";

Deno.test("ensureClone: missing directory is a clear error, or a new repository with init", async () => {
  const parent = await Deno.makeTempDir({ prefix: "clones-" });
  try {
    const missing = join(parent, "sdk");
    const error = await assertRejects(
      () => ensureClone(missing, { target: "python", source: "--python-path" }),
      /does not exist/,
    );
    assertStringIncludes(
      error.message,
      `python SDK clone ${missing} does not exist (--python-path)`,
    );
    assertEquals((error as CodegenError).exitCode, 2);
    await Deno.mkdir(join(parent, "plain"));
    await assertRejects(
      () => ensureClone(join(parent, "plain"), { target: "python" }),
      /not a git work tree/,
    );
    assertEquals(await ensureClone(missing, { target: "python", init: true }), {
      path: await Deno.realPath(missing),
      exists: true,
    });
    assertEquals(await gitOutput(missing, ["symbolic-ref", "--short", "HEAD"]), "main");
    // An empty repository (unborn main, checked out) can take its first commit.
    const state = await mainState(missing);
    assertEquals([state.tip, state.checkedOutIn], [undefined, missing]);
  } finally {
    await removeAll(parent);
  }
});

Deno.test("ensureClone: a subdirectory of another repository, or the trace repository, is refused", async () => {
  const trace = await makeClone({ "pyproject.toml": "[project]\n" });
  const linked = `${trace}-worktree`;
  try {
    const main = await head(trace, "main");
    const sub = join(trace, "sdkdir");
    await Deno.mkdir(sub);
    const options = {
      target: "python",
      key: "python_output",
      source: "--python-output",
      traceRepo: trace,
    };
    const inside = await assertRejects(
      () => ensureClone(sub, options),
      /not a repository of its own/,
    );
    assertStringIncludes(inside.message, `inside the git repository ${await Deno.realPath(trace)}`);
    assertStringIncludes(inside.message, "(python_output, from --python-output)");
    assertStringIncludes((inside as CodegenError).hint ?? "", "--python-output / python_output");
    assertEquals((inside as CodegenError).exitCode, 2);
    // Not even with --init: it only creates missing directories.
    await assertRejects(() => ensureClone(sub, { ...options, init: true }), /not a repository/);

    const itself = await assertRejects(() => ensureClone(trace, options), /trace repository/);
    assertStringIncludes(itself.message, `python SDK clone ${trace} is the trace repository`);
    // A linked worktree of the trace repository shares its branches: refused too.
    await git(trace, ["worktree", "add", "--quiet", "-b", "other", linked]);
    await assertRejects(() => ensureClone(linked, options), /is the trace repository/);
    // A missing directory names the flag and the way out.
    const missing = await assertRejects(
      () => ensureClone(join(sub, "new"), { ...options, offerInit: true }),
      /does not exist/,
    );
    assertStringIncludes((missing as CodegenError).hint ?? "", "--init");
    // A repository of its own inside the trace repository's tree is fine.
    await git(sub, ["init", "--quiet", "--initial-branch=main"]);
    assertEquals(await ensureClone(sub, options), { path: await Deno.realPath(sub), exists: true });
    assertEquals(await head(trace, "main"), main, "the trace repository's main never moved");
  } finally {
    await removeAll(trace, linked);
  }
});

Deno.test("ensureClone names the setting as given: flag typed, argument, variable, config line", async () => {
  const missing = "/nonexistent-codegen-clone";
  const cases: [string | undefined, string, string][] = [
    ["--python-path", "(python_output, from --python-path)", "fix --python-path / python_output"],
    [
      "the python_output argument",
      "(from the python_output argument)",
      "fix the python_output argument",
    ],
    [
      "CODEGEN_PYTHON_OUTPUT",
      "(python_output, from CODEGEN_PYTHON_OUTPUT)",
      "fix CODEGEN_PYTHON_OUTPUT",
    ],
    [
      "/t/config.yaml:3",
      "(python_output, from /t/config.yaml:3)",
      "fix python_output,",
    ],
    [undefined, "does not exist (python_output)", "fix python_output,"],
  ];
  for (const [source, via, fix] of cases) {
    const error = await assertRejects(
      () => ensureClone(missing, { target: "python", key: "python_output", source }),
      /does not exist/,
    );
    assertStringIncludes(error.message, via);
    assertStringIncludes((error as CodegenError).hint ?? "", fix);
  }
});

Deno.test("ensureClone --init in a dry run creates nothing and says the clone does not exist yet", async () => {
  const parent = await Deno.makeTempDir({ prefix: "clones-" });
  try {
    const missing = join(parent, "sdk");
    const checked = await ensureClone(missing, { target: "python", init: true, dryRun: true });
    assertEquals(checked, { path: missing, exists: false });
    assertEquals(await Deno.stat(missing).catch(() => null), null);
  } finally {
    await removeAll(parent);
  }
});

Deno.test("lockClones: one lock per clone, refused while held, released together", async () => {
  const [one, two] = [await makeClone(), await makeClone()];
  try {
    const release = await lockClones([one, two, one]); // the same clone twice is locked once
    for (const clone of [one, two]) {
      assert(await Deno.stat(join(clone, ".git", "codegen.lock")).then(() => true));
    }
    const refused = await assertRejects(
      () => lockClones([two]),
      /already locked by this codegen run/,
    );
    assertStringIncludes(refused.message, `the SDK clone ${two}`);
    await release();
    await release(); // harmless
    for (const clone of [one, two]) {
      assertEquals(await Deno.stat(join(clone, ".git", "codegen.lock")).catch(() => null), null);
    }
    // A refusal gives back the locks taken before it.
    const held = await lockClones([two]);
    await assertRejects(() => lockClones([one, two]), /already locked/);
    assertEquals(await Deno.stat(join(one, ".git", "codegen.lock")).catch(() => null), null);
    await held();
  } finally {
    await removeAll(one, two);
  }
});
