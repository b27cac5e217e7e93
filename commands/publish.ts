/** `publish`: release each target's SDK from a branch (default: its repository's default branch). */
import { defineCommand } from "../lib/cli/command.ts";
import { OPTIONS, OUTPUT_OPTIONS, RELEASE_OPTIONS } from "./options.ts";

export const publishCommand = defineCommand({
  name: "publish",
  aliases: [],
  summary:
    "Release the SDK: next version, release commit and CHANGELOG.md on the released branch, tag vX.Y.Z, GitHub release",
  options: {
    pythonOutput: OPTIONS.pythonOutput,
    targets: OPTIONS.targets,
    ...RELEASE_OPTIONS,
    ...OUTPUT_OPTIONS,
  },
  conflicts: [["bump", "releaseVersion"]],
  notes:
    `Run it after the pull request is merged. The released branch is origin's default branch, or
--branch (a maintenance branch such as release/1.x). The version comes from the SDK's version files
on that branch; its last release is the highest release tag its tip contains (release/1.x gets
1.0.1 after main released 2.0.0), and a version tagged on another commit of origin is refused.
--bump auto (the default) reads the spec changes since that release from .codegen/openapi.json in
the SDK trees (none there: a patch). Nothing new on the branch since its last release tag: nothing
is done. The commit and the tag go in one atomic push; the GitHub release is created or updated (a
draft is published), never duplicated, and is marked latest unless it is a pre-release or below
origin's highest release. The SDK clone needs its full history; its branches, worktree and index
are not changed (the push moves only its origin/<branch>). Needs GITHUB_TOKEN (contents: write).
Then pin the release in the trace repository (publish prints the command):
  git -C <SDK clone> checkout <default branch> &&
    git -C <SDK clone> pull --ff-only origin <default branch> && codegen update_pyproject --release
  from another branch, without moving the clone's branches (this detaches its HEAD):
  git -C <SDK clone> fetch origin tag <tag> && git -C <SDK clone> checkout --detach <tag> &&
    codegen update_pyproject --release
See docs/github.md.`,
  examples: [
    "codegen publish                                      auto: from the API changes since the last release",
    "codegen publish --bump minor",
    "codegen publish --version 2.0.0-beta.1",
    "codegen publish --branch release/1.x --bump patch    maintenance: 1.0.1 after 2.0.0, not latest",
    "codegen publish --dry-run                            the version, commit, tag and API calls; nothing done",
    "codegen publish --python-output . --json             in the SDK repository's own CI",
  ],
  load: () => import("./run/publish.ts"),
});
