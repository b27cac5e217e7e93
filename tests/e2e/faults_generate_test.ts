/**
 * Fault matrix, the generate stage with a local generator: missing, failing, silent, too slow,
 * a failing post_generate hook, config drift with strict_config, --fail-on warnings and
 * api-removals, and a generator that prints the secrets of its environment. Each stops before
 * local `main` moves, so the SDK clone stays byte-identical. Shared checks:
 * tests/helpers/fault_matrix.ts.
 */
import { join } from "node:path";
import { faultMatrix } from "../helpers/fault_matrix.ts";
import { FAKE_GENERATOR, type Matrix, writeScript } from "../helpers/fault_cases.ts";
import { PYTHON } from "../helpers/cli.ts";
import { commitFiles, gitIn, writeFiles } from "../helpers/git_fixtures.ts";

/** The fake generator's command line with extra flags (tests/fixtures/fake_generator.py). */
function fakeGenerator(m: Matrix, flags: string, extra: Record<string, string> = {}) {
  return m.config({
    generator_command:
      `${PYTHON} ${FAKE_GENERATOR} --spec {oas} --out {out} --package {package} ${flags}`,
    ...extra,
  });
}

faultMatrix([
  {
    fault: "generator executable missing",
    stage: "generate",
    code: 1,
    message: /check stage failed: generator command: `no-such-generator` not found/,
    hint: /hint: Install no-such-generator or put it on PATH, or fix generator_command/,
    async setUp(m) {
      await m.config({ generator_command: "no-such-generator --spec {oas} --out {out}" });
      return { args: ["all"] };
    },
  },
  {
    fault: "generator exits non-zero",
    stage: "generate",
    code: 1,
    message:
      /generate stage failed: generator command \(python\) failed: `\S+python \S+fake_generator\.py .* --crash` \(exit code 3\)/,
    hint:
      /hint: The generator's output is shown with this error \(--json: error\.details\)\. The clone \S+ was not changed\./,
    async setUp(m) {
      await fakeGenerator(m, "--crash");
      return { args: ["all"] };
    },
  },
  {
    fault: "generator writes nothing",
    stage: "generate",
    code: 1,
    message: /generator command \(python\) exited 0 but wrote nothing to \{out\}/,
    hint:
      /hint: Make sure its argv passes \{out\} as the output directory\. The clone \S+ was not changed\./,
    async setUp(m) {
      await fakeGenerator(m, "--nothing");
      return { args: ["all"] };
    },
  },
  {
    fault: "generator runs past generator_timeout",
    stage: "generate",
    code: 1,
    message: /generator command \(python\) failed: `.*--sleep 600 .*` \(timed out after 1 s\)/,
    hint:
      /hint: It ran longer than generator_timeout \(1 s\): raise --generator-timeout if it needs more time\./,
    async setUp(m) {
      await fakeGenerator(m, `--sleep 600 --pid-dir ${m.pidDir}`, { generator_timeout: "1" });
      return { args: ["all"] };
    },
  },
  {
    fault: "post_generate hook fails",
    stage: "generate",
    code: 1,
    message:
      /post_generate hook 1 \(`\S+\/check-sdk\.sh`, python\) failed: `\S+\/check-sdk\.sh` \(exit code 4\)\n {2}check-sdk: 2 type errors/,
    hint:
      /hint: Its output is shown with this error \(--json: error\.details\)\. The clone \S+ was not changed\./,
    async setUp(m) {
      const hook = await writeScript(
        join(m.ws.root, "bin", "check-sdk.sh"),
        "echo 'check-sdk: 2 type errors' >&2\nexit 4",
      );
      await m.config({ post_generate: `["${hook}"]` });
      return { args: ["all"] };
    },
  },
  {
    fault: "strict_config with methods whose endpoint the spec lacks",
    stage: "generate",
    code: 1,
    message:
      /openapi\.stainless\.yml: 10 entries do not match the spec \(strict_config\)\n[\s\S]*openapi\.stainless\.yml:56: services\.health_check: get \/health is not in the spec/,
    hint:
      /hint: Fix the Stainless config \(`codegen lint` lists the same\), or turn off strict_config/,
    async setUp(m) {
      await m.config({
        generator_command:
          `${PYTHON} ${FAKE_GENERATOR} --spec {oas} --out {out} --package {package} --config {config}`,
        strict_config: "true",
      });
      return { args: ["all"] };
    },
  },
  {
    fault: "--fail-on warnings with a warning from the generator",
    stage: "generate",
    code: 1,
    message:
      /generate stage failed: 2 warnings, and --fail-on has warnings\n[\s\S]*python: command: skipping endpoint GET \/b \(unsupported\)/,
    hint:
      /hint: The clone \S+ was not changed\. Fix what they report, or leave warnings out of --fail-on/,
    async setUp(m) {
      await fakeGenerator(m, "--warn 'skipping endpoint GET /b (unsupported)'");
      return { args: ["all", "--fail-on", "warnings"] };
    },
  },
  {
    fault: "--fail-on api-removals when the new SDK lost a public name",
    stage: "generate",
    code: 1,
    message:
      /the generated python SDK removes public API \(--fail-on api-removals\): 1 name\(s\) removed/,
    hint: /hint: Local main of \S+ did not move; nothing was pushed or pinned\./,
    async setUp(m) {
      // An SDK in openapi-python-client's layout; origin/main has one operation more.
      const sdk = (withDelete: boolean): Record<string, string> => ({
        "weave_server_sdk/__init__.py": "from .client import Client\n",
        "weave_server_sdk/client.py": "class Client:\n    pass\n",
        "weave_server_sdk/api/__init__.py": "",
        "weave_server_sdk/api/widgets/__init__.py": "",
        "weave_server_sdk/api/widgets/create_widget.py":
          "def sync(*, client, name: str):\n    pass\n",
        ...(withDelete
          ? {
            "weave_server_sdk/api/widgets/delete_widget.py":
              "def sync(*, client, id: str):\n    pass\n",
          }
          : {}),
      });
      const template = join(m.ws.root, "sdk-template");
      await writeFiles(template, sdk(false));
      const generator = await writeScript(
        join(m.ws.root, "bin", "copy-generator.sh"),
        `mkdir -p "$1" && cp -R ${template}/. "$1"`,
      );
      await m.config({ generator_command: `${generator} {out}` });
      await commitFiles(m.ws.sdk, { message: "SDK with delete_widget", files: sdk(true) });
      await gitIn(m.ws.sdk, "push", "--quiet", m.ws.bare, "main");
      await gitIn(m.ws.sdk, "update-ref", "refs/remotes/origin/main", "main");
      await gitIn(m.ws.sdk, "status", "--porcelain");
      return { args: ["all", "--fail-on", "api-removals"] };
    },
  },
  {
    fault: "a failing generator prints the secrets of its environment",
    stage: "secrets",
    code: 1,
    // stdout and stderr as they arrived: the three lines, in whichever order the pipes gave them.
    message:
      /leaky-generator\.sh .*\(exit code 3\)(?=[\s\S]*\n {2}STAINLESS_API_KEY=\*\*\*\n)(?=[\s\S]*\n {2}GITHUB_TOKEN=\*\*\*\n)(?=[\s\S]*\n {2}remote: https:\/\/\*\*\*@)/,
    hint: /hint: The generator's output is shown with this error \(--json: error\.details\)\./,
    async setUp(m) {
      const generator = await writeScript(
        join(m.ws.root, "bin", "leaky-generator.sh"),
        [
          'echo "STAINLESS_API_KEY=$STAINLESS_API_KEY" >&2',
          'echo "GITHUB_TOKEN=$GITHUB_TOKEN"',
          `echo "remote: $(git -C ${m.ws.sdk} remote get-url origin)" >&2`,
          "exit 3",
        ].join("\n"),
      );
      await m.config({ generator_command: `${generator} {oas} {out}` });
      return { args: ["all"] };
    },
  },
]);
