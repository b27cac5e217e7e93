/**
 * The CI templates under examples/ci: valid YAML with the shape GitHub Actions expects, and
 * every `codegen` invocation, flag, `deno task`, CODEGEN_* variable and executable path they name
 * exists in this project (checked against the real command tree, not a copy of it).
 */
import { parse } from "yaml";
import { parseArgs } from "../../lib/cli/parse.ts";
import { type OptionDefs, spellingsOf } from "../../lib/cli/command.ts";
import { assert, assertEquals, assertMatch } from "../helpers/assert.ts";
import { PROJECT_ROOT } from "../helpers/cli.ts";
import { buildProgram } from "../../main.ts";
import { CONFIG_KEYS, type ConfigKey, envVarName } from "../../lib/config/keys.ts";
import denoJson from "../../deno.json" with { type: "json" };

type Step = {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  "working-directory"?: string;
};
type Job = { "runs-on": string; steps: Step[]; env?: Record<string, string> };
type Workflow = {
  name: string;
  on: Record<string, unknown>;
  concurrency: { group: string; "cancel-in-progress": boolean };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
};

const TEMPLATES = ["presubmit", "nightly"] as const;

async function load(name: string): Promise<{ text: string; workflow: Workflow }> {
  const text = await Deno.readTextFile(`${PROJECT_ROOT}/examples/ci/${name}.yml`);
  return { text, workflow: parse(text) as Workflow };
}

/** Shell words of one logical line (quotes removed; variables kept as written). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const match of line.matchAll(pattern)) words.push(match[1] ?? match[2] ?? match[3]);
  return words;
}

/** Every `codegen ...` command line in a run script (continuation lines joined). */
function codegenInvocations(script: string): string[][] {
  const lines = script.replace(/\\\n\s*/g, " ").split("\n").map((l) => l.trim());
  return lines.filter((l) => /^codegen\s/.test(l)).map((l) => {
    const words = shellWords(l.replace(/\s[12]?>.*$/, "")); // drop redirections
    return words.slice(1);
  });
}

/**
 * Checks argv against the real program with the real parser: command names, flags, and which
 * flags take values. Returns the command and the flags given (values skipped).
 */
function checkInvocation(args: string[]): { command: string; flags: string[] } {
  const invocation = parseArgs(buildProgram(), args);
  assert(invocation.kind === "run", `no subcommand in \`codegen ${args.join(" ")}\``);
  const flags: string[] = [];
  const known = [invocation.command.options, buildProgram().globals];
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith("-")) continue;
    const flag = args[i].split("=")[0];
    flags.push(flag);
    const option = known.flatMap((defs) => Object.values(defs as OptionDefs))
      .find((o) => spellingsOf(o).includes(flag));
    if (option && "value" in option && !args[i].includes("=")) i++; // its value
  }
  return { command: invocation.command.name, flags };
}

