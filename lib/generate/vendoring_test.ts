/**
 * Preparing and planning vendoring: what is refused before anything runs (no vendoring preset
 * for the generator, a generator that cannot produce the target, a directory outside the trace
 * repository or one codegen did not vendor), and the dry-run plan. Running it is in
 * tests/e2e/vendor_test.ts and tests/e2e/hosted_targets_test.ts.
 */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { flagSettings } from "../../tests/helpers/generate_input.ts";
import { makeTraceRepo, removeAll } from "../../tests/helpers/sdk_clone.ts";
import { resolveTargets } from "../config/targets.ts";
import type { CodegenError } from "../core/errors.ts";
import { planVendoring, prepareVendoring } from "./vendoring.ts";
import { captureLog } from "../../tests/helpers/capture_log.ts";

async function withRepo(fn: (repo: string) => Promise<void>) {
  const repo = await makeTraceRepo();
  try {
    await Deno.mkdir(`${repo}/weave/vendor`, { recursive: true });
    await fn(repo);
  } finally {
    await removeAll(repo);
  }
}

function prepare(repo: string, flags: Record<string, unknown>) {
  const settings = flagSettings(repo, flags);
  return prepareVendoring({
    settings,
    repoRoot: repo,
    targets: resolveTargets(settings),
    dryRun: true,
  });
}

Deno.test("vendoring refuses, before anything runs, what it cannot do", async () => {
  await withRepo(async (repo) => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        {
          generator: "command",
          generator_command: "gen {out}",
          targets: ["python.vendor_dir=weave/vendor/sdk"],
        },
        /generator `command` has no vendoring preset/,
      ],
      [
        { generator: "openapi-python-client", targets: ["typescript.vendor_dir=weave/vendor/ts"] },
        /generator `openapi-python-client` does not produce a typescript SDK/,
      ],
      [
        { generator: "stainful", targets: ["python.vendor_dir=../outside"] },
        /must be a path inside the trace repository/,
      ],
    ];
    for (const [flags, pattern] of cases) {
      const error = await assertRejects(() => prepare(repo, flags), pattern);
      assertEquals((error as CodegenError).exitCode, 2, String(pattern));
    }
    // Refused in a dry run too, before the generator: a Python package name that cannot import.
    const name = await assertRejects(() =>
      prepare(repo, {
        generator: "stainful",
        package_name: "weave-server-sdk",
        targets: ["python.vendor_dir=weave/vendor/sdk"],
      })
    ) as CodegenError;
    assertEquals(
      name.message,
      '--package-name: the Python package name "weave-server-sdk" is not a Python identifier',
    );
    assertStringIncludes(
      name.hint!,
      "--package-name, `package_name:` or targets.python.package_name",
    );
    // A directory that is no import path names the field that fixes it.
    const path = await assertRejects(() =>
      prepare(repo, { generator: "stainful", targets: ["python.vendor_dir=weave/vendor-x/sdk"] })
    ) as CodegenError;
    assertStringIncludes(
      path.message,
      "the vendor directory weave/vendor-x/sdk does not make a Python import path",
    );
    assertStringIncludes(path.hint!, "set the target's import_path (--target python.import_path=");
    const git = await assertRejects(() =>
      prepare(repo, { generator: "stainful", targets: ["python.vendor_dir=.git/sdk"] })
    ) as CodegenError;
    assertEquals(
      git.message,
      "--target python.vendor_dir=.git/sdk: vendor directory .git/sdk is inside .git",
    );
    assert(git.hint, "says where to vendor instead");
    await Deno.writeTextFile(`${repo}/weave/vendor/file`, "");
    const file = await assertRejects(() =>
      prepare(repo, { generator: "stainful", targets: ["python.vendor_dir=weave/vendor/file"] })
    ) as CodegenError;
    assertStringIncludes(file.message, "it exists and is not a directory");
    assertStringIncludes(file.hint!, "vendor into another directory (vendor_dir, --vendor-dir)");
    await Deno.mkdir(`${repo}/weave/vendor/sdk`);
    await Deno.writeTextFile(`${repo}/weave/vendor/sdk/mine.py`, "x = 1\n");
    await assertRejects(
      () =>
        prepare(repo, { generator: "stainful", targets: ["python.vendor_dir=weave/vendor/sdk"] }),
      /exists but has no stamp/,
    );
  });
});

