/**
 * Writes that fail on the file system say what to do, not only the OS error, and change nothing:
 * a directory that cannot be written (immutable for root, read-only permissions otherwise), a
 * read-only file system (EROFS) and a full disk (ENOSPC), the last two real faults in a private
 * mount namespace. Each case: exit 1, the message and hint, the old file intact, no temporary file.
 */
import { join } from "node:path";
import { assertEquals, assertMatch, assertNotMatch } from "../helpers/assert.ts";
import { PROJECT_ROOT, runCli } from "../helpers/cli.ts";
import {
  CAN_UNSHARE,
  makeUnwritable,
  type MountFault,
  runCliWithMountFaults,
} from "../helpers/fs_faults.ts";
import { commitFiles, GIT_ENV, gitIn, TRACE_PYPROJECT } from "../helpers/git_fixtures.ts";
import { withTempDir } from "../helpers/temp_dir.ts";

const EXAMPLE = `${PROJECT_ROOT}/examples/trace-repo`;
const APP = "weave.trace_server.reference.server:app";

/** get_openapi_spec (--app: no server) writing into `dir`, where a previous spec already is. */
function specArgs(dir: string): string[] {
  return ["--repo-root", EXAMPLE, "get_openapi_spec", "--app", APP, "-o", join(dir, "o.json")];
}

interface Case {
  name: string;
  /** A real fault on `dir`: an undo, or a mount fault for a namespaced run. */
  fault: (dir: string) => Promise<{ undo?: () => Promise<void>; mount?: MountFault }>;
  message: RegExp;
  hint: RegExp;
  ignore?: boolean;
}

const CASES: Case[] = [
  {
    name: "a directory that cannot be written (immutable, or mode 555)",
    fault: async (dir) => ({ undo: await makeUnwritable(dir) }),
    message: /cannot write OpenAPI spec .*o\.json: permission denied \(set by -o\)/,
    hint:
      /hint: Make .* and the file writable for you \(ls -ld .*; chmod u\+w, or chattr -i if it is immutable\)/,
  },
  {
    name: "a read-only file system (EROFS)",
    fault: (dir) => Promise.resolve({ mount: { kind: "read-only", dir } }),
    message: /cannot write OpenAPI spec .*o\.json: .* is on a read-only file system \(set by -o\)/,
    hint:
      /hint: Remount that file system read-write, or choose another path \(--openapi-output, or openapi_output in the config file\)\./,
    ignore: !CAN_UNSHARE,
  },
  {
    name: "a full disk (ENOSPC)",
    fault: (dir) => Promise.resolve({ mount: { kind: "full", dir } }),
    message:
      /cannot write OpenAPI spec .*o\.json: no space left on the device holding .* \(set by -o\)/,
    hint: /hint: Free some space there \(df -h .*\) and run again/,
    ignore: !CAN_UNSHARE,
  },
];

for (const c of CASES) {
  Deno.test({
    name: `get_openapi_spec into ${c.name}: a message that says what to do, nothing changed`,
    ignore: c.ignore,
    async fn() {
      await withTempDir("codegen-fs-", async (root) => {
        const dir = join(root, "out");
        await Deno.mkdir(dir);
        const { undo, mount } = await c.fault(dir);
        try {
          const result = mount
            ? await runCliWithMountFaults([mount], specArgs(dir))
            : await runCli(specArgs(dir));
          assertEquals(result.code, 1, result.stderr);
          assertMatch(result.stderr, c.message);
          assertMatch(result.stderr, c.hint);
          assertNotMatch(result.stderr, /os error|unexpected error/);
        } finally {
          await undo?.();
        }
        // (A full tmpfs lives only in the CLI's namespace: there this checks the directory under it.)
        assertEquals([...Deno.readDirSync(dir)], [], "nothing written, no temporary file left");
      });
    },
  });
}

Deno.test("update_pyproject on an immutable (or read-only) pyproject.toml: what to do; the file is kept", async () => {
  await withTempDir("codegen-fs-", async (root) => {
    const sdk = join(root, "sdk");
    await gitIn(root, "init", "--quiet", "-b", "main", sdk);
    await commitFiles(sdk, { message: "SDK", files: { "README.md": "sdk\n" } });
    await gitIn(sdk, "remote", "add", "origin", "https://example.com/org/sdk.git");
    const pyproject = join(root, "pyproject.toml");
    await Deno.writeTextFile(pyproject, TRACE_PYPROJECT);
    // Root: the file itself is immutable (rename over it fails); others: its directory is read-only.
    const undo = await makeUnwritable(Deno.uid() === 0 ? pyproject : root);
    try {
      const result = await runCli(
        ["--repo-root", root, "update_pyproject", sdk, "weave_server_sdk"],
        { env: GIT_ENV },
      );
      assertEquals(result.code, 1, result.stderr);
      assertMatch(
        result.stderr,
        /cannot write pyproject\.toml .*pyproject\.toml: permission denied/,
      );
      assertMatch(result.stderr, /hint: Make .* writable for you/);
    } finally {
      await undo();
    }
    assertEquals(await Deno.readTextFile(pyproject), TRACE_PYPROJECT);
    assertEquals([...Deno.readDirSync(root)].map((e) => e.name).sort(), ["pyproject.toml", "sdk"]);
  });
});
