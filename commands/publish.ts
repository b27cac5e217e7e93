/** `publish`: release each target's SDK from its repository's default branch. */
import { defineCommand } from "../lib/cli/command.ts";
import { OPTIONS, OUTPUT_OPTIONS, RELEASE_OPTIONS } from "./options.ts";

export const publishCommand = defineCommand({
  name: "publish",
  aliases: [],
  summary:
    "Release the SDK: next version, release commit and CHANGELOG.md on the default branch, tag vX.Y.Z, GitHub release",
  options: {
    pythonOutput: OPTIONS.pythonOutput,
    targets: OPTIONS.targets,
    ...RELEASE_OPTIONS,
    ...OUTPUT_OPTIONS,
  },
  conflicts: [["bump", "releaseVersion"]],
  notes:
    `Run it after the pull request is merged. The version comes from the SDK's version files on origin's
default branch; --bump auto (the default) reads the spec changes since the last release from
.codegen/openapi.json in the SDK trees (none there: a patch). Nothing new since the last release
tag: nothing is done. The commit and the tag go in one atomic push; the GitHub release is created
or updated (a draft is published), never duplicated. The SDK clone needs its full history; its
branches, worktree and index are not changed (the push moves only its origin/<branch>).
Needs GITHUB_TOKEN (contents: write). Then pin the release in the trace repository:
  git -C <SDK clone> pull --ff-only origin <branch> && codegen update_pyproject --release
See docs/github.md.`,
  examples: [
    "codegen publish                                      auto: from the API changes since the last release",
    "codegen publish --bump minor",
    "codegen publish --version 2.0.0-beta.1",
    "codegen publish --branch release/1.x                 from another branch than the default",
    "codegen publish --dry-run                            the version, commit, tag and API calls; nothing done",
    "codegen publish --python-output . --json             in the SDK repository's own CI",
  ],
  load: () => import("./run/publish.ts"),
});
