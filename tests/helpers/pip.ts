/** Installing a generated SDK the way a user would, offline: pip from the project's Python. */
import { run, type RunOptions } from "../../lib/os/process.ts";
import { PYTHON } from "./cli.ts";

/**
 * `pip install --target site spec` without dependencies, build isolation or an index (no network:
 * the build backends are in the project's environment). `spec`: a directory or a `git+` URL.
 */
export async function pipInstallOffline(
  spec: string,
  site: string,
  options: Pick<RunOptions, "what" | "cwd" | "env"> = {},
): Promise<void> {
  await run(PYTHON, [
    ...["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"],
    ...["--no-build-isolation", "--no-index", "--target", site, spec],
  ], { what: "pip install the generated SDK", timeoutMs: 120_000, ...options });
}
