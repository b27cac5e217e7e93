/**
 * The endpoint groups a run generates: `--all-groups` (every group), else the `groups` key
 * (`--group`, `CODEGEN_GROUPS`, `groups:` of the config file, in that order), else none: the
 * whole spec. Each group's patterns are checked where they were given; an unknown name is a
 * configuration error with the closest defined one, and so is a group that matches nothing in
 * the spec (checked against the saved spec when the run is prepared, and again against the spec
 * a generator gets).
 */
import { usageError } from "../core/errors.ts";
import { exists } from "../core/fs.ts";
import { unknownChoice } from "../core/suggest.ts";
import type { Settings } from "../config/settings.ts";
import {
  type EndpointGroups,
  filterSpec,
  type GroupSelection,
  parseEndpointGroups,
  parseGroupNames,
  selectGroups,
} from "../inputs/groups.ts";
import { readSpecFile } from "../inputs/operations.ts";

/** The groups defined by `endpoint_groups`, each checked where it was given. */
export function definedGroups(settings: Settings): EndpointGroups {
  const defined: EndpointGroups = {};
  for (const [name, fields] of Object.entries(settings.get("endpoint_groups") ?? {})) {
    const origin = fields.include?.origin ?? fields.exclude?.origin ??
      settings.origin("endpoint_groups") ?? "endpoint_groups";
    const group = {
      include: (fields.include?.value ?? []) as string[],
      exclude: (fields.exclude?.value ?? []) as string[],
    };
    Object.assign(defined, parseEndpointGroups({ [name]: group }, origin));
  }
  return defined;
}

/** The selection of a run (module comment); undefined for the whole spec. */
export function selectedGroups(
  settings: Settings,
  allGroups = false,
): GroupSelection | undefined {
  const defined = definedGroups(settings);
  const names = (settings.get("groups") ?? []).flatMap(parseGroupNames);
  const known = Object.keys(defined);
  if (allGroups && known.length === 0) {
    throw usageError(
      "--all-groups: the config defines no endpoint groups",
      "Define them under `endpoint_groups:` in the codegen config, or drop --all-groups.",
    );
  }
  if (!allGroups && known.length > 0) {
    for (const name of names) {
      if (!Object.hasOwn(defined, name)) {
        throw unknownChoice("endpoint group", name, known, settings.origin("groups") ?? "groups");
      }
    }
  }
  return selectGroups(defined, { names, all: allGroups });
}

/** Fails now when a selected group matches nothing in the saved spec (when there is one). */
export async function checkGroupsMatch(
  specPath: string,
  selection: GroupSelection | undefined,
): Promise<void> {
  if (!selection || !(await exists(specPath))) return;
  filterSpec(await readSpecFile(specPath), selection);
}
