/**
 * `codegen merge_generated_code` end to end: a bare SDK repository served by `git daemon` on
 * loopback, real pushes, the CLI run as a subprocess.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import {
  commitFiles,
  createSyncFixture,
  filesAt,
  generate,
  gitIn,
  otherClone,
  type SyncFixture,
  TRACE_PYPROJECT,
} from "../helpers/git_fixtures.ts";
import { acquireLock } from "../../lib/os/lock.ts";

const MIRROR = "refs/heads/weave/my-feature";
/** No identity and no user config: the tool must fall back to its default identity. */
const ENV = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };

function merge(f: SyncFixture, args: string[] = [], env: Record<string, string> = {}) {
  return runCli([
    "--repo-root",
    f.trace,
    "merge_generated_code",
    f.sdk,
    "weave_server_sdk",
    ...args,
  ], {
    env: { ...ENV, ...env },
  });
}

async function remoteRef(f: SyncFixture, ref: string): Promise<string> {
  return (await gitIn(f.bare, "for-each-ref", "--format=%(objectname)", ref)).trim();
}

async function withFixture(fn: (f: SyncFixture) => Promise<void>) {
  const f = await createSyncFixture();
  try {
    await fn(f);
  } finally {
    await f.dispose();
  }
}

Deno.test("first run: creates the mirror branch on origin/main with the generated tree, then pins", async () => {
  await withFixture(async (f) => {
    const mainBefore = await remoteRef(f, "refs/heads/main");
    const generated = await generate(f, { "src/weave_server_sdk/__init__.py": "# v1\n" });
    const result = await merge(f);
    assertEquals(result.code, 0, result.stderr);
    const commit = await remoteRef(f, MIRROR);
    assertEquals(result.stdout.split("\n")[0], `weave/my-feature: ${commit} (pushed)`);
    assertEquals(
      await gitIn(f.bare, "rev-parse", `${commit}^{tree}`),
      await gitIn(f.sdk, "rev-parse", `${generated}^{tree}`),
    );
    assertEquals(await gitIn(f.bare, "rev-parse", `${commit}^`), mainBefore);
    assertEquals(await remoteRef(f, "refs/heads/main"), mainBefore, "main is never pushed");
    const message = await gitIn(f.bare, "log", "-1", "--format=%B", commit);
    const traceHead = await gitIn(f.trace, "rev-parse", "HEAD");
    assertStringIncludes(message, "Update generated code from weave branch: my-feature");
    assertStringIncludes(message, `Trace-Commit: ${traceHead}`);
    assertMatch(message, /Spec-Sha256: [0-9a-f]{64}/);
    assertStringIncludes(message, "Generated-By: codegen");
    assertEquals(
      await gitIn(f.bare, "log", "-1", "--format=%an <%ae>", commit),
      "weave codegen <codegen@localhost>",
    );
    const pyproject = await Deno.readTextFile(f.pyproject);
    assertStringIncludes(
      pyproject,
      `"weave_server_sdk @ git+${f.sdkUrl}@${commit}", # generated SDK`,
    );
    assertStringIncludes(pyproject, "allow-direct-references = true");
    assertEquals(
      await gitIn(f.sdk, "config", "--get-regexp", "^branch\\.weave").catch(() => ""),
      "",
    );
  });
});

Deno.test("re-run with an identical tree: no commit, no push, still pinned", async () => {
  await withFixture(async (f) => {
    await generate(f, { "src/weave_server_sdk/__init__.py": "# v1\n" });
    assertEquals((await merge(f)).code, 0);
    const first = await remoteRef(f, MIRROR);
    await Deno.writeTextFile(
      f.pyproject,
      (await Deno.readTextFile(f.pyproject)).replace(first, "0".repeat(40)),
    );
    const again = await merge(f);
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stderr, "nothing to push");
    assertStringIncludes(again.stdout, `weave/my-feature: ${first} (unchanged)`);
    assertEquals(await remoteRef(f, MIRROR), first);
    assertStringIncludes(await Deno.readTextFile(f.pyproject), first);
  });
});

Deno.test("a file removed by the generation is gone from the mirror branch", async () => {
  await withFixture(async (f) => {
    await generate(f, { "src/weave_server_sdk/__init__.py": "# v1\n" });
    assertEquals((await merge(f)).code, 0);
    await generate(f, {
      "src/weave_server_sdk/old_module.py": null,
      "src/weave_server_sdk/new.py": "NEW = 1\n",
    });
    const result = await merge(f);
    assertEquals(result.code, 0, result.stderr);
    const files = await filesAt(f.bare, MIRROR);
    assertEquals(Object.keys(files).sort(), [
      "README.md",
      "pyproject.toml",
      "src/weave_server_sdk/__init__.py",
      "src/weave_server_sdk/new.py",
    ]);
    // One codegen commit on top of origin/main, not a growing history.
    assertEquals(await gitIn(f.bare, "rev-list", "--count", `main..${MIRROR}`), "1");
  });
});

