/**
 * `codegen merge_generated_code` end to end, when it must not (or cannot) push: someone else's
 * commits, detached HEAD, illegal names, a rejected push, a held lock, and --dry-run.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { commitFiles, filesAt, generate, gitIn, otherClone } from "../helpers/git_fixtures.ts";
import { merge, MIRROR, remoteRef, withFixture } from "../helpers/merge_cli.ts";
import { acquireLock } from "../../lib/os/lock.ts";

Deno.test("commits someone else pushed to the mirror branch: refusal naming them, then --force", async () => {
  await withFixture(async (f) => {
    await generate(f, { "src/weave_server_sdk/__init__.py": "# v1\n" });
    assertEquals((await merge(f)).code, 0);
    const other = await otherClone(f);
    await gitIn(other, "checkout", "--quiet", "weave/my-feature");
    await commitFiles(other, {
      message: "Hand-written fix",
      files: { "src/weave_server_sdk/fix.py": "FIX = 1\n" },
    });
    await gitIn(other, "push", "--quiet", "origin", "weave/my-feature");
    const theirs = await remoteRef(f, MIRROR);
    await generate(f, { "src/weave_server_sdk/__init__.py": "# v2\n" });
    const pyprojectBefore = await Deno.readFile(f.pyproject);

    const refused = await merge(f);
    assertEquals(refused.code, 1);
    assertMatch(refused.stderr, /1 commit\(s\) that codegen did not make/);
    assertStringIncludes(refused.stderr, `${theirs.slice(0, 7)} Hand-written fix`);
    assertStringIncludes(refused.stderr, "--force");
    assertEquals(await remoteRef(f, MIRROR), theirs);
    assertEquals(await Deno.readFile(f.pyproject), pyprojectBefore);

    const forced = await merge(f, ["--force"]);
    assertEquals(forced.code, 0, forced.stderr);
    assertStringIncludes(forced.stderr, "Hand-written fix");
    const files = await filesAt(f.bare, MIRROR);
    assertEquals(files["src/weave_server_sdk/__init__.py"], "# v2");
    assert(!("src/weave_server_sdk/fix.py" in files));
  });
});

Deno.test("detached trace HEAD: --trace-branch, GITHUB_HEAD_REF, GITHUB_REF_NAME, else a usage error", async () => {
  await withFixture(async (f) => {
    await generate(f, { "src/weave_server_sdk/__init__.py": "# v1\n" });
    await gitIn(f.trace, "checkout", "--quiet", "--detach");
    const none = await merge(f, [], { GITHUB_HEAD_REF: "", GITHUB_REF_NAME: "" });
    assertEquals(none.code, 2);
    assertMatch(none.stderr, /detached HEAD/);
    assertStringIncludes(none.stderr, "--trace-branch");
    assert(!(await remoteRef(f, "refs/heads/weave/HEAD")));

    const headRef = await merge(f, [], {
      GITHUB_HEAD_REF: "pr-branch",
      GITHUB_REF_NAME: "12/merge",
    });
    assertEquals(headRef.code, 0, headRef.stderr);
    assert(await remoteRef(f, "refs/heads/weave/pr-branch"));
    const refName = await merge(f, [], { GITHUB_HEAD_REF: "", GITHUB_REF_NAME: "release-1" });
    assertEquals(refName.code, 0, refName.stderr);
    assert(await remoteRef(f, "refs/heads/weave/release-1"));
    const flag = await merge(f, ["--trace-branch", "from-flag"], { GITHUB_HEAD_REF: "pr-branch" });
    assertEquals(flag.code, 0, flag.stderr);
    assert(await remoteRef(f, "refs/heads/weave/from-flag"));
  });
});

Deno.test("illegal branch names are usage errors and push nothing", async () => {
  await withFixture(async (f) => {
    for (const name of ["bad..name", "has space", "ends.lock", "trailing/", "a~b", "a:b"]) {
      const result = await merge(f, [`--trace-branch=${name}`]);
      assertEquals(result.code, 2, `${name}: ${result.stderr}`);
      assertStringIncludes(result.stderr, "is not a legal git branch name");
    }
    const prefix = await merge(f, ["--mirror-prefix", "weave:"]);
    assertEquals(prefix.code, 2);
    assertEquals(await gitIn(f.bare, "for-each-ref", "refs/heads/weave"), "");
  });
});

Deno.test("a rejected push is a clear error and leaves pyproject.toml unchanged", async () => {
  await withFixture(async (f) => {
    await generate(f, { "src/weave_server_sdk/__init__.py": "# v1\n" });
    const hook = join(f.bare, "hooks", "pre-receive");
    await Deno.writeTextFile(hook, "#!/bin/sh\necho 'protected: pushes are closed' >&2\nexit 1\n");
    await Deno.chmod(hook, 0o755);
    const before = await Deno.readFile(f.pyproject);
    const result = await merge(f);
    assertEquals(result.code, 1);
    assertStringIncludes(result.stderr, "push weave/my-feature to origin failed");
    assertStringIncludes(result.stderr, "protected: pushes are closed");
    assertStringIncludes(result.stderr, "Nothing was pinned");
    assertEquals(result.stdout, "");
    assertEquals(await Deno.readFile(f.pyproject), before);
  });
});

Deno.test("a second concurrent run fails at once naming the PID; a dead owner's lock is taken over", async () => {
  await withFixture(async (f) => {
    await generate(f, { "src/weave_server_sdk/__init__.py": "# v1\n" });
    const lockPath = join(f.sdk, ".git", "codegen.lock");
    const held = await acquireLock(lockPath, "test");
    try {
      const blocked = await merge(f);
      assertEquals(blocked.code, 1);
      assertStringIncludes(blocked.stderr, `in use by another codegen run: PID ${Deno.pid}`);
      assertEquals(await remoteRef(f, MIRROR), "");
    } finally {
      await held.release();
    }
    const dead = new Deno.Command("true").spawn();
    await dead.status;
    await Deno.writeTextFile(
      lockPath,
      JSON.stringify({ pid: dead.pid, host: "elsewhere", started: "then" }),
    );
    const result = await merge(f);
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(
      result.stderr,
      `taking over the lock on the SDK clone ${f.sdk} left by PID ${dead.pid}`,
    );
  });
});

Deno.test("--dry-run: the pin names the new mirror commit, or the existing tip when nothing changes", async () => {
  await withFixture(async (f) => {
    const generated = await generate(f, { "src/weave_server_sdk/__init__.py": "# v1\n" });
    const before = await Deno.readFile(f.pyproject);
    const result = await merge(f, ["--dry-run"]);
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(result.stderr, "would fetch origin");
    assertStringIncludes(
      result.stdout,
      "weave/my-feature (not on origin yet; a new commit would be pushed to create it) (dry run)",
    );
    // A real run pins a commit made then, not the local generated one.
    assertStringIncludes(result.stdout, `weave_server_sdk @ git+${f.sdkUrl}@<new mirror commit>`);
    assert(!result.stdout.includes(generated), result.stdout);
    assertEquals(await remoteRef(f, MIRROR), "");
    assertEquals(await Deno.readFile(f.pyproject), before);

    assertEquals((await merge(f)).code, 0);
    const pushed = await remoteRef(f, MIRROR);
    // Same tree on origin: a real run pushes nothing and pins that tip, so the dry run says so.
    const same = await merge(f, ["--dry-run"]);
    assertEquals(same.code, 0, same.stderr);
    assertStringIncludes(same.stderr, "nothing would be pushed");
    assertStringIncludes(
      same.stdout,
      `weave/my-feature (already holds the generated code at ${
        pushed.slice(0, 12)
      }; nothing would be pushed) (dry run)`,
    );
    assertStringIncludes(same.stdout, `weave_server_sdk @ git+${f.sdkUrl}@${pushed}`);
    const json = JSON.parse((await merge(f, ["-n", "--json"])).stdout);
    assertEquals([json.command, json.ok, json.dryRun], ["merge_generated_code", true, true]);
    assertEquals([json.plan.branch, json.plan.mirrorTip, json.plan.push], [
      MIRROR.replace("refs/heads/", ""),
      pushed,
      "no",
    ]);
    // New generated code: a new commit again.
    await generate(f, { "src/weave_server_sdk/__init__.py": "# v2\n" });
    const changed = await merge(f, ["--dry-run"]);
    assertEquals(changed.code, 0, changed.stderr);
    assertStringIncludes(changed.stdout, "@<new mirror commit>");
    // The branch exists on origin: the line says where, and what the plan would do.
    assertMatch(
      changed.stdout,
      new RegExp(
        `weave/my-feature \\((at ${
          pushed.slice(0, 12)
        } on origin; a new commit would be pushed|a new commit would be pushed only if the generated code differs from ${
          pushed.slice(0, 12)
        })\\) \\(dry run\\)`,
      ),
    );
    assert(!changed.stdout.includes(`@${pushed}`), changed.stdout);
    assertEquals(await remoteRef(f, MIRROR), pushed);
  });
});
