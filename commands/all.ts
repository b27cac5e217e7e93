/** `all`: spec, generate, then merge (auto-merge, the default) or pin; one summary at the end. */
import { defineCommand } from "../lib/cli/command.ts";
import {
  CLONE_OPTIONS,
  GENERATE_OPTIONS,
  GROUP_OPTIONS,
  LOCK_OPTIONS,
  MERGE_OPTIONS,
  OPTIONS,
  OUTPUT_OPTIONS,
  PR_OPTIONS,
  SPEC_OPTIONS,
  TARGET_OPTIONS,
} from "./options.ts";

export const allCommand = defineCommand({
  name: "all",
  aliases: [],
  summary:
    "Run the whole pipeline: get the spec, generate the SDK, then push it to the mirror branch and pin pyproject.toml",
  // Every flag of every stage it runs.
  options: {
    ...MERGE_OPTIONS,
    ...CLONE_OPTIONS,
    ...SPEC_OPTIONS,
    url: OPTIONS.url,
    app: OPTIONS.app,
    ...GENERATE_OPTIONS,
    ...GROUP_OPTIONS,
    ...TARGET_OPTIONS,
    autoMerge: OPTIONS.autoMerge,
    regenerate: OPTIONS.regenerate,
    failOnBreaking: OPTIONS.failOnBreaking,
    openPr: OPTIONS.openPr,
    ...PR_OPTIONS,
    ...LOCK_OPTIONS,
    ...OUTPUT_OPTIONS,
  },
  // As for get_openapi_spec: a running server (--url) is neither started nor told its port.
  conflicts: [
    ["url", "app"],
    ["url", "port"],
    ["url", "serverCommand"],
    ["allGroups", "groups"],
  ],
  notes:
    `Values come from flags, then CODEGEN_<KEY> variables, then the config file (--config PATH, default
<repo-root>/tools/codegen/generate_config.yaml), then defaults. python_output and package_name are
required (unless a targets: map has no Python SDK clone): on a terminal you are asked for them (and
offered to save them); elsewhere the run stops.

Every target of the targets: map (python, typescript/node) goes through every stage with its own
generator, clone, mirror branch and pin (pyproject.toml, a package.json, or none); a target with
vendor_dir is generated into a temporary directory and copied into the trace repository in the
vendor stage (no clone, no push, no pin). --group/--all-groups generate part of the API only. See
docs/targets.md.

--release: pyproject.toml pins PACKAGE==<version> ([project].version of the generated SDK, else
the literal version= of its setup.py); with auto-merge the mirror branch is pushed as usual and
the version is the pushed commit's. A generated SDK without a version stops the generate stage
before local main moves, so nothing is pushed or pinned.

The check stage lints the Stainless config against the saved spec: findings are reported with
their severity (error: or warning:) and do not fail the run, except that --strict-config makes
drift an error and transformations that cannot be read at all fail a local generator's preflight.
The spec stage compares the new spec with the previous one (summary and changed operations on
stderr; --fail-on-breaking stops before generating, the spec file being written). The generate
stage is skipped when local main's .codegen/origin.json has the same inputs and its files are
intact (--regenerate runs the generator anyway; the SDK API report is skipped with it); merge and
pin run as usual. --fail-on warnings or api-removals stops before local main moves, so nothing is
pushed or pinned.

--open-pr (config open_pr: true) adds a stage after the merge: the pull request of the mirror
branch is opened or updated, as \`codegen open-pr\` does (needs auto-merge and GITHUB_TOKEN).
See docs/all.md, docs/provenance.md and docs/github.md.`,
  examples: [
    "codegen all                                                  everything from the config file",
    "codegen all --python-output ../weave-server-sdk --package-name weave_server_sdk",
    "codegen all --generator openapi-python-client --no-auto-merge    local generator, push nothing",
    "codegen all --dry-run                                        show the plan, change nothing",
    "codegen all --regenerate                                     run the generator even if up to date",
    "codegen all --fail-on-breaking                               stop before generating on breaking changes",
    "codegen all --fail-on api-removals                           stop before pushing if the SDK lost names",
    "codegen all --json > codegen-result.json                     CI: one JSON object on stdout",
    "codegen --config ci.yaml all --release                       push, then pin the released version",
    "codegen all --open-pr --label codegen                        push, pin, then open or update the PR",
  ],
  load: () => import("./run/all.ts"),
});