for (const name of TEMPLATES) {
  Deno.test(`CI template ${name}.yml: valid workflow shape, concurrency group per branch`, async () => {
    const { workflow } = await load(name);
    assert(typeof workflow.name === "string" && workflow.name.length > 0);
    assert(workflow.on && typeof workflow.on === "object", "`on:` is a mapping");
    assertMatch(workflow.concurrency.group, /\$\{\{ github\.(head_ref \|\| github\.)?ref \}\}/);
    for (const [id, job] of Object.entries(workflow.jobs)) {
      assert(job["runs-on"], `job ${id} has runs-on`);
      assert(Array.isArray(job.steps) && job.steps.length > 0, `job ${id} has steps`);
      for (const step of job.steps) {
        assert(!!step.run !== !!step.uses, `step ${step.name}: exactly one of run/uses`);
        if (step.uses) assertMatch(step.uses, /^[\w.-]+\/[\w.-]+@v\d+$/, "actions pinned");
      }
    }
  });

  Deno.test(`CI template ${name}.yml: commands, flags, tasks and variables exist`, async () => {
    const { text, workflow } = await load(name);
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const invocations = steps.flatMap((s) => codegenInvocations(s.run ?? ""));
    assert(invocations.length > 0, "the workflow runs codegen");
    const checked = invocations.map(checkInvocation);
    const all = checked.filter((c) => c.command === "all");
    assertEquals(all.length, 1, "one `codegen all` run");
    assert(
      all[0].flags.includes(name === "presubmit" ? "--no-auto-merge" : "--auto-merge"),
      `${name} passes the right merge flag`,
    );
    if (name === "presubmit") {
      // The drift gate runs first (before `all` rewrites the spec), against the SDK clone.
      const commands = checked.map((c) => c.command);
      assert(commands.includes("check"), "the presubmit runs the drift gate `codegen check`");
      assert(commands.indexOf("check") < commands.indexOf("all"), "check runs before all");
      const gate = checked[commands.indexOf("check")];
      assert(gate.flags.includes("--python-output"), "check looks at the SDK clone");
      assert(gate.flags.includes("--json"), "check leaves its report as JSON");
      const gateStep = steps.find((s) =>
        codegenInvocations(s.run ?? "").some((a) => a[0] === "check")
      )!;
      const failStep = steps.find((s) => s.if?.includes(`steps.${gateStep.id}.outcome`));
      assert(failStep?.run?.includes("exit 1"), "a later step fails the job on drift");
    }

    // It uses the compiled executable, built by a task of this project under the name it has.
    for (const match of text.matchAll(/deno task (\w+)/g)) {
      assert(match[1] in denoJson.tasks, `deno task ${match[1]} exists`);
    }
    assertMatch(text, /deno task compile x86_64-unknown-linux-gnu/);
    assertMatch(
      text,
      /codegen\/dist\/codegen-x86_64-unknown-linux-gnu "\$RUNNER_TEMP\/bin\/codegen"/,
    );

    // CODEGEN_* variables are configuration keys the tool reads.
    const keys = new Set(Object.keys(CONFIG_KEYS).map((k) => envVarName(k as ConfigKey)));
    for (const match of text.matchAll(/\bCODEGEN_[A-Z_]+\b/g)) {
      assert(keys.has(match[0]), `${match[0]} is a config variable`);
    }

    // Secrets only through the environment: never inline in a script or an action input.
    for (const step of steps) {
      assert(!/secrets\./.test(step.run ?? ""), `step ${step.name}: no secret in its script`);
      assert(!/secrets\./.test(JSON.stringify(step.with ?? {})), `step ${step.name}: inputs`);
    }
  });
}

Deno.test("CI templates: the presubmit needs no secret; the nightly passes its secrets by env", async () => {
  const presubmit = await load("presubmit");
  assert(!presubmit.text.includes("secrets."), "presubmit uses no secret");
  assert("pull_request" in presubmit.workflow.on);
  const nightly = await load("nightly");
  assert("schedule" in nightly.workflow.on);
  const codegenStep = Object.values(nightly.workflow.jobs).flatMap((j) => j.steps)
    .find((s) => codegenInvocations(s.run ?? "").length > 0)!;
  assertEquals(codegenStep.env?.GITHUB_TOKEN, "${{ secrets.SDK_REPO_TOKEN }}");
  assertEquals(codegenStep.env?.STAINLESS_API_KEY, "${{ secrets.STAINLESS_API_KEY }}");
});

Deno.test("CI template checker: rejects unknown commands and flags, skips flag values", () => {
  assertEquals(checkInvocation(["--verbose", "all", "--port", "--json", "--dry-run"]), {
    command: "all",
    flags: ["--verbose", "--port", "--dry-run"],
  });
  let failed = 0;
  for (const argv of [["all", "--no-such-flag"], ["everything"], ["--json"]]) {
    try {
      checkInvocation(argv);
    } catch (error) {
      assertMatch(String(error), /unknown (option|command)|no subcommand/);
      failed++;
    }
  }
  assertEquals(failed, 3);
});
