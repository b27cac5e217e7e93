/**
 * The bump kinds of `publish --bump`. Apart from semver.ts (which loads the `semver` package)
 * so that the option declarations, read for every `--help`, load nothing more.
 */
export type BumpKind = "major" | "minor" | "patch" | "auto";
export const BUMP_KINDS: readonly BumpKind[] = ["major", "minor", "patch", "auto"];
