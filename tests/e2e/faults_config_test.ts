/**
 * Fault matrix, configuration and paths: a bad config file or flag, a missing value without a
 * terminal, an SDK clone that cannot be used, a trace repository another run holds. The shared
 * checks are in tests/helpers/fault_matrix.ts.
 */
import { join } from "node:path";
import { faultMatrix } from "../helpers/fault_matrix.ts";
import { gitIn } from "../helpers/git_fixtures.ts";
import { acquireLock } from "../../lib/os/lock.ts";

faultMatrix([
  {
    fault: "config file that is not YAML",
    stage: "config",
    code: 2,
    message: /generate_config\.yaml:3:1: invalid YAML: /,
    hint: /hint: Fix the YAML syntax/,
    async setUp(m) {
      const path = await m.config();
      await Deno.writeTextFile(path, "python_output: ./sdk\nport: [6345\n", { append: false });
      return { args: ["all"] };
    },
  },
  {
    fault: "unknown config key (a typo)",
    stage: "config",
    code: 2,
    message: /generate_config\.yaml:7: unknown key `pakage_name` \(did you mean `package_name`\?\)/,
    hint: /hint: Valid keys: python_output, package_name, /,
    async setUp(m) {
      await m.config({ package_name: null, pakage_name: "weave_server_sdk" });
      return { args: ["all"] };
    },
  },
  {
    fault: "config value of the wrong type",
    stage: "config",
    code: 2,
    message: /generate_config\.yaml:6: `port` must be an integer, got "not-a-port"/,
    hint: /hint: Fix it at \S+generate_config\.yaml:6: `port` takes an integer \(--port; /,
    async setUp(m) {
      await m.config({ port: "not-a-port" });
      return { args: ["all"] };
    },
  },
  {
    fault: "python_output still the template's placeholder, no terminal",
    stage: "config",
    code: 2,
    message:
      /`python_output` in \S+generate_config\.yaml:1 is still the template placeholder \(\/path\/to\/your\/weave-server-sdk\)/,
    hint:
      /hint: Pass --python-output, or set `python_output:` in \S+generate_config\.yaml, or set CODEGEN_PYTHON_OUTPUT/,
    async setUp(m) {
      await m.config({ python_output: "/path/to/your/weave-server-sdk" });
      return { args: ["all"] };
    },
  },
  {
    fault: "generate_code with python_output still the template's placeholder",
    stage: "config",
    code: 2,
    message:
      /no SDK clone given: `python_output` in \S+generate_config\.yaml:1 is still the template placeholder \(\/path\/to\/your\/weave-server-sdk\)/,
    hint:
      /hint: Replace it with the path of your clone of the SDK repository, or pass --python-output/,
    async setUp(m) {
      await m.config({ python_output: "/path/to/your/weave-server-sdk" });
      return { args: ["generate_code"] };
    },
  },
  {
    fault: "package_name missing, no terminal",
    stage: "config",
    code: 2,
    message: /missing required value `package_name`/,
    hint:
      /hint: Pass --package-name, or set `package_name:` in \S+generate_config\.yaml, or set CODEGEN_PACKAGE_NAME/,
    async setUp(m) {
      await m.config({ package_name: null });
      return { args: ["all"] };
    },
  },
  {
    fault: "--generator misspelled",
    stage: "config",
    code: 2,
    message: /--generator: unknown generator `stainles` \(did you mean `stainless`\?\)/,
    hint: /hint: Choose one of/,
    async setUp(m) {
      await m.config();
      return { args: ["all", "--generator", "stainles"] };
    },
  },
  {
    fault: "python_output does not exist",
    stage: "paths",
    code: 2,
    message:
      /python SDK clone \S+\/no-such-sdk does not exist \(python_output, from \S+generate_config\.yaml:1\)/,
    hint: /hint: Clone the SDK repository there \(git clone <url> \S+\), fix python_output/,
    async setUp(m) {
      await m.config({ python_output: join(m.ws.root, "no-such-sdk") });
      return { args: ["all"] };
    },
  },
  {
    fault: "python_output is not a git repository",
    stage: "paths",
    code: 2,
    message:
      /python SDK clone \S+\/plain-dir is not a git work tree \(python_output, from \S+generate_config\.yaml:1\)/,
    hint: /hint: Point python_output at a clone of the SDK repository/,
    async setUp(m) {
      await Deno.mkdir(join(m.ws.root, "plain-dir"));
      await m.config({ python_output: join(m.ws.root, "plain-dir") });
      return { args: ["all"] };
    },
  },
  {
    fault: "python_output is the trace repository",
    stage: "paths",
    code: 2,
    message: /python SDK clone (\S+) is the trace repository \1 itself \(python_output, from /,
    hint: /hint: Point it at a separate clone of the SDK repository/,
    async setUp(m) {
      await m.config({ python_output: m.ws.trace });
      return { args: ["all"] };
    },
  },
  {
    fault: "SDK clone with uncommitted changes on main",
    stage: "paths",
    code: 1,
    message: /`main` is checked out .* uncommitted/,
    hint: /hint: Commit or stash them \(git -C \S+ stash --include-untracked\)/,
    async setUp(m) {
      await m.config();
      await Deno.writeTextFile(join(m.ws.sdk, "wip.txt"), "work in progress\n");
      return { args: ["all"] };
    },
  },
  {
    fault: "SDK clone locked by another run",
    stage: "paths",
    code: 1,
    message: /the SDK clone \S+ is in use by another codegen run: PID \d+ on /,
    hint: /hint: Wait for it to finish\. If no such run exists, delete \S+\/\.git\/codegen\.lock/,
    async setUp(m) {
      await m.config();
      const held = await acquireLock(join(m.ws.sdk, ".git", "codegen.lock"), "test");
      return { args: ["all"], release: held.release };
    },
  },
  {
    fault: "trace repository locked by another run, --no-wait",
    stage: "paths",
    code: 1,
    message: /the trace repository .* is in use by another codegen run: PID \d+/,
    hint: /hint: Wait for it to finish, then run again \(without --no-wait the run waits for it/,
    async setUp(m) {
      await m.config();
      const git = await gitIn(m.ws.trace, "rev-parse", "--absolute-git-dir");
      const held = await acquireLock(join(git, "codegen-trace.lock"), "test");
      return { args: ["all", "--no-wait"], release: held.release };
    },
  },
  {
    fault: "trace repository on a detached HEAD, no --trace-branch",
    stage: "paths",
    code: 2,
    message:
      /the trace repository \S+ is in detached HEAD, so it has no branch to name the mirror branch after/,
    hint: /hint: Pass --trace-branch <name>, or set GITHUB_HEAD_REF or GITHUB_REF_NAME/,
    async setUp(m) {
      await m.config();
      await gitIn(m.ws.trace, "checkout", "--quiet", "--detach");
      return { args: ["all"] };
    },
  },
]);
