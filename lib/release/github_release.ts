/**
 * The GitHub release of a tag, created once and updated after: never a duplicate, even when a
 * previous run created it (also as a draft) or another run creates it meanwhile (422).
 *
 * A release is published when `publish` reports it released: an existing draft of the tag is
 * published (`draft: false`) unless a draft was asked for (`draft: true`), which creates new
 * releases as drafts and leaves an existing release's state alone (never unpublishes one).
 */
import { log } from "../core/log.ts";
import { GitHubApiError } from "../github/api_errors.ts";
import { type GitHubClient, repoPath } from "../github/client.ts";
import type { Release, ReleaseFields, RepoRef } from "../github/types.ts";

export interface ReleaseOutcome {
  id?: number;
  url?: string;
  created: boolean;
  updated: boolean;
}

export async function upsertRelease(
  client: GitHubClient,
  repo: RepoRef,
  fields: ReleaseFields,
): Promise<ReleaseOutcome> {
  if (client.dryRun) {
    const path = `${repoPath(repo)}/releases`;
    client.plan({
      method: "GET",
      path: `${path}/tags/${encodeURIComponent(fields.tag_name)}`,
      note: "find the release of the tag",
    });
    client.plan({
      method: "POST",
      path,
      body: fields,
      note: `when there is none; else PATCH ${path}/{id} if it differs`,
    });
    return { created: false, updated: false };
  }
  let existing = await client.findRelease(repo, fields.tag_name);
  if (!existing) {
    try {
      const created = await client.createRelease(repo, fields);
      log.info(`created the release ${fields.tag_name}: ${created.html_url}`);
      return { id: created.id, url: created.html_url, created: true, updated: false };
    } catch (error) {
      if (!(error instanceof GitHubApiError && error.status === 422)) throw error;
      if (!error.apiErrors.some((e) => e.code === "already_exists")) throw error;
      existing = await client.findRelease(repo, fields.tag_name);
      if (!existing) throw error;
    }
  }
  if (!differs(existing, fields)) {
    log.info(`the release ${fields.tag_name} is up to date: ${existing.html_url}`);
    return { id: existing.id, url: existing.html_url, created: false, updated: false };
  }
  const { draft: _draft, ...update } = fields;
  const publishing = existing.draft && !fields.draft;
  const updated = await client.updateRelease(
    repo,
    existing.id,
    publishing ? { ...update, draft: false } : update,
  );
  log.info(
    `${
      publishing ? "published the draft" : "updated the"
    } release ${fields.tag_name}: ${updated.html_url}`,
  );
  return { id: updated.id, url: updated.html_url, created: false, updated: true };
}

/**
 * An existing release of a tag that is a draft while no draft was asked for: published (its
 * notes left as they are); anything else as it is. For reruns that find the tag already made.
 * Its `make_latest` is sent along: GitHub marks a draft it publishes latest unless told otherwise,
 * which would put a maintenance release (1.0.1 after 2.0.0) above the newest one.
 */
export async function publishIfDraft(
  client: GitHubClient,
  repo: RepoRef,
  release: Release,
  wanted: { draft: boolean; make_latest: ReleaseFields["make_latest"] },
): Promise<ReleaseOutcome> {
  const outcome = { id: release.id, url: release.html_url, created: false, updated: false };
  if (!release.draft || wanted.draft) return outcome;
  const published = await client.updateRelease(repo, release.id, {
    tag_name: release.tag_name,
    draft: false,
    ...(wanted.make_latest ? { make_latest: wanted.make_latest } : {}),
  });
  log.info(`published the draft release ${release.tag_name}: ${published.html_url}`);
  return { ...outcome, url: published.html_url, updated: true };
}

function differs(release: Release, fields: ReleaseFields): boolean {
  return (fields.name !== undefined && release.name !== fields.name) ||
    (fields.body !== undefined && (release.body ?? "") !== fields.body) ||
    (fields.prerelease !== undefined && release.prerelease !== fields.prerelease) ||
    (release.draft && !fields.draft);
}
