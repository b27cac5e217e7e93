/**
 * `check`: is the pinned commit on the pin's remote? A commit read from the local SDK clone can be
 * in sync and intact there and still be pushed nowhere (`update_pyproject` pinned an unpushed
 * HEAD): then nothing can install the trace repository. Verified when the pin names the clone's
 * origin (the same host and path, whatever the URL's form or credentials):
 *
 *   1. origin's branch and tag tips (`git ls-remote`, their objects fetched, no ref written)
 *      reach it: pushed;
 *   2. else the commit is fetched by sha from the pin's URL into a throwaway bare repository (the
 *      clone untouched), as pip would: other refs count too (GitHub's `refs/pull/N/head` after a
 *      squash-merged, deleted mirror branch). Only the remote's refusal of the object means
 *      "pushed nowhere"; any other failure (network, timeout, disk) leaves it not verified;
 *   3. origin cannot be read at all: the clone's remote-tracking refs decide, "as far as the clone
 *      knows" (they may be stale: a branch deleted or force-pushed upstream, no prune).
 *
 * A pin of another remote is not verified (said, not failed).
 */
import { CodegenError, messageOf } from "../core/errors.ts";
import { makeTempDir } from "../core/fs.ts";
import { log } from "../core/log.ts";
import { redact, stripUrlCredentials } from "../core/redact.ts";
import { git, gitOutput, lsRemote, originUrl, short, tokenForRemote } from "../git/git.ts";
import { remoteRefsContaining } from "../git/remote_refs.ts";
import { installableUrl } from "../pin/pin.ts";

export type PinRemote =
  /** `note`: how it was known when that is weaker than asking the remote. */
  | { onRemote: true; note?: string }
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
  const unverified = (why: string) => ({
    notVerified: `whether ${remote} has ${short(pin.commit)} was not verified: ${why}`,
  });
  let origin: string;
  try {
    origin = await originUrl(clone);
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    return unverified(error.message);
  }
  if (!sameRemote(installableUrl(origin, clone), pin.url)) {
    return unverified(`it is not the SDK clone's origin (${stripUrlCredentials(origin)})`);
  }
  const token = await tokenForRemote(clone, origin, env.GITHUB_TOKEN || undefined);
  const tips = await originTips(clone, token);
  if (tips instanceof CodegenError) return offline(clone, pin.commit, gitReason(tips), unverified);
  if (tips.length > 0 && await tipsReach(clone, tips, pin.commit, token)) return { onRemote: true };
  log.verbose(`no branch or tag of origin reaches ${short(pin.commit)}: fetching it by sha`);
  return await fetchableBySha(pin, env);
}

/** origin's branch and tag tips (`git ls-remote`); the error when origin cannot be read. */
async function originTips(clone: string, token?: string): Promise<string[] | CodegenError> {
  try {
    const refs = await lsRemote(clone, "origin", ["refs/heads/*", "refs/tags/*"], {
      token,
      timeoutMs: 60_000,
    });
    return [...new Set([...refs].filter(([ref]) => !ref.endsWith("^{}")).map(([, sha]) => sha))];
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    return error;
  }
}

/**
 * Does one of origin's `tips` reach `commit`? Fetches their objects only (no ref, no FETCH_HEAD:
 * what the clone already has is not sent again). A failed fetch counts as "no": the fetch by sha
 * decides then.
 */
async function tipsReach(
  clone: string,
  tips: string[],
  commit: string,
  token?: string,
): Promise<boolean> {
  const args = [
    "fetch",
    "--quiet",
    "--no-tags",
    "--no-write-fetch-head",
    "--no-recurse-submodules",
  ];
  // Tips on stdin, not argv: tens of thousands of tags would exceed the argument limit.
  const fetched = await git(clone, [...args, "--stdin", "origin"], {
    token,
    timeoutMs: 10 * 60_000,
    check: false,
    input: tipsInput(tips),
  });
  if (fetched.code !== 0) {
    log.verbose(
      `fetching origin's tips failed (the fetch by sha decides): ${redact(fetched.stderr)}`,
    );
    return false;
  }
  // Nothing listed: the commit is reachable from one of the tips (`^tip` lines: git 2.39's
  // `rev-list --stdin` does not take `--not`).
  const unreachable = await gitOutput(clone, ["rev-list", "--max-count=1", "--stdin"], {
    input: `${commit}\n${tipsInput(tips.map((tip) => `^${tip}`))}`,
  });
  return unreachable.trim() === "";
}

/** Revisions or refspecs for git's `--stdin`: one a line. */
export function tipsInput(tips: string[]): string {
  return tips.map((tip) => `${tip}\n`).join("");
}

/** origin cannot be read: its remote-tracking refs tell what the clone last knew. */
async function offline(
  clone: string,
  commit: string,
  reason: string,
  unverified: (why: string) => PinRemote,
): Promise<PinRemote> {
  const refs = await remoteRefsContaining(clone, commit, "origin");
  if (refs.length === 0) return unverified(`origin could not be read (${reason})`);
  return {
    onRemote: true,
    note: `origin could not be read (${reason}): ${short(commit)} is on ${refs[0]} as far as ` +
      `the clone knows (its remote-tracking refs may be stale)`,
  };
}

/**
 * Fetches `pin.commit` by sha from the pin's URL into a throwaway bare repository (the test of
 * pip, and of `check` on a fresh clone). Refused while the remote can be read: pushed nowhere.
 */
