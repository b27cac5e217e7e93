/**
 * Real file-system faults for tests, also when the tests run as root (root ignores permission
 * bits): an immutable directory (`chattr +i`, root only; `chmod 555` otherwise), and, in a private
 * mount namespace (`unshare -rm`, no privilege needed where user namespaces are enabled), a
 * read-only bind mount (EROFS) or a full tmpfs (ENOSPC) for the CLI run inside it.
 */
import { cliEnv, type CliResult, MAIN } from "./cli.ts";
import { run } from "../../lib/os/process.ts";
import { CodegenError } from "../../lib/core/errors.ts";

export const IS_ROOT = Deno.uid() === 0;

/** Makes `path` unwritable in a way that holds for root too; returns the undo. */
export async function makeUnwritable(path: string): Promise<() => Promise<void>> {
  if (IS_ROOT) {
    await run("chattr", ["+i", path], { what: `chattr +i ${path}` });
    return async () => void await run("chattr", ["-i", path]);
  }
  const mode = (await Deno.stat(path)).mode ?? 0o755;
  await Deno.chmod(path, 0o555);
  return () => Deno.chmod(path, mode & 0o7777);
}

/** Can this machine make private mount namespaces (for EROFS and ENOSPC)? */
export const CAN_UNSHARE: boolean = await run("unshare", ["-rm", "true"], { check: false })
  .then((r) => r.code === 0, (error) => {
    if (error instanceof CodegenError) return false; // no `unshare` on this machine
    throw error;
  });

export type MountFault =
  | { kind: "read-only"; dir: string }
  | { kind: "full"; dir: string };

function quote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The shell commands that set a fault up inside the namespace. */
function setUp(fault: MountFault): string[] {
  const dir = quote(fault.dir);
  if (fault.kind === "read-only") {
    return [`mount --bind ${dir} ${dir}`, `mount -o remount,bind,ro ${dir}`];
  }
  // A tmpfs of 64 KiB, filled to the last byte: any write fails with ENOSPC.
  return [
    `mount -t tmpfs -o size=64k tmpfs ${dir}`,
    `(dd if=/dev/zero of=${dir}/.filler bs=4k 2>/dev/null || true)`,
  ];
}

/** Runs the CLI in a private mount namespace where `faults` hold (nothing outside sees them). */
export async function runCliWithMountFaults(
  faults: MountFault[],
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const script = [...faults.flatMap(setUp), 'exec "$@"'].join(" && ");
  const output = await new Deno.Command("unshare", {
    args: [
      "-rm",
      "--propagation",
      "private",
      "sh",
      "-c",
      script,
      "sh",
      Deno.execPath(),
      "run",
      "--allow-all",
      "--quiet",
      MAIN,
      ...args,
    ],
    cwd: options.cwd,
    env: cliEnv({ env: options.env }),
    clearEnv: true,
    stdin: "null",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}
