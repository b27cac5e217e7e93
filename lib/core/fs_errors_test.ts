/**
 * fsError: each file-system failure gets a message and a hint that says what to do; which errors
 * are refused writes; temporary directories that explain a failure and are removed once.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { dirname } from "./paths.ts";
import { exists, fsError, isWriteFault, makeTempDir, writeFileAtomic } from "./fs.ts";
import { makeUnwritable } from "../../tests/helpers/fs_faults.ts";
import { pendingCleanups, runCleanups } from "./cleanup.ts";
import type { CodegenError } from "./errors.ts";

/** An OS error as Deno throws it: a message and an errno `code`. */
function osError(code: string, message: string, type: new (m: string) => Error = Error): Error {
  return Object.assign(new type(`${message}: writefile '/x/y'`), { code });
}

Deno.test("fsError: read-only, full, over quota, permission denied, and anything else", () => {
  const context = { doing: "write OpenAPI spec /x/y", dir: "/x", via: " (set by -o)" };
  const cases: [Error, RegExp, RegExp][] = [
    [
      osError("EROFS", "Read-only file system (os error 30)"),
      /\/x is on a read-only file system \(set by -o\)$/,
      /^Remount that file system read-write, or choose another path\. This write did not happen/,
    ],
    [
      osError("ENOSPC", "No space left on device (os error 28)"),
      /no space left on the device holding \/x/,
      /df -h \/\)/,
    ],
    [
      osError("EDQUOT", "Disk quota exceeded (os error 122)"),
      /disk quota exceeded in \/x/,
      /quota -s/,
    ],
    [
      osError("EPERM", "Operation not permitted (os error 1)", Deno.errors.PermissionDenied),
      /: permission denied/,
      /chattr -i/,
    ],
    [
      osError("EIO", "Input/output error (os error 5)"),
      /: Input\/output error \(os error 5\)/,
      /^This write did not happen, and left no temporary file\. Check \/x \(ls -ld \/; df -h \/\)\.$/,
    ],
  ];
  for (const [error, message, hint] of cases) {
    const mapped = fsError(error, context);
    assertMatch(mapped.message, /^cannot write OpenAPI spec \/x\/y: /);
    assertMatch(mapped.message, message);
    assertMatch(mapped.hint ?? "", hint);
    // Only what this write did: earlier stages may have written (their report says so).
    assertNotMatch(mapped.hint ?? "", /Nothing was changed/);
  }
  const temp = fsError(osError("ENOSPC", "No space left on device (os error 28)"), {
    doing: "create a temporary directory for stainful",
    dir: "/tmp",
    alternative: "or point TMPDIR at a directory with room",
  });
  assertMatch(temp.hint ?? "", /and run again, or point TMPDIR at a directory with room\./);
});

Deno.test("isWriteFault: refused writes only (not a missing file, not a bug)", () => {
  assert(isWriteFault(osError("ENOSPC", "No space left on device (os error 28)")));
  assert(isWriteFault(osError("EACCES", "Permission denied", Deno.errors.PermissionDenied)));
  assert(!isWriteFault(osError("ENOENT", "No such file or directory", Deno.errors.NotFound)));
  assert(!isWriteFault(new TypeError("x is undefined")));
});

Deno.test("makeTempDir: removed once by whoever asks first; a missing location explained", async () => {
  const temp = await makeTempDir("codegen-fs-test-", "a test");
  assertEquals(pendingCleanups().includes(`temporary directory ${temp.path}`), true);
  await Promise.all([temp.remove(), runCleanups()]);
  assertEquals(await exists(temp.path), false);
  assertEquals(pendingCleanups().includes(`temporary directory ${temp.path}`), false);
  const error = await assertRejects(
    () => makeTempDir("x-", "the staged copy", "/nonexistent/codegen-dir"),
    /^cannot create a temporary directory for the staged copy: /,
  );
  assertMatch((error as CodegenError).hint ?? "", /\/nonexistent\/codegen-dir/);
});

Deno.test("a write that fails in a temporary directory of the run points at TMPDIR", async () => {
  const temp = await makeTempDir("codegen-fs-test-", "a test");
  const undo = await makeUnwritable(temp.path);
  try {
    const error = await assertRejects(
      () => writeFileAtomic(`${temp.path}/openapi.json`, "{}", { what: "prepared OpenAPI spec" }),
      /^cannot write prepared OpenAPI spec .*: permission denied$/,
    );
    assertMatch(
      (error as CodegenError).hint ?? "",
      /, or point TMPDIR at a directory with room\.$/,
    );
  } finally {
    await undo();
    await temp.remove();
  }
});

Deno.test("hints point df and ls at a directory that exists when they are read", async () => {
  const enospc = osError("ENOSPC", "No space left on device (os error 28)");
  // This run's temporary directory is removed when the run ends: its parent (TMPDIR) is named.
  const temp = await makeTempDir("codegen-fs-test-", "a test");
  try {
    const inTemp = fsError(enospc, { doing: "write x", dir: `${temp.path}/inputs` });
    assertStringIncludes(inTemp.hint ?? "", `(df -h ${dirname(temp.path)})`);
  } finally {
    await temp.remove();
  }
  // A directory that does not exist (any more): its first existing ancestor.
  const gone = fsError(enospc, { doing: "write x", dir: `${temp.path}/a/b` });
  assertStringIncludes(gone.hint ?? "", `(df -h ${dirname(temp.path)})`);
});

Deno.test('a path setting: its origin when someone set it, never "set by default"; the way to change it', async () => {
  const dir = await Deno.makeTempDir({ prefix: "codegen-fs-test-" }); // the user's, not the run's
  const undo = await makeUnwritable(dir);
  const change = "--openapi-output, or openapi_output in the config file";
  try {
    for (const origin of [undefined, "tools/codegen/generate_config.yaml:3"]) {
      const error = await assertRejects(
        () => writeFileAtomic(`${dir}/o.json`, "{}", { setting: { origin, change } }),
      ) as CodegenError;
      assertEquals(
        error.message.endsWith(origin ? `(set by ${origin})` : "permission denied"),
        true,
        error.message,
      );
      assertStringIncludes(error.hint ?? "", `, or choose another path (${change}).`);
    }
  } finally {
    await undo();
    await Deno.remove(dir, { recursive: true });
  }
});
