/**
 * Which GitHub repository an SDK clone belongs to: `owner/name` from its `origin` remote when that
 * is a URL on the GitHub host the API base points at (https, ssh and scp forms), else the
 * explicit `github_repo: owner/name` setting. When both are known they must agree: the branch and
 * tags are pushed to origin, so a pull request or release elsewhere would name refs that are not
 * there.
 */
import { usageError } from "../core/errors.ts";
import { stripUrlCredentials } from "../core/redact.ts";
import { git } from "../git/git.ts";
import { type CheckedClone, ensureClone } from "../git/clone.ts";
import { DEFAULT_API_URL } from "./api_url.ts";
import { fullName, type RepoRef } from "./types.ts";

export interface ResolvedRepo extends RepoRef {
  /** Where the name came from, for messages. */
  from: "origin" | "github_repo";
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/;
const NAME = /^[A-Za-z0-9._-]+$/;

/**
 * The web host of the GitHub the API URL belongs to: github.com for api.github.com, HOST for
 * `https://HOST/api/v3` (Enterprise Server), SUB.ghe.com for api.SUB.ghe.com (Enterprise Cloud
 * with data residency).
 */
export function webHostOf(apiUrl: string): string {
  const url = new URL(apiUrl);
  const host = url.hostname.toLowerCase();
  if (host === "api.github.com") return "github.com";
  if (/^api\.[^.]+\.ghe\.com$/.test(host)) return host.slice("api.".length);
  return host;
}

function sameHost(remoteHost: string, webHost: string): boolean {
  const host = remoteHost.toLowerCase().replace(/^\[|\]$/g, "");
  if (webHost === "github.com") {
    return ["github.com", "www.github.com", "ssh.github.com"].includes(host);
  }
  return host === webHost || host === `ssh.${webHost}`;
}

/** `{host, path}` of a remote URL in URL form (`https://`, `ssh://`, `git://`) or scp form. */
function splitRemote(url: string): { host: string; path: string } | undefined {
  const text = url.trim();
  const withScheme =
    /^(?:https?|ssh|git|git\+ssh|ssh\+git):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:]+)(?::\d*)?(\/.*)$/i
      .exec(text);
  if (withScheme) return { host: withScheme[1], path: withScheme[2] };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return undefined; // file://, other schemes
  const scp = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)(.+)$/.exec(text);
  if (scp) return { host: scp[1], path: `/${scp[2].replace(/^\/+/, "")}` };
  return undefined;
}

/** `owner/name` of a remote URL on the GitHub of `apiUrl`; undefined for any other URL. */
export function repoFromRemoteUrl(url: string, apiUrl = DEFAULT_API_URL): RepoRef | undefined {
  const parts = splitRemote(url);
  if (!parts || !sameHost(parts.host, webHostOf(apiUrl))) return undefined;
  const segments = parts.path.replace(/\/+$/, "").replace(/\.git$/i, "").split("/").filter(
    Boolean,
  );
  if (segments.length !== 2) return undefined;
  const [owner, name] = segments.map(decodeURIComponent);
  return OWNER.test(owner) && NAME.test(name) && !/^\.+$/.test(name) ? { owner, name } : undefined;
}

/** Parses an explicit `owner/name`; `source` (flag or key) is named in the error. */
export function parseRepoName(text: string, source = "github_repo"): RepoRef {
  const value = text.trim();
  const [owner, name, ...rest] = value.split("/");
  if (
    rest.length === 0 && owner && name && OWNER.test(owner) && NAME.test(name) &&
    !/^\.+$/.test(name) && !/\.git$/i.test(name)
  ) {
    return { owner, name };
  }
  throw usageError(
    `${source} must be owner/name, not ${JSON.stringify(value)}`,
    `Give the repository as GitHub names it, e.g. ${
      source === "github_repo" ? "github_repo: " : `${source} `
    }wandb/weave-stainless (no URL, no .git).`,
  );
}

export interface RepoSettings {
  /** The SDK clone; its `origin` is read. */
  clone: string;
  /** `github_repo` / `--github-repo`, when set. */
  githubRepo?: string;
  /** Which flag or key set `githubRepo` (default "github_repo"). */
  githubRepoSource?: string;
  /** The API base the client uses (decides which host is "GitHub"). */
  apiUrl: string;
}

/** The repository of `clone`, from its origin or `githubRepo` (see the module comment). */
export async function resolveGitHubRepo(settings: RepoSettings): Promise<ResolvedRepo> {
  const source = settings.githubRepoSource ?? "github_repo";
  const explicit = settings.githubRepo?.trim()
    ? parseRepoName(settings.githubRepo, source)
    : undefined;
  const remote = await git(settings.clone, ["remote", "get-url", "origin"], { check: false });
  const url = remote.code === 0 ? remote.stdout.trim() : "";
  const fromOrigin = url ? repoFromRemoteUrl(url, settings.apiUrl) : undefined;
  if (
    fromOrigin && explicit &&
    fullName(fromOrigin).toLowerCase() !== fullName(explicit).toLowerCase()
  ) {
    throw usageError(
      `${source} is ${fullName(explicit)}, but the SDK clone's origin is ${fullName(fromOrigin)} (${
        stripUrlCredentials(url)
      })`,
      `The branch and tags go to origin, so the pull request and release must be there too: remove ${source}, or point origin at ${
        fullName(explicit)
      }.`,
    );
  }
  if (fromOrigin) return { ...fromOrigin, from: "origin" };
  if (explicit) return { ...explicit, from: "github_repo" };
  const host = webHostOf(settings.apiUrl);
  const why = url
    ? `its origin ${stripUrlCredentials(url)} is not a repository URL on ${host}`
    : "it has no remote `origin`";
  throw usageError(
    `cannot tell which GitHub repository the SDK clone ${settings.clone} is: ${why}`,
    `Set github_repo: owner/name in the config (or pass --github-repo owner/name)${
      host === "github.com"
        ? ", or set GITHUB_API_URL for GitHub Enterprise (https://HOST/api/v3)"
        : ""
    }.`,
  );
}

/** Where an SDK repository is: its clone (a path is checked first) and its GitHub repository. */
export interface SdkRepoSettings extends Omit<RepoSettings, "clone"> {
  clone: string | CheckedClone;
  /** "python", "typescript"...: named in messages about the clone. */
  target: string;
  /** Config key and flag that chose the clone path, for messages. */
  cloneKey?: string;
  cloneSource?: string;
}

/** The SDK clone's path (checked with ensureClone unless the caller did) and its repository. */
export async function resolveSdkRepo(
  settings: SdkRepoSettings,
): Promise<{ clone: string; repo: ResolvedRepo }> {
  const clone = typeof settings.clone !== "string"
    ? settings.clone.path
    : (await ensureClone(settings.clone, {
      target: settings.target,
      key: settings.cloneKey,
      source: settings.cloneSource,
    })).path;
  const repo = await resolveGitHubRepo({ ...settings, clone });
  return { clone, repo };
}

/** The web address of a repository on the GitHub of `apiUrl` (for links in bodies and notes). */
export function webUrlOf(repo: RepoRef, apiUrl = DEFAULT_API_URL): string {
  return `https://${webHostOf(apiUrl)}/${repo.owner}/${repo.name}`;
}