Deno.test("the dry-run plan: the generator's argv, the copy and its stamp, the API report", async () => {
  await withRepo(async (repo) => {
    const prepared = await prepare(repo, {
      generator: "stainful",
      targets: ["python.vendor_dir=weave/vendor/weave_server_sdk"],
    });
    const plan = await planVendoring(prepared, { specFinal: false });
    assertStringIncludes(plan[0], "vendor only the targets whose copy is not up to date");
    assertStringIncludes(plan.join("\n"), "stainful generate --spec");
    assertEquals(plan.slice(-2), [
      "copy weave_server_sdk/ of the python output into weave/vendor/weave_server_sdk (without " +
      "bytecode and caches; 1 rewrite(s) of its own import name), replacing the directory atomically, and write " +
      "weave/vendor/weave_server_sdk.origin.json",
      "compare the public API of the new python package with the copy in " +
      "weave/vendor/weave_server_sdk (when there is one)",
    ]);
  });
});

Deno.test("a dry run after a run killed mid-swap says what the real run puts back and removes", async () => {
  await withRepo(async (repo) => {
    // What SIGKILL between the two renames leaves: the old copy in its holder, no destination.
    const vendor = `${repo}/weave/vendor`;
    const destination = `${vendor}/weave_server_sdk`;
    await Deno.mkdir(`${vendor}/.weave_server_sdk.old-abc/old`, { recursive: true });
    await Deno.writeTextFile(`${vendor}/.weave_server_sdk.old-abc/old/a.py`, "x = 1\n");
    await Deno.mkdir(`${vendor}/.weave_server_sdk.new-xyz`);
    const prepared = await prepare(repo, {
      generator: "stainful",
      targets: ["python.vendor_dir=weave/vendor/weave_server_sdk"],
    });
    const log = captureLog();
    let plan: string[];
    try {
      plan = await planVendoring(prepared, { specFinal: false });
    } finally {
      log.restore();
    }
    // Plan lines follow "would" (printed after "[dry-run] would"), and are not warned too.
    const expected = [
      `remove ${vendor}/.weave_server_sdk.new-xyz, left by an interrupted run`,
      `put the previous copy of ${destination} back from ` +
      `${vendor}/.weave_server_sdk.old-abc/old (left by an interrupted run) first`,
    ];
    for (const line of expected) {
      assert(plan.includes(line), plan.join("\n"));
      assert(!log.text().includes(line), log.text());
    }
    assert(plan.indexOf(expected[0]) < plan.findIndex((line) => line.startsWith("copy ")));
    const left = [];
    for await (const entry of Deno.readDir(vendor)) left.push(entry.name);
    assertEquals(left.sort(), [".weave_server_sdk.new-xyz", ".weave_server_sdk.old-abc"]);
  });
});

Deno.test("import_path: a src/ layout's package imports from below the repository's top", async () => {
  await withRepo(async (repo) => {
    await Deno.mkdir(`${repo}/src/weave/vendor`, { recursive: true });
    const layout = (importPath: string) =>
      prepare(repo, {
        generator: "stainful",
        targets: ["python.vendor_dir=src/weave/vendor/sdk", `python.import_path=${importPath}`],
      });
    const prepared = await layout("weave.vendor.sdk");
    const target = prepared.input.targets[0];
    assertEquals(target.importPath?.path, "weave.vendor.sdk");
    assertEquals(prepared.input.targets[0].layout.rewrites, [{ kind: "absolute-imports" }]);
    const other = await assertRejects(() => layout("other.sdk")) as CodegenError;
    assertEquals(
      other.message,
      "--target python.import_path=other.sdk: targets.python.import_path: import path other.sdk " +
        "does not name the vendor directory src/weave/vendor/sdk",
    );
    await assertRejects(() => layout("weave.vendor-x.sdk"), /is not a Python import path/);
  });
});
