/**
 * `codegen merge_generated_code` end to end: a bare SDK repository served by `git daemon` on
 * loopback, real pushes, the CLI run as a subprocess. What gets pushed and pinned; refusals and
 * dry runs are in merge_generated_code_refusals_test.ts (files run in parallel).
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { filesAt, generate, gitIn, TRACE_PYPROJECT } from "../helpers/git_fixtures.ts";
import { merge, MIRROR, remoteRef, withFixture } from "../helpers/merge_cli.ts";

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
    // The trace repository has no origin: no Trace-Repository trailer (docs/provenance.md).
    assertEquals(await gitIn(f.trace, "remote"), "");
    assert(!message.includes("Trace-Repository:"), message);
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
