/**
 * The CI templates under examples/ci: valid YAML with the shape GitHub Actions expects, and
 * every `codegen` invocation (on PATH, or a downloaded or compiled executable called by its
 * path), flag, `deno task`, CODEGEN_* variable and executable path they name exists in this
 * project (checked against the real command tree, not a copy of it).
 */
import { parse } from "yaml";
import { parseArgs } from "../../lib/cli/parse.ts";
import { findCommand, type OptionDefs, spellingsOf } from "../../lib/cli/command.ts";
import { assert, assertEquals, assertMatch } from "../helpers/assert.ts";
import { PROJECT_ROOT } from "../helpers/cli.ts";
import { buildProgram } from "../../main.ts";
import { CONFIG_KEYS, type ConfigKey, envVarName } from "../../lib/config/keys.ts";
import { TARGETS } from "../../scripts/compile.ts";
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
type Job = {
  "runs-on": string;
  steps: Step[];
  env?: Record<string, string>;
  strategy?: { matrix: { include: Record<string, string>[] } };
};
type Workflow = {
  name: string;
  on: Record<string, unknown>;
  concurrency: { group: string; "cancel-in-progress": boolean };
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
};

/** presubmit and nightly run in the trace repository, release in the SDK repository, and
 * tool-release in this one. */
const TEMPLATES = ["presubmit", "nightly", "release", "tool-release"] as const;
/**
 * The standard GitHub-hosted runner labels of Linux and macOS that exist today, with the platform
 * each runs (https://github.com/actions/runner-images#available-images, checked 2026-01). A label
 * GitHub retires (macos-13 went in December 2025) leaves a job queued forever: drop it here and
 * the templates that use it fail this test. `*-latest` move on their own.
 */
const HOSTED_RUNNERS: Record<string, { os: "linux" | "darwin"; arch: "x86_64" | "aarch64" }> = {
  "ubuntu-latest": { os: "linux", arch: "x86_64" },
  "ubuntu-24.04": { os: "linux", arch: "x86_64" },
  "ubuntu-22.04": { os: "linux", arch: "x86_64" },
  "ubuntu-24.04-arm": { os: "linux", arch: "aarch64" },
  "ubuntu-22.04-arm": { os: "linux", arch: "aarch64" },
  "macos-latest": { os: "darwin", arch: "aarch64" },
  "macos-26": { os: "darwin", arch: "aarch64" },
  "macos-15": { os: "darwin", arch: "aarch64" },
  "macos-14": { os: "darwin", arch: "aarch64" },
  "macos-15-intel": { os: "darwin", arch: "x86_64" },
};

/** The executable the trace and SDK templates download, as tool-release attaches it. */
const LINUX_ASSET = "codegen-x86_64-unknown-linux-gnu";

async function load(name: string): Promise<{ text: string; workflow: Workflow }> {
  const text = await Deno.readTextFile(`${PROJECT_ROOT}/examples/ci/${name}.yml`);
  return { text, workflow: parse(text) as Workflow };
}

const stepsOf = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);

/** Shell words of one logical line (quotes removed; variables kept as written). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const match of line.matchAll(pattern)) words.push(match[1] ?? match[2] ?? match[3]);
  return words;
}

/**
 * Whether a command word runs codegen: `codegen` on PATH, or an executable of it called by its
 * path (`"$RUNNER_TEMP/bin/codegen"`, `"dist/codegen-$TARGET"`).
 */
function isCodegen(word: string): boolean {
  return /^(?:\S*\/)?codegen(?:-[\w${}.-]+)?$/.test(word);
}

/** Every codegen command line in a run script (continuation lines joined), as argv. */
function codegenInvocations(script: string): string[][] {
  const lines = script.replace(/\\\n\s*/g, " ").split("\n").map((l) => l.trim());
  return lines.map((l) => shellWords(l.replace(/\s[12]?>.*$/, ""))) // drop redirections
    .filter((words) => words.length > 0 && isCodegen(words[0]))
    .map((words) => words.slice(1));
}

