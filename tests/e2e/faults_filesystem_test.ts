/**
 * Fault matrix, the file system: a full TMPDIR, a read-only spec directory, a read-only SDK clone or
 * trace repository (their locks), each a
 * real fault in a private mount namespace of the CLI (tests/helpers/fs_faults.ts; skipped where
 * user namespaces are not available); the immutable pyproject.toml is in faults_git_test.ts. Shared
 * checks: tests/helpers/fault_matrix.ts.
 */
import { join } from "node:path";
import { assertNotMatch } from "../helpers/assert.ts";
import { faultMatrix } from "../helpers/fault_matrix.ts";
import { CAN_UNSHARE } from "../helpers/fs_faults.ts";

faultMatrix([
  {
    fault: "TMPDIR on a full disk",
    stage: "filesystem",
    code: 1,
    message:
      /cannot write prepared OpenAPI spec \S+-tmp\/codegen-command-\S+\/inputs\/openapi\.json: no space left on the device holding /,
    // df names TMPDIR itself: the run's temporary directory is gone when the hint is read.
    hint:
      /hint: Free some space there \(df -h \S+-tmp\) and run again, or point TMPDIR at a directory with room\. This write did not happen, and left no temporary file\.$/m,
    ignore: !CAN_UNSHARE,
    async setUp(m) {
      await m.config();
      return { args: ["all"], mounts: [{ kind: "full", dir: m.tmp }] };
    },
  },
  {
    fault: "the spec's directory on a read-only file system",
    stage: "filesystem",
    code: 1,
    message:
      /spec stage failed: cannot write OpenAPI spec \S+\/tools\/codegen\/openapi\.json: \S+\/tools\/codegen is on a read-only file system/,
    hint:
      /hint: Remount that file system read-write, or choose another path \(--openapi-output, or openapi_output in the config file\)\./,
    ignore: !CAN_UNSHARE,
    check(_m, result) {
      // openapi_output is the default: nobody "set" it.
      assertNotMatch(result.stderr, /set by default/);
    },
    async setUp(m) {
      await m.config();
      return {
        args: ["all"],
        mounts: [{ kind: "read-only", dir: join(m.ws.trace, "tools/codegen") }],
      };
    },
  },
  {
    fault: "the SDK clone's git directory on a read-only file system",
    stage: "filesystem",
    code: 1,
    message:
      /check stage failed: cannot lock the SDK clone \S+ \(create \S+\/\.git\/codegen\.lock\): \S+\/\.git is on a read-only file system/,
    hint:
      /hint: Remount that file system read-write, or work in a copy on a writable file system\./,
    ignore: !CAN_UNSHARE,
    async setUp(m) {
      await m.config();
      return { args: ["all"], mounts: [{ kind: "read-only", dir: join(m.ws.sdk, ".git") }] };
    },
  },
  {
    fault: "the trace repository's git directory on a read-only file system",
    stage: "filesystem",
    code: 1,
    message:
      /cannot lock the trace repository \S+ \(create \S+\/\.git\/codegen-trace\.lock\): \S+\/\.git is on a read-only file system/,
    hint: /hint: Remount that file system read-write, or work in a copy on a writable file system/,
    ignore: !CAN_UNSHARE,
    async setUp(m) {
      await m.config();
      return { args: ["all"], mounts: [{ kind: "read-only", dir: join(m.ws.trace, ".git") }] };
    },
  },
]);
