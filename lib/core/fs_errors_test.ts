/**
 * fsError: each file-system failure gets a message and a hint that says what to do; which errors
 * are refused writes; temporary directories that explain a failure and are removed once.
 */
import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/helpers/assert.ts";
import { exists, fsError, isWriteFault, makeTempDir } from "./fs.ts";
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
      /remount/,
    ],
    [
      osError("ENOSPC", "No space left on device (os error 28)"),
      /no space left on the device holding \/x/,
      /df -h \/x/,
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
      /ls -ld \/x; df -h \/x/,
    ],
  ];
  for (const [error, message, hint] of cases) {
    const mapped = fsError(error, context);
    assertMatch(mapped.message, /^cannot write OpenAPI spec \/x\/y: /);
    assertMatch(mapped.message, message);
    assertMatch(mapped.hint ?? "", hint);
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