async function fetchableBySha(
  pin: { url: string; commit: string },
  env: Record<string, string | undefined>,
): Promise<PinRemote> {
  const remote = stripUrlCredentials(pin.url);
  const scratch = await makeTempDir("codegen-pin-check-", "fetching the pinned commit by sha");
  try {
    await git(scratch.path, ["init", "--quiet", "--bare"], { timeoutMs: 30_000 });
    // Decided with the config the fetch sees (global and system, not the clone's own).
    const token = await tokenForRemote(scratch.path, pin.url, env.GITHUB_TOKEN || undefined);
    const fetch = ["fetch", "--quiet", "--depth=1", "--no-tags", "--no-write-fetch-head"];
    const fetched = await git(scratch.path, [...fetch, pin.url, pin.commit], {
      token,
      timeoutMs: 10 * 60_000,
      check: false,
    });
    if (fetched.code === 0) return { onRemote: true };
    log.verbose(`fetching ${short(pin.commit)} from ${remote} failed: ${redact(fetched.stderr)}`);
    // Only the remote's refusal of the object proves it was read and lacks it.
    if (!fetched.timedOut && fetchRefused(fetched.stderr)) return { onRemote: false, remote };
    const why = fetched.timedOut
      ? "the fetch timed out"
      : firstGitError(fetched.stderr) ?? `git exited with ${fetched.code}`;
    return {
      notVerified: `whether ${remote} has ${short(pin.commit)} was not verified: no branch or ` +
        `tag of origin reaches it, and fetching it from ${remote} failed (${why})`,
    };
  } finally {
    await scratch.remove();
  }
}

/**
 * Did git's fetch by sha fail because the remote refused the object (it does not have it, or not
 * on a ref it serves)? Real git 2.x words over file://, git:// (daemon) and https (GitHub):
 * `upload-pack: not our ref <sha>`, `Server does not allow request for unadvertised object`,
 * `couldn't find remote ref`, `no such remote ref`. Anything else (network, disk, timeout, fsck)
 * is not a refusal.
 */
export function fetchRefused(stderr: string): boolean {
  return /upload-pack: not our ref|does not allow request for unadvertised object|couldn't find remote ref|no such remote ref/i
    .test(stderr);
}

/** git's first `fatal:`/`error:` line, redacted (a URL in it may carry credentials). */
function firstGitError(stderr: string): string | undefined {
  const said = stderr.split("\n").map((line) => line.trim())
    .find((line) => /^(fatal|error):/.test(line));
  return said === undefined ? undefined : redact(said.replace(/^(fatal|error):\s*/, ""));
}

/**
 * The same repository: the same host and path, whatever the URL's form (`https://`, `ssh://`,
 * scp-style `git@host:path`, `file://` or a plain path), credentials, port 22 of ssh (443 of
 * https), case of the host (and of the path on github.com, which ignores it), repeated or
 * trailing `/`, a `.git` suffix in any case (`/.git` of a local work tree), a URL's `?query` or
 * `#fragment`. An encoded `/` (`%2F`) stays part of its segment, not a separator.
 */
export function sameRemote(a: string, b: string): boolean {
  return remoteKey(a) === remoteKey(b);
}

/** `host/path` for a network remote, `file:path` for a local one; see sameRemote. */
function remoteKey(raw: string): string {
  const url = raw.trim().replace(/^git\+/, "");
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  const withoutQuery = url.replace(/[?#].*$/, "");
  if (scheme === "file") {
    return `file:${localPath(withoutQuery.replace(/^file:\/\/(localhost)?/i, ""))}`;
  }
  if (scheme) {
    const match = /^[^:]+:\/\/(?:[^/@]*@)?([^/:]+|\[[^\]]+\])(?::(\d*))?(\/.*)?$/.exec(
      withoutQuery,
    );
    if (!match) return url;
    const [, host, port, rest] = match;
    const defaultPort = { ssh: "22", "git+ssh": "22", "ssh+git": "22", https: "443", http: "80" };
    const portPart = !port || port === defaultPort[scheme as keyof typeof defaultPort]
      ? ""
      : `:${port}`;
    return networkKey(`${host}${portPart}`, rest ?? "");
  }
  const scp = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)(.+)$/.exec(url);
  if (scp && !url.startsWith("/") && !url.startsWith(".")) return networkKey(scp[1], scp[2]);
  return `file:${localPath(url)}`;
}

function networkKey(host: string, path: string): string {
  const hostKey = host.toLowerCase();
  // GitHub's paths are case-insensitive; other servers' may not be.
  return `${hostKey}${hostKey === "github.com" ? repoPath(path).toLowerCase() : repoPath(path)}`;
}

/** A local path: its work tree's `/.git` names the same repository. */
function localPath(path: string): string {
  return repoPath(path.replace(/\/+\.git\/*$/i, ""));
}

/** `/seg/seg` decoded per segment (an encoded `/` kept as `%2F`), without `/`s or `.git` at the end. */
function repoPath(path: string): string {
  const segments = path.split("/").filter(Boolean).map((segment) => {
    try {
      return decodeURIComponent(segment).replaceAll("/", "%2F");
    } catch (error) {
      if (!(error instanceof URIError)) throw error; // a stray `%`: compared as written
      return segment;
    }
  });
  return `/${segments.join("/").replace(/\.git$/i, "")}`;
}

/** Why git failed, in one line: its first `fatal:`/`error:` line, else the error's first line. */
export function gitReason(error: CodegenError): string {
  // A URL in git's words keeps no credentials (the pin's URL may carry some).
  return firstGitError(error.details ?? "") ?? redact(messageOf(error).split("\n")[0]);
}
