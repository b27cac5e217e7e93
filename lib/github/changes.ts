/**
 * What changed for SDK users, as the pull request body, its title and `publish`'s automatic
 * version bump need it. The spec diff and the SDK API report are computed elsewhere; these are
 * the minimal shapes they are handed over in.
 */

/** One operation of the spec diff. */
export interface OperationChange {
  /** Method and path, e.g. "DELETE /obj/{digest}". */
  operation: string;
  /** Would existing clients break (a removed operation, a newly required field...)? */
  breaking: boolean;
  /** What changed, one short line each ("request field `ref` became required"). */
  descriptions?: string[];
}

/** Operations added, removed and changed between two OpenAPI documents. */
export interface SpecChanges {
  added: OperationChange[];
  removed: OperationChange[];
  changed: OperationChange[];
}

/** Public names of the generated SDK that appeared, disappeared or changed signature. */
export interface SdkApiReport {
  added: string[];
  removed: string[];
  /** One line per changed name, with what changed. */
  changed: string[];
  /** Would code using the SDK break (a name or a parameter removed, a parameter now required)? */
  breaking?: boolean;
}

/**
 * breaking: something existing users rely on went away or changed incompatibly;
 * feature: something new; fix: existing things changed compatibly; chore: nothing users see.
 */
export type ChangeLevel = "breaking" | "feature" | "fix" | "chore";

/** Every breaking operation change (removed operations are breaking unless marked otherwise). */
export function breakingChanges(spec?: SpecChanges): OperationChange[] {
  if (!spec) return [];
  return [...spec.removed, ...spec.changed, ...spec.added].filter((change) => change.breaking);
}

export function changeLevel(spec?: SpecChanges, report?: SdkApiReport): ChangeLevel {
  if (breakingChanges(spec).length > 0 || report?.breaking || (report?.removed.length ?? 0) > 0) {
    return "breaking";
  }
  if ((spec?.added.length ?? 0) > 0 || (report?.added.length ?? 0) > 0) return "feature";
  if (
    (spec?.changed.length ?? 0) + (spec?.removed.length ?? 0) > 0 ||
    (report?.changed.length ?? 0) > 0
  ) {
    return "fix";
  }
  return "chore";
}
