/**
 * `check`: is the pinned commit on the pin's remote? A commit read from the local SDK clone can be
 * in sync and intact there and still be pushed nowhere (`update_pyproject` pinned an unpushed
 * HEAD): then nothing can install the trace repository. Verified through the clone's origin when
 * the pin names it (credentials aside): its remote-tracking refs, else origin's branch and tag
 * tips (`git ls-remote`, their objects fetched, no ref written) must reach it. A pin of another remote is not verified (said, not failed).
 */
import { CodegenError, messageOf } from "../core/errors.ts";
import { redact, stripUrlCredentials } from "../core/redact.ts";
import { git, gitOutput, lsRemote, originUrl, short, tokenForRemote } from "../git/git.ts";
import { onRemote } from "../git/remote_refs.ts";
import { installableUrl } from "../pin/pin.ts";

export type PinRemote =
  | { onRemote: true }
  /** `remote`: the pin's URL, without credentials. */
  | { onRemote: false; remote: string }
  /** Why it could not be verified (one clause). */
  | { notVerified: string };

/** Whether the clone's origin (the pin's remote) has `pin.commit`; see the module comment. */
export async function pinOnRemote(
  clone: string,
  pin: { url: string; commit: string },
  env: Record<string, string | undefined>,
): Promise<PinRemote> {
  const remote = stripUrlCredentials(pin.url);
  const commit = short(pin.commit);
  let origin: string;
  try {
    origin = await originUrl(clone);
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    return { notVerified: `whether ${remote} has ${commit} was not verified: ${error.message}` };
  }
  if (sameRemote(installableUrl(origin, clone), pin.url) === false) {
    return {
      notVerified: `whether ${remote} has ${commit} was not verified: it is not the SDK ` +
        `clone's origin (${stripUrlCredentials(origin)})`,
    };
  }
  if (await onRemote(clone, pin.commit, "origin")) return { onRemote: true };
  const token = await tokenForRemote(clone, origin, env.GITHUB_TOKEN || undefined);
  const notRead = (error: unknown) => {
    if (!(error instanceof CodegenError)) throw error;
    return {
      notVerified: `whether ${remote} has ${commit} was not verified: origin could not be ` +
        `read (${gitReason(error)})`,
    };
  };
  // The remote-tracking refs may be older than the last push (a push by URL leaves them), or
  // cover only some branches (a --single-branch clone): origin's own branch and tag tips decide.
  let tips: string[];
  try {
    const refs = await lsRemote(clone, "origin", ["refs/heads/*", "refs/tags/*"], {
      token,
      timeoutMs: 60_000,
    });
    tips = [...new Set([...refs].filter(([ref]) => !ref.endsWith("^{}")).map(([, sha]) => sha))];
  } catch (error) {
    return notRead(error);
  }
  if (tips.length === 0) return { onRemote: false, remote };
  try {
    // Their objects only (no ref, no FETCH_HEAD): what the clone already has is not sent again.
    await git(clone, [
      "fetch",
      "--quiet",
      "--no-tags",
      "--no-write-fetch-head",
      "--no-recurse-submodules",
      "origin",
      ...tips,
    ], { token, timeoutMs: 10 * 60_000, what: `fetch the branch tips of origin of ${clone}` });
  } catch (error) {
    return notRead(error);
  }
  // Nothing listed: the commit is reachable from one of the tips.
  const unreachable = await gitOutput(clone, [
    "rev-list",
    "--max-count=1",
    pin.commit,
    "--not",
    ...tips,
  ]);
  return unreachable.trim() === "" ? { onRemote: true } : { onRemote: false, remote };
}

/** The same repository, whatever the credentials, a trailing `/` or `.git`. */
function sameRemote(a: string, b: string): boolean {
  const plain = (url: string) => stripUrlCredentials(url).replace(/\/+$/, "").replace(/\.git$/, "");
  return plain(a) === plain(b);
}

/** Why git failed, in one line: its first `fatal:`/`error:` line, else the error's first line. */
export function gitReason(error: CodegenError): string {
  const said = (error.details ?? "").split("\n").map((line) => line.trim())
    .find((line) => /^(fatal|error):/.test(line));
  // A URL in git's words keeps no credentials (the pin's URL may carry some).
  return redact(said?.replace(/^(fatal|error):\s*/, "") ?? messageOf(error).split("\n")[0]);
}
