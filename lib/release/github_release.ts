/**
 * The GitHub release of a tag, created once and updated after: never a duplicate, even when a
 * previous run created it (also as a draft) or another run creates it meanwhile (422).
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
  // The draft state is the owner's once the release exists (someone may have published it).
  const { draft: _draft, ...update } = fields;
  const updated = await client.updateRelease(repo, existing.id, update);
  log.info(`updated the release ${fields.tag_name}: ${updated.html_url}`);
  return { id: updated.id, url: updated.html_url, created: false, updated: true };
}

function differs(release: Release, fields: ReleaseFields): boolean {
  return (fields.name !== undefined && release.name !== fields.name) ||
    (fields.body !== undefined && (release.body ?? "") !== fields.body) ||
    (fields.prerelease !== undefined && release.prerelease !== fields.prerelease);
}