Deno.test("commits someone else pushed to the mirror branch: refusal naming them, then --force", async () => {
  await withFixture(async (f) => {
    await generate(f, { "src/weave_server_sdk/__init__.py": "# v1\n" });
    assertEquals((await merge(f)).code, 0);
    const other = await otherClone(f);
    await gitIn(other, "checkout", "--quiet", "weave/my-feature");
    await commitFiles(other, "Hand-written fix", { "src/weave_server_sdk/fix.py": "FIX = 1\n" });
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

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (sub: string) => {
    for await (const entry of Deno.readDir(join(dir, sub))) {
      const path = join(sub, entry.name);
      if (
        path === ".git/logs" || path === ".git/refs" || path === ".git/objects" ||
        path === ".git/FETCH_HEAD" || path === ".git/packed-refs"
      ) continue;
      if (entry.isDirectory) await walk(path);
      else out[path] = btoa(String.fromCharCode(...await Deno.readFile(join(dir, path))));
    }
  };
  await walk("");
  return out;
}

Deno.test("the SDK clone's dirty worktree, index, untracked files and branch are untouched", async () => {
  await withFixture(async (f) => {
    await generate(f, {
      "src/weave_server_sdk/__init__.py": "# v1\n",
      "src/weave_server_sdk/old_module.py": null,
    });
    await gitIn(f.sdk, "checkout", "--quiet", "-b", "wip", "main~1");
    await Deno.writeTextFile(join(f.sdk, "README.md"), "uncommitted edit\n");
    await Deno.writeTextFile(join(f.sdk, "staged.txt"), "staged\n");
    await gitIn(f.sdk, "add", "staged.txt");
    await Deno.writeTextFile(join(f.sdk, "untracked.txt"), "untracked\n");
    const before = await snapshot(f.sdk);
    const result = await merge(f);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(await snapshot(f.sdk), before);
    assertEquals(await gitIn(f.sdk, "symbolic-ref", "--short", "HEAD"), "wip");
    assert("src/weave_server_sdk/old_module.py" in await filesAt(f.sdk, "HEAD"));
    assert(!("src/weave_server_sdk/old_module.py" in await filesAt(f.bare, MIRROR)));
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

Deno.test("--release pins the version from the generated code and drops allow-direct-references", async () => {
  await withFixture(async (f) => {
    await generate(f, {
      "pyproject.toml": `[project]\nname = "weave_server_sdk"\nversion = "2.0.0"\n`,
    });
    await Deno.writeTextFile(
      f.pyproject,
      (await Deno.readTextFile(f.pyproject)) +
        "\n[tool.hatch.metadata]\nallow-direct-references = true\n",
    );
    const result = await merge(f, ["--release"]);
    assertEquals(result.code, 0, result.stderr);
    const text = await Deno.readTextFile(f.pyproject);
    assertStringIncludes(text, `"weave_server_sdk==2.0.0", # generated SDK`);
    assert(!text.includes("tool.hatch"));
  });
});

Deno.test("--dry-run: the pin names the new mirror commit, or the existing tip when nothing changes", async () => {
  await withFixture(async (f) => {
    const generated = await generate(f, { "src/weave_server_sdk/__init__.py": "# v1\n" });
    const before = await Deno.readFile(f.pyproject);
    const result = await merge(f, ["--dry-run"]);
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(result.stderr, "would fetch origin");
    assertStringIncludes(result.stdout, "weave/my-feature: (not created) (dry run)");
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
    assertStringIncludes(same.stdout, `weave_server_sdk @ git+${f.sdkUrl}@${pushed}`);
    const json = JSON.parse((await merge(f, ["-n", "--json"])).stdout);
    assertEquals([json.command, json.ok, json.dryRun], ["merge_generated_code", true, true]);
    assertEquals([json.branch, json.commit, json.pushed, json.noop], [
      MIRROR.replace("refs/heads/", ""),
      pushed,
      false,
      true,
    ]);
    // New generated code: a new commit again.
    await generate(f, { "src/weave_server_sdk/__init__.py": "# v2\n" });
    const changed = await merge(f, ["--dry-run"]);
    assertEquals(changed.code, 0, changed.stderr);
    assertStringIncludes(changed.stdout, "@<new mirror commit>");
    assert(!changed.stdout.includes(`@${pushed}`), changed.stdout);
    assertEquals(await remoteRef(f, MIRROR), pushed);
  });
});

Deno.test("a pin failing after the push says the push happened", async () => {
  await withFixture(async (f) => {
    await generate(f, { "src/weave_server_sdk/__init__.py": "# v1\n" });
    // Runs during the push, after the branch moved: pyproject.toml becomes unreadable TOML.
    const hook = join(f.bare, "hooks", "post-receive");
    await Deno.writeTextFile(hook, `#!/bin/sh\nprintf 'broken = [' > '${f.pyproject}'\n`);
    await Deno.chmod(hook, 0o755);
    const result = await merge(f);
    assertEquals(result.code, 1, result.stderr);
    const pushed = await remoteRef(f, MIRROR);
    assertMatch(pushed, /^[0-9a-f]{40}$/);
    assertStringIncludes(
      result.stderr,
      `error: pushed ${
        pushed.slice(0, 12)
      } to weave/my-feature on origin, but pinning pyproject.toml failed`,
    );
    assertStringIncludes(result.stderr, "nothing new is pushed and the pin is written");
    // Fixed: the re-run pushes nothing and pins the pushed commit.
    await Deno.remove(hook);
    await Deno.writeTextFile(f.pyproject, TRACE_PYPROJECT);
    const again = await merge(f);
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stderr, "nothing to push");
    assertStringIncludes(await Deno.readTextFile(f.pyproject), `@${pushed}"`);
  });
});
