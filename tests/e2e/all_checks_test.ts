/**
 * Checks of `all` that used to come too late or not at all: --release with a generator whose SDK
 * has no version (refused before anything is pushed), a pin of a commit no remote has, an SDK that
 * needs a newer Python than the trace repository, the failing child's output in --json, merge
 * refusal hints naming flags the command takes, and elapsed time of a local generator on a terminal.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { PROJECT_ROOT, PYTHON, runCli } from "../helpers/cli.ts";
import { runCliOnTerminal } from "../helpers/pty.ts";
import {
  all,
  baseConfig,
  NO_GIT_CONFIG,
  summaryRow,
  withWorkspace,
  writeConfig,
} from "../helpers/all_workspace.ts";
import { commitFiles, gitIn } from "../helpers/git_fixtures.ts";
import { buildProgram } from "../../main.ts";
import { type OptionDef, type OptionDefs, spellingsOf } from "../../lib/cli/command.ts";

const FAKE_GENERATOR = `${PROJECT_ROOT}/tests/fixtures/fake_generator.py`;

function fakeGenerator(...extra: string[]): string[] {
  return [
    "generator: command",
    `generator_command: ${PYTHON} ${FAKE_GENERATOR} --spec {oas} --out {out} --package {package}${
      extra.length ? ` ${extra.join(" ")}` : ""
    }`,
  ];
}

Deno.test("all --release with a generator that writes no version: refused before local main moves, nothing pushed or pinned", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, [
      ...baseConfig(ws).filter((l) => !l.startsWith("generator")),
      ...fakeGenerator("--no-version"),
    ]);
    const pyprojectBefore = await Deno.readTextFile(ws.pyproject);
    const mainBefore = await gitIn(ws.sdk, "rev-parse", "main");
    const r = await all(ws, ["--release", "--json"]);
    assertEquals(r.code, 2, r.stderr);
    assertMatch(
      r.stderr,
      /generate stage failed: --release pins the version of the generated SDK, but command wrote none: [0-9a-f]{40}:pyproject\.toml of \S+ has no \[project\]\.version; [0-9a-f]{40}:setup\.py of \S+ does not exist/,
    );
    assertMatch(
      r.stderr,
      /hint: Make the generator write \[project\]\.version in pyproject\.toml or a literal version= in setup\.py .*--preserve pyproject\.toml.*\(drop --release, or pass --no-release\)/,
    );
    assertMatch(r.stderr, /not done: .*merge \(nothing pushed; pyproject\.toml not changed\)/);
    const json = JSON.parse(r.stdout);
    assertEquals([json.error.stage, json.stages.map((s: { status: string }) => s.status)], [
      "generate",
      ["done", "done", "failed", "pending"],
    ]);
    assertEquals(
      await Deno.readTextFile(ws.pyproject),
      pyprojectBefore,
      "pyproject.toml untouched",
    );
    assertEquals(await gitIn(ws.sdk, "rev-parse", "main"), mainBefore, "local main did not move");
    const pushed = await gitIn(ws.bare, "for-each-ref", "refs/heads/weave/");
    assertEquals(pushed, "", "nothing pushed");
    // A main generated without --release, up to date: the generate stage still reads its version.
    assertEquals((await all(ws, ["--no-auto-merge"])).code, 0);
    const pinned = await Deno.readTextFile(ws.pyproject);
    const again = await all(ws, ["--release", "--no-auto-merge", "--json"]);
    assertEquals(again.code, 2, again.stderr);
    assertEquals(JSON.parse(again.stdout).stages.map((s: { status: string }) => s.status), [
      "done",
      "done",
      "failed",
      "pending",
    ]);
    assertMatch(
      again.stderr,
      /but command wrote none: .*pyproject\.toml .* has no \[project\]\.version/,
    );
    assertEquals(await Deno.readTextFile(ws.pyproject), pinned, "the commit pin stays");
  });
});

Deno.test("all --no-auto-merge: the pin of a local-only commit and a too-new Python are said in the summary and JSON", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, baseConfig(ws));
    // A trace repository that still allows Python 3.10 (the example itself asks for 3.11).
    const older = (await Deno.readTextFile(ws.pyproject))
      .replace(/^requires-python = ".*"$/m, 'requires-python = ">=3.10"');
    assertStringIncludes(older, 'requires-python = ">=3.10"');
    await commitFiles(ws.trace, {
      message: "Allow Python 3.10",
      files: { "pyproject.toml": older },
    });
    const human = await all(ws, ["--no-auto-merge"]);
    assertEquals(human.code, 0, human.stderr);
    assertMatch(
      summaryRow(human.stdout, "pyproject"),
      /\(written; the commit is not on any remote yet\)/,
    );
    assertMatch(
      human.stdout,
      /^ {2}warning {4}pyproject\.toml pins [0-9a-f]{12}, which is only in the local SDK clone/m,
    );
    // The trace repository allows Python 3.10; openapi-python-client's setup.py asks for 3.11.
    assertMatch(
      human.stdout,
      /^ {2}warning {4}the generated SDK needs Python >=3\.11, <4 \(its setup\.py\), but .*pyproject\.toml allows >=3\.10 \(requires-python\): on Python 3\.10 it cannot be installed/m,
    );
    assertMatch(human.stderr, /warning: the generated SDK needs Python/);

    await gitIn(ws.trace, "checkout", "--quiet", "--", "pyproject.toml");
    const json = await all(ws, ["--no-auto-merge", "--json"]);
    assertEquals(json.code, 0, json.stderr);
    const result = JSON.parse(json.stdout);
    assertEquals(result.pyproject.commitOnRemote, false);
    assertEquals(result.pyproject.warnings.length, 2);
    assertMatch(result.pyproject.warnings.join("\n"), /only in the local SDK clone/);
  });
});

Deno.test("all --json on a failing generator includes its last output lines", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, [
      ...baseConfig(ws).filter((l) => !l.startsWith("generator")),
      ...fakeGenerator("--crash"),
    ]);
    const r = await all(ws, ["--json"]);
    assertEquals(r.code, 1, r.stderr);
    const { error } = JSON.parse(r.stdout);
    assertEquals([error.stage, error.kind], ["generate", "failure"]);
    assertStringIncludes(error.details, "fake_generator: error: cannot handle");
    assertStringIncludes(error.details, "fake_generator: reading spec");
  });
});

Deno.test("merge refusal hints name flags the running command takes (all and merge_generated_code)", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, [
      ...baseConfig(ws).filter((l) => !l.startsWith("generator")),
      ...fakeGenerator(),
    ]);
    assertEquals((await all(ws)).code, 0);
    // Someone else's commit on the mirror branch.
    const other = join(ws.root, "other");
    await gitIn(ws.root, "clone", "--quiet", "--branch", "weave/my-feature", ws.bare, other);
    await commitFiles(other, { message: "Hand-written fix", files: { "fix.py": "FIX = 1\n" } });
    await gitIn(other, "push", "--quiet", "origin", "weave/my-feature");
    await gitIn(ws.sdk, "commit", "--quiet", "--allow-empty", "-m", "local change");

    const program = buildProgram();
    for (
      const [command, run] of [
        ["all", () => all(ws)],
        [
          "merge_generated_code",
          () =>
            runCli(["merge_generated_code", ws.sdk, "weave_server_sdk"], {
              cwd: ws.trace,
              env: NO_GIT_CONFIG,
            }),
        ],
      ] as const
    ) {
      const r = await run();
      assertEquals(r.code, 1, r.stderr);
      const hint = /^hint: (.*)$/m.exec(r.stderr)?.[1] ?? "";
      assertStringIncludes(hint, "--force");
      const def = program.commands.find((c) => c.name === command)!;
      const options: OptionDef[] = [
        ...Object.values(def.options as OptionDefs),
        ...Object.values(program.globals),
      ];
      const accepted = options.flatMap(spellingsOf);
      for (const flag of hint.match(/--[a-z][a-z-]*/g) ?? []) {
        assert(accepted.includes(flag), `${command} takes ${flag}, which its hint names`);
      }
    }
  });
});

Deno.test("a long local generator shows its elapsed time on a terminal", async () => {
  await withWorkspace(async (ws) => {
    await writeConfig(ws, [
      ...baseConfig(ws).filter((l) => !l.startsWith("generator")),
      ...fakeGenerator("--sleep", "2.5"),
    ]);
    await using session = runCliOnTerminal(["all", "--no-auto-merge"], {
      cwd: ws.trace,
      env: NO_GIT_CONFIG,
    });
    await session.expect(/python: running command \(2 s\)/);
    const { code, text } = await session.finish();
    assertEquals(code, 0, text);
  });
});
