/** `open-pr`: open or update the pull request of each target's pushed mirror branch. */
import { defineCommand } from "../lib/cli/command.ts";
import { OPTIONS, OUTPUT_OPTIONS, PR_OPTIONS } from "./options.ts";

export const openPrCommand = defineCommand({
  name: "open-pr",
  aliases: ["open_pr"],
  summary:
    "Open (or update) the pull request from the pushed mirror branch weave/<trace branch> into the SDK repository's default branch",
  options: {
    pythonOutput: OPTIONS.pythonOutput,
    targets: OPTIONS.targets,
    packageName: OPTIONS.packageName,
    openapiOutput: OPTIONS.openapiOutput,
    traceBranch: OPTIONS.traceBranch,
    mirrorPrefix: OPTIONS.mirrorPrefix,
    ...PR_OPTIONS,
    ...OUTPUT_OPTIONS,
  },
  notes:
    `Exactly one pull request per mirror branch: the open one is updated (title and body), else one is
created; nothing is opened when the mirror branch holds the same files as the base. The body says
where the code came from, the API changes (breaking first), the SDK API report, the inputs (the
origin stamp), the files changed and how to reproduce. Needs GITHUB_TOKEN (pull-requests: write);
GITHUB_API_URL for GitHub Enterprise. --dry-run sends no request. See docs/github.md.`,
  examples: [
    "codegen open-pr                                        after `codegen all` (or merge_generated_code)",
    "codegen open-pr --draft --label codegen --label sdk --reviewer alice --reviewer wandb/sdk-team",
    "codegen open-pr --github-repo wandb/weave-server-sdk   origin is not a GitHub URL (a mirror)",
    "codegen open-pr --dry-run                              the API calls it would make; none is sent",
    "codegen open-pr --json                                 number, URL, created/updated per target",
  ],
  load: () => import("./run/open_pr.ts"),
});
