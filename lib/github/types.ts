/**
 * The parts of GitHub's REST resources (API version 2022-11-28) this tool reads. The API sends
 * many more fields; only these are relied on.
 */

/** A repository, named as GitHub does in URLs: `owner/name`. */
export interface RepoRef {
  owner: string;
  name: string;
}

export function fullName(repo: RepoRef): string {
  return `${repo.owner}/${repo.name}`;
}

export interface Repository {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string };
  private: boolean;
  html_url: string;
  default_branch: string;
}

export interface Label {
  id?: number;
  name: string;
}

export interface User {
  login: string;
}

export interface PullRequest {
  id: number;
  number: number;
  html_url: string;
  state: "open" | "closed";
  title: string;
  body: string | null;
  draft?: boolean;
  user: User | null;
  labels: Label[];
  requested_reviewers?: User[];
  requested_teams?: { slug: string }[];
  head: { ref: string; label: string; sha: string };
  base: { ref: string; label: string; sha: string };
}

export interface NewPullRequest {
  title: string;
  /** Branch name (same repository) or `owner:branch`. */
  head: string;
  base: string;
  body: string;
  draft?: boolean;
  maintainer_can_modify?: boolean;
}

export interface PullRequestUpdate {
  title?: string;
  body?: string;
  base?: string;
}

export interface ReviewRequest {
  reviewers?: string[];
  /** Team slugs (without the organization). */
  team_reviewers?: string[];
}

/** A submitted review (only what codegen reads). */
export interface Review {
  id: number;
  user: User | null;
  state: string;
}

export interface Release {
  id: number;
  html_url: string;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
}

export interface ReleaseFields {
  tag_name: string;
  target_commitish?: string;
  name?: string;
  body?: string;
  draft?: boolean;
  prerelease?: boolean;
  /** "true" | "false" | "legacy", as the API takes it. */
  make_latest?: "true" | "false" | "legacy";
}