/**
 * Checks argv against the real program with the real parser: command names, flags, and which
 * flags take values. Returns the command ("--version" and "help" for those) and the flags given.
 */
function checkInvocation(args: string[]): { command: string; flags: string[] } {
  const invocation = parseArgs(buildProgram(), args);
  if (invocation.kind === "version") return { command: "--version", flags: [] };
  if (invocation.kind === "help") {
    return { command: "help", flags: args.filter((a) => a.startsWith("-")) };
  }
  assert(invocation.kind === "run", `no subcommand in \`codegen ${args.join(" ")}\``);
  for (const topic of invocation.command.name === "help" ? invocation.args : []) {
    assert(topic && findCommand(buildProgram(), topic), `codegen help ${topic}: no such command`);
  }
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

/** The choices of the workflow_dispatch input a step's variable holds (`BUMP: ${{ inputs.bump }}`). */
function inputChoices(workflow: Workflow, step: Step, variable: string): string[] | undefined {
  const input = /^\$\{\{ inputs\.(\w+) \}\}$/.exec(step.env?.[variable] ?? "")?.[1];
  const dispatch = workflow.on.workflow_dispatch as
    | { inputs?: Record<string, { options?: string[] }> }
    | undefined;
  return input ? dispatch?.inputs?.[input]?.options : undefined;
}

/** An argv once per choice of each variable that holds a choice input: every choice is checked. */
function expandChoices(workflow: Workflow, step: Step, argv: string[]): string[][] {
  const at = argv.findIndex((word) => inputChoices(workflow, step, word.replace(/^\$/, "")));
  if (at < 0) return [argv];
  return inputChoices(workflow, step, argv[at].slice(1))!.flatMap((choice) =>
    expandChoices(workflow, step, argv.toSpliced(at, 1, choice))
  );
}

async function invocationsOf(name: string) {
  const { workflow } = await load(name);
  return stepsOf(workflow).flatMap((step) =>
    codegenInvocations(step.run ?? "").flatMap((argv) => expandChoices(workflow, step, argv))
  ).map(checkInvocation);
}

for (const name of TEMPLATES) {
  Deno.test(`CI template ${name}.yml: valid workflow shape, concurrency group per ref`, async () => {
    const { workflow } = await load(name);
    assert(typeof workflow.name === "string" && workflow.name.length > 0);
    assert(workflow.on && typeof workflow.on === "object", "`on:` is a mapping");
    assertMatch(workflow.concurrency.group, /\$\{\{ github\.(head_ref \|\| github\.)?ref \}\}/);
    for (const [id, job] of Object.entries(workflow.jobs)) {
      assert(job["runs-on"], `job ${id} has runs-on`);
      const labels = job["runs-on"] === "${{ matrix.runner }}"
        ? job.strategy!.matrix.include.map((m) => m.runner)
        : [job["runs-on"]];
      for (const label of labels) {
        assert(
          label in HOSTED_RUNNERS,
          `job ${id}: ${label} is not a current GitHub-hosted runner`,
        );
      }
      assert(Array.isArray(job.steps) && job.steps.length > 0, `job ${id} has steps`);
      for (const step of job.steps) {
        assert(!!step.run !== !!step.uses, `step ${step.name}: exactly one of run/uses`);
        if (step.uses) assertMatch(step.uses, /^[\w.-]+\/[\w.-]+@v\d+$/, "actions pinned");
      }
    }
  });

  Deno.test(`CI template ${name}.yml: commands, flags, tasks and variables exist`, async () => {
    const { text, workflow } = await load(name);
    assert((await invocationsOf(name)).length > 0, "the workflow runs codegen");

    for (const match of text.matchAll(/deno task (\w+)/g)) {
      assert(match[1] in denoJson.tasks, `deno task ${match[1]} exists`);
    }
    // CODEGEN_* variables are configuration keys the tool reads.
    const keys = new Set(Object.keys(CONFIG_KEYS).map((k) => envVarName(k as ConfigKey)));
    for (const match of text.matchAll(/\bCODEGEN_[A-Z_]+\b/g)) {
      assert(keys.has(match[0]), `${match[0]} is a config variable`);
    }
    // Secrets only through the environment: never inline in a script or an action input.
    for (const step of stepsOf(workflow)) {
      assert(!/secrets\./.test(step.run ?? ""), `step ${step.name}: no secret in its script`);
      assert(!/secrets\./.test(JSON.stringify(step.with ?? {})), `step ${step.name}: inputs`);
    }
  });
}

Deno.test("presubmit and nightly: one `codegen all` each, with the right flags", async () => {
  const presubmit = await invocationsOf("presubmit");
  const nightly = await invocationsOf("nightly");
  const all = (checked: { command: string; flags: string[] }[]) =>
    checked.filter((c) => c.command === "all");
  assertEquals(all(presubmit).length, 1, "one `codegen all` run");
  assert(all(presubmit)[0].flags.includes("--no-auto-merge"));
  assertEquals(all(nightly).length, 1, "one `codegen all` run");
  for (const flag of ["--auto-merge", "--open-pr", "--label", "--json"]) {
    assert(all(nightly)[0].flags.includes(flag), `the nightly passes ${flag}`);
  }
  const { workflow } = await load("nightly");
  assertEquals(workflow.permissions, { contents: "write", "pull-requests": "write" });
});

Deno.test("nightly: the pin pull request sees an untracked spec, and fails unless one is open", async () => {
  const { workflow } = await load("nightly");
  const step = stepsOf(workflow).find((s) => s.run?.includes("gh pr create"))!;
  const paths = "pyproject.toml tools/codegen/openapi.json";
  // git diff ignores untracked files (a spec written for the first time).
  assert(!step.run!.includes("git diff --quiet"), step.run);
  assert(step.run!.includes(`git status --porcelain -- ${paths}`), step.run);
  assert(step.run!.includes(`git add -- ${paths}`), step.run);
  // A failed `gh pr create` is not swallowed: only an open pull request of the branch is "updated".
  const create = step.run!.slice(step.run!.indexOf("gh pr create")).replace(/\\\n\s*/g, " ");
  assert(!create.split("\n")[0].includes("||"), `gh pr create failure not swallowed: ${create}`);
  assertMatch(step.run!, /gh pr list --head "\$branch"[^\n]*--state open/);
});

Deno.test("presubmit: the drift gate `codegen check` runs before `all`, and its failure fails the job", async () => {
  const { workflow } = await load("presubmit");
  const checked = await invocationsOf("presubmit");
  const commands = checked.map((c) => c.command);
  assert(commands.includes("check"), "the presubmit runs the drift gate `codegen check`");
  // The gate runs first: before `all` rewrites the spec, against the SDK clone.
  assert(commands.indexOf("check") < commands.indexOf("all"), "check runs before all");
  const gate = checked[commands.indexOf("check")];
  assert(gate.flags.includes("--python-output"), "check looks at the SDK clone");
  assert(gate.flags.includes("--json"), "check leaves its report as JSON");
  const steps = stepsOf(workflow);
  const gateStep = steps.find((s) =>
    codegenInvocations(s.run ?? "").some((argv) => argv[0] === "check")
  )!;
  const failStep = steps.find((s) => s.if?.includes(`steps.${gateStep.id}.outcome`))!;
  assert(failStep?.run?.includes("exit 1"), "a later step fails the job on drift");
  // The exit code reaches the last step; what it reports is run for real in ci_presubmit_gate_test.ts.
  assertMatch(gateStep.run!, /echo "exit_code=\$code" >> "\$GITHUB_OUTPUT"/);
  assertEquals(failStep.env?.CHECK_EXIT_CODE, `\${{ steps.${gateStep.id}.outputs.exit_code }}`);
});

/** The keys a generation's stamp is made of: `check` compares a pin's stamp with them. */
const GENERATOR_IDENTITY_KEYS = [
  "generator",
  "generator_command",
  "generator_config",
  "package_name",
  "post_generate",
  "preserve",
  "stainless_project",
  "stainless_branch",
] as const satisfies readonly ConfigKey[];

/**
 * How the step running `codegen <command>` sets each generator identity key: its flag's value as
 * written, else the CODEGEN_* variable of the step, job or workflow, else the tool's default.
 */
function identitySettings(workflow: Workflow, command: string): Record<string, string> {
  for (const job of Object.values(workflow.jobs)) {
    for (const step of job.steps) {
      const argv = codegenInvocations(step.run ?? "").find((words) => words[0] === command);
      if (!argv) continue;
      const env = { ...workflow.env, ...job.env, ...step.env };
      return Object.fromEntries(GENERATOR_IDENTITY_KEYS.map((key) => {
        const flag = CONFIG_KEYS[key].flag;
        const at = argv.indexOf(flag);
        const value = at >= 0 ? argv[at + 1] : env[envVarName(key)] ?? "(default)";
        // $PACKAGE_NAME is the workflow's env: compare what it holds.
        return [key, value.replace(/^\$(\w+)$/, (word, name) => env[name] ?? word)];
      }));
    }
  }
  throw new Error(`no step runs codegen ${command}`);
}

Deno.test("presubmit's check and nightly's all: the same generator settings (a pin is checked with the generator that made it)", async () => {
  const nightly = identitySettings((await load("nightly")).workflow, "all");
  const gate = identitySettings((await load("presubmit")).workflow, "check");
  assertEquals(gate, nightly);
  assertEquals(nightly.generator, "${{ vars.CODEGEN_GENERATOR || 'stainless' }}");
});

Deno.test("presubmit and nightly: build codegen or download the released executable (TOOL_INSTALL)", async () => {
  for (const name of ["presubmit", "nightly", "release"]) {
    const { text, workflow } = await load(name);
    assert(["build", "download"].includes(workflow.env!.TOOL_INSTALL), `${name}: TOOL_INSTALL`);
    const steps = stepsOf(workflow);
    const byWay = (way: string) => steps.filter((s) => s.if?.includes(`TOOL_INSTALL == '${way}'`));
    // Building sets up Deno and compiles; downloading needs neither.
    assert(byWay("build").some((s) => s.uses?.startsWith("denoland/setup-deno@")), name);
    assert(byWay("build").some((s) => /deno task compile x86_64-unknown-linux-gnu/.test(s.run!)));
    assert(!byWay("download").some((s) => s.uses || /\bdeno\b/.test(s.run ?? "")), name);
    // Both end with the executable on PATH as `codegen`; the download is checksum-verified.
    assertMatch(
      text,
      /codegen\/dist\/codegen-x86_64-unknown-linux-gnu "\$RUNNER_TEMP\/bin\/codegen"/,
    );
    const download = byWay("download").map((s) => s.run).join("\n");
    assertMatch(download, /gh release download "\$TOOL_REF" --repo "\$TOOL_REPOSITORY"/);
    assert(download.includes(`--pattern ${LINUX_ASSET} --pattern SHA256SUMS`), download);
    assert(download.includes("sha256sum --check --strict"), download);
    assert(download.includes(`"$dir/${LINUX_ASSET}" "$RUNNER_TEMP/bin/codegen"`), download);
    // No step before the switch's own ones needs Deno.
    assertEquals(steps.filter((s) => s.uses?.startsWith("denoland/")).length, 1);
  }
});

Deno.test("release: publish on demand with a bump input, full history, contents: write", async () => {
  const { workflow } = await load("release");
  assert("workflow_dispatch" in workflow.on);
  const inputs =
    (workflow.on.workflow_dispatch as { inputs: Record<string, { options?: string[] }> })
      .inputs;
  assertEquals(inputs.bump.options, ["auto", "patch", "minor", "major"]);
  const publish = (await invocationsOf("release")).filter((c) => c.command === "publish");
  assertEquals(publish.length, 2 * 4, "a dry run and a real run, each with every bump choice");
  for (const run of publish) assert(run.flags.includes("--bump") && run.flags.includes("--json"));
  assert(publish.some((run) => run.flags.includes("--dry-run")));
  const checkout = stepsOf(workflow).find((s) => s.with?.path === "sdk")!;
  assertEquals([checkout.with!["fetch-depth"], checkout.with!["persist-credentials"]], [0, false]);
  assertEquals(workflow.permissions!.contents, "write");
  const step = stepsOf(workflow).find((s) => s.id === "publish")!;
  assertEquals(step.env!.GITHUB_TOKEN, "${{ github.token }}");
});

Deno.test("tool-release: every compile target on a runner of its platform, smoke-tested, attached", async () => {
  const { workflow } = await load("tool-release");
  const { compile, release } = workflow.jobs;
  const matrix = compile.strategy!.matrix.include;
  assertEquals(matrix.map((m) => m.target).sort(), [...TARGETS].sort());
  for (const { target, runner } of matrix) {
    const platform = HOSTED_RUNNERS[runner];
    assert(platform, `${target}: ${runner} is not a GitHub-hosted runner label of today`);
    // The executable is smoke-tested where it was built: the runner must be of its platform.
    const [arch, , os] = target.split("-"); // x86_64-unknown-linux-gnu, aarch64-apple-darwin
    assertEquals(`${platform.arch}-${platform.os}`, `${arch}-${os}`, runner);
  }
  const scripts = compile.steps.map((s) => s.run ?? "").join("\n");
  assert(scripts.includes('deno task compile "$TARGET"'));
  const smoke = await invocationsOf("tool-release");
  assertEquals(smoke.map((c) => c.command), ["--version", "help", "help"]);
  const upload = compile.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
  assertEquals(upload.with!.path, "dist/codegen-${{ matrix.target }}");
  const attach = release.steps.map((s) => s.run ?? "").join("\n");
  assert(attach.includes("sha256sum codegen-* > SHA256SUMS"));
  assertMatch(attach, /gh release create "\$TAG" dist\/\*/);
  assertMatch(attach, /gh release upload "\$TAG" dist\/\* --clobber/);
});

Deno.test("CI templates: the presubmit needs no secret; the nightly passes its secrets by env", async () => {
  const presubmit = await load("presubmit");
  assert(!presubmit.text.includes("secrets."), "presubmit uses no secret");
  assert("pull_request" in presubmit.workflow.on);
  const nightly = await load("nightly");
  assert("schedule" in nightly.workflow.on);
  const codegenStep = stepsOf(nightly.workflow)
    .find((s) => codegenInvocations(s.run ?? "").some((argv) => argv[0] === "all"))!;
  assertEquals(codegenStep.env?.GITHUB_TOKEN, "${{ secrets.SDK_REPO_TOKEN }}");
  assertEquals(codegenStep.env?.STAINLESS_API_KEY, "${{ secrets.STAINLESS_API_KEY }}");
});

Deno.test("CI template checker: rejects unknown commands and flags, skips flag values, finds executables", () => {
  assertEquals(checkInvocation(["--verbose", "all", "--port", "--json", "--dry-run"]), {
    command: "all",
    flags: ["--verbose", "--port", "--dry-run"],
  });
  let failed = 0;
  for (const argv of [["all", "--no-such-flag"], ["everything"], ["--no-such-global"]]) {
    try {
      checkInvocation(argv);
    } catch (error) {
      assertMatch(String(error), /unknown (option|command)|no subcommand/);
      failed++;
    }
  }
  assertEquals(failed, 3);
  assertEquals(
    codegenInvocations(
      '"$RUNNER_TEMP/bin/codegen" --version\ndist/codegen-$TARGET help all > x\ninstall codegen/dist/x y\ncodegen all \\\n  --json',
    ),
    [["--version"], ["help", "all"], ["all", "--json"]],
  );
});
