/**
 * Fault matrix, merge and pin: the push a pre-receive hook rejects, a remote that does not answer,
 * someone else's commits on the mirror branch, and a pyproject.toml that cannot be pinned (not
 * TOML, no [project], immutable, --release without a version). The SDK clone's `main` holds
 * generated code before the run (as generate_code leaves it); the run must leave the clone and
 * pyproject.toml byte-identical. Shared checks: tests/helpers/fault_matrix.ts.
 */
import { join } from "node:path";
import { assertEquals } from "../helpers/assert.ts";
import { faultMatrix } from "../helpers/fault_matrix.ts";
import { writeScript } from "../helpers/fault_cases.ts";
import { commitFiles, gitIn } from "../helpers/git_fixtures.ts";
import { IS_ROOT, makeUnwritable } from "../helpers/fs_faults.ts";
import { reservePort } from "../helpers/ports.ts";

const MERGE = ["merge_generated_code"];

faultMatrix([
  {
    fault: "push rejected by a pre-receive hook",
    stage: "git",
    code: 1,
    message:
      /push weave\/my-feature to origin failed: `git push .*` \(exit code 1\)\n[\s\S]*remote: policy: pushes to weave\/\* need an approved review[\s\S]*\[remote rejected\] \(pre-receive hook declined\)/,
    hint:
      /hint: Nothing was pinned\. Check your push access to the SDK repository; if someone pushed meanwhile, run again\./,
    async setUp(m) {
      await m.config();
      await m.generated();
      await writeScript(
        join(m.ws.bare, "hooks", "pre-receive"),
        "echo 'policy: pushes to weave/* need an approved review' >&2\nexit 1",
      );
      return { args: MERGE };
    },
    async check(m) {
      assertEquals(await gitIn(m.ws.bare, "for-each-ref", "refs/heads/weave"), "", "not pushed");
    },
  },
  {
    fault: "remote unreachable (nothing listens on its port)",
    stage: "git",
    code: 1,
    message:
      /list the branches of origin failed: `git ls-remote -- origin .*` \(exit code 128\)\n {2}fatal: unable to access 'https:\/\/127\.0\.0\.1:\d+\/weave-server-sdk\.git\/': Failed to connect/,
    hint: /hint: Check that the remote exists and that you can read it \(credentials, network\)\./,
    async setUp(m) {
      await m.config();
      await m.generated();
      using closed = reservePort(); // reserved, never listened on: connections are refused
      const url = m.remoteUrl.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${closed.port}`);
      await gitIn(m.ws.sdk, "remote", "set-url", "origin", url);
      return { args: MERGE };
    },
  },
  {
    fault: "someone else's commits on the mirror branch, no --force",
    stage: "git",
    code: 1,
    message:
      /weave\/my-feature on origin has 1 commit\(s\) that codegen did not make; refusing to overwrite them\n {2}[0-9a-f]{7} Hand-written fix/,
    hint: /hint: Move that work elsewhere, or pass --force to replace the branch anyway\./,
    fetchesOrigin: true,
    async setUp(m) {
      await m.config();
      await m.generated();
      const other = join(m.ws.root, "other");
      await gitIn(m.ws.root, "clone", "--quiet", m.ws.bare, other);
      await commitFiles(other, { message: "Hand-written fix", files: { "fix.py": "FIX = 1\n" } });
      await gitIn(other, "push", "--quiet", "origin", "HEAD:refs/heads/weave/my-feature");
      return { args: MERGE };
    },
  },
  {
    fault: "pyproject.toml that is not TOML",
    stage: "pin",
    code: 1,
    message:
      /check stage failed: \S+\/pyproject\.toml is not valid TOML: Error parsing TOML \(2, 1\)/,
    hint: /hint: Fix the file \(or restore it from git\) and run again; it was not changed\./,
    async setUp(m) {
      await m.config();
      await Deno.writeTextFile(m.ws.pyproject, "[project\nname = 'weave'\n");
      return { args: ["all"] };
    },
  },
  {
    fault: "pyproject.toml without a [project] table",
    stage: "pin",
    code: 1,
    message: /\S+\/weave\/pyproject\.toml has no \[project\] table/,
    hint: /hint: Point --pyproject at the trace repository's pyproject\.toml\./,
    async setUp(m) {
      await m.config();
      await m.generated();
      await commitFiles(m.ws.trace, {
        message: "No [project]",
        files: { "pyproject.toml": "[tool.ruff]\nline-length = 100\n" },
      });
      return { args: ["update_pyproject"] };
    },
  },
  {
    fault: IS_ROOT
      ? "immutable pyproject.toml (chattr +i)"
      : "read-only directory of pyproject.toml",
    stage: "filesystem",
    code: 1,
    message: /cannot write pyproject\.toml .*pyproject\.toml: permission denied/,
    hint: /hint: Make .* writable for you/,
    async setUp(m) {
      await m.config();
      await m.generated();
      const undo = await makeUnwritable(IS_ROOT ? m.ws.pyproject : m.ws.trace);
      let undone = false;
      return {
        args: ["update_pyproject"],
        release: async () => {
          if (!undone) await undo();
          undone = true;
        },
      };
    },
  },
  {
    fault: "--release when the SDK has no [project].version",
    stage: "pin",
    code: 1,
    message: /\S+\/weave-server-sdk\/pyproject\.toml has no \[project\]\.version/,
    hint:
      /hint: --release pins the SDK's released version; set \[project\]\.version in the SDK \(or a literal version= in its setup\.py\), or pin a commit without --release\./,
    async setUp(m) {
      await m.config();
      await commitFiles(m.ws.sdk, {
        message: "SDK without a version",
        files: { "pyproject.toml": '[project]\nname = "weave_server_sdk"\n' },
      });
      await gitIn(m.ws.sdk, "status", "--porcelain");
      return { args: ["update_pyproject", "--release"] };
    },
  },
]);
