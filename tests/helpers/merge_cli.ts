/**
 * Shared set-up of the `merge_generated_code` end-to-end tests: the sync fixture (a bare SDK
 * repository served by `git daemon`, an SDK clone, a trace repository) and the CLI run against it.
 */
import { runCli } from "./cli.ts";
import { createSyncFixture, gitIn, type SyncFixture } from "./git_fixtures.ts";

export const MIRROR = "refs/heads/weave/my-feature";
/** No identity and no user config: the tool must fall back to its default identity. */
export const NO_GIT_CONFIG = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };

/** `codegen --repo-root <trace> merge_generated_code <sdk> weave_server_sdk <args>`. */
export function merge(f: SyncFixture, args: string[] = [], env: Record<string, string> = {}) {
  return runCli([
    "--repo-root",
    f.trace,
    "merge_generated_code",
    f.sdk,
    "weave_server_sdk",
    ...args,
  ], {
    env: { ...NO_GIT_CONFIG, ...env },
  });
}

/** The sha of a ref of the bare origin ("" when it does not exist). */
export async function remoteRef(f: SyncFixture, ref: string): Promise<string> {
  return (await gitIn(f.bare, "for-each-ref", "--format=%(objectname)", ref)).trim();
}

export async function withFixture(fn: (f: SyncFixture) => Promise<void>): Promise<void> {
  const f = await createSyncFixture();
  try {
    await fn(f);
  } finally {
    await f.dispose();
  }
}
