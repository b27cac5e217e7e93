/**
 * The fake GitHub's wire format: JSON answers, error bodies and resource shapes as the real REST
 * API (version 2022-11-28) sends them, and `Link` pagination.
 */

export const DOCS = "https://docs.github.com/rest";
const NOW = "2026-01-05T12:00:00Z";

export interface FakePull {
  number: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  state: "open" | "closed";
  draft: boolean;
  author: string;
  labels: string[];
  reviewers: string[];
  teams: string[];
  /** Logins that submitted a review (see FakeGitHub.review). */
  reviews?: string[];
}

export interface FakeRelease {
  id: number;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  make_latest?: string;
}

export interface FakeRepo {
  owner: string;
  name: string;
  defaultBranch: string;
  /** When set, pull requests must name existing branches. */
  branches?: Set<string>;
  /** When set, reviewers must be among them. */
  collaborators?: Set<string>;
  pulls: FakePull[];
  releases: FakeRelease[];
}

/** Where the fake is served, for the URLs inside resources. */
export interface WireContext {
  origin: string;
  apiBase: string;
  login: string;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

export function notFound(): Response {
  return json(404, { message: "Not Found", documentation_url: DOCS, status: "404" });
}

/** A 422 with GitHub's `errors` list (objects, or plain strings as some endpoints send). */
export function invalid(errors: unknown[]): Response {
  return json(422, {
    message: "Validation Failed",
    errors,
    documentation_url: DOCS,
    status: "422",
  });
}

export function pullJson(ctx: WireContext, repo: FakeRepo, pull: FakePull) {
  const full = `${repo.owner}/${repo.name}`;
  const side = (ref: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha: "0".repeat(40),
    user: { login: repo.owner },
    repo: { full_name: full, name: repo.name, owner: { login: repo.owner } },
  });
  return {
    url: `${ctx.apiBase}/repos/${full}/pulls/${pull.number}`,
    id: pull.number + 500_000,
    node_id: `PR_${pull.number}`,
    html_url: `${ctx.origin}/${full}/pull/${pull.number}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: { login: pull.author, type: "User" },
    body: pull.body,
    labels: pull.labels.map((name, i) => ({ id: i + 1, name, color: "ededed", default: false })),
    created_at: NOW,
    updated_at: NOW,
    closed_at: null,
    merged_at: null,
    draft: pull.draft,
    requested_reviewers: pull.reviewers.map((l) => ({ login: l, type: "User" })),
    requested_teams: pull.teams.map((slug) => ({ slug, name: slug })),
    head: side(pull.head),
    base: side(pull.base),
    maintainer_can_modify: false,
  };
}

export function releaseJson(ctx: WireContext, repo: FakeRepo, release: FakeRelease) {
  return {
    url: `${ctx.apiBase}/repos/${repo.owner}/${repo.name}/releases/${release.id}`,
    html_url: `${ctx.origin}/${repo.owner}/${repo.name}/releases/tag/${release.tag_name}`,
    id: release.id,
    tag_name: release.tag_name,
    target_commitish: release.target_commitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    created_at: NOW,
    published_at: release.draft ? null : NOW,
    author: { login: ctx.login },
    assets: [],
  };
}

/** One page of `items` with a `Link` header, as the real API paginates. */
export function page(url: URL, items: unknown[], maxPerPage: number): Response {
  const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), maxPerPage);
  const number = Math.max(1, Number(url.searchParams.get("page") ?? 1));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const target = new URL(url);
    target.searchParams.set("page", String(n));
    target.searchParams.set("per_page", String(perPage));
    return `<${target.href}>; rel="${rel}"`;
  };
  const links = [];
  if (number < last) links.push(link(number + 1, "next"), link(last, "last"));
  if (number > 1) links.push(link(1, "first"), link(number - 1, "prev"));
  return json(
    200,
    items.slice((number - 1) * perPage, number * perPage),
    links.length ? { link: links.join(", ") } : {},
  );
}

export function reviewJson(
  ctx: WireContext,
  repo: FakeRepo,
  pull: FakePull,
  login: string,
  i: number,
) {
  return {
    id: 80_000 + i,
    node_id: `PRR_${i}`,
    user: { login, type: "User" },
    body: "",
    state: "APPROVED",
    html_url: `${ctx.origin}/${repo.owner}/${repo.name}/pull/${pull.number}#pullrequestreview-${i}`,
    submitted_at: NOW,
    commit_id: "0".repeat(40),
  };
}
