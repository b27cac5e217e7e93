/**
 * Every command-line option of every command, declared once. An option that sets a
 * configuration key takes its flag from CONFIG_KEYS (lib/config/keys.ts) and carries the key, so
 * the context maps it to the setting without a hand-written table; its help names the key and
 * default. Commands compose their options from the fragments at the bottom, and `all` takes the
 * fragments of every stage it runs.
 */
import type { OptionDef, RunInput, SwitchOption, ValueOption } from "../lib/cli/command.ts";
import { CONFIG_KEYS, type ConfigKey, type KeySpec } from "../lib/config/keys.ts";
import { generatorChoices } from "../lib/generate/registry.ts";
import { DELIVERY_RUN_OPTIONS } from "./delivery_options.ts";

type Spec<K extends ConfigKey> = (typeof CONFIG_KEYS)[K];

/**
 * The option of a config key: a negatable switch for booleans, a repeatable value option for a
 * list of commands, else a value option.
 */
type KeyOption<K extends ConfigKey> = Spec<K>["type"] extends "boolean"
  ? SwitchOption & { flag: Spec<K>["flag"]; key: K }
  : Spec<K>["type"] extends "commands" | "structured"
    ? ValueOption & { flag: Spec<K>["flag"]; key: K; repeatable: true }
  : ValueOption & { flag: Spec<K>["flag"]; key: K };

interface KeyOptionExtras {
  value?: string;
  short?: `-${string}`;
  aliases?: readonly `--${string}`[];
  choices?: readonly string[];
  complete?: "file" | "directory";
}

const VALUE_NAMES = {
  string: "name",
  path: "path",
  integer: "n",
  number: "seconds",
  argv: "command",
  commands: "command",
  strings: "list",
  structured: "entry",
} as const;

/** `help` plus "(config: key, default X; also --old-name)", the default from CONFIG_KEYS. */
function keyHelp(key: ConfigKey, help: string, aliases: readonly string[] = []): string {
  const spec: KeySpec = CONFIG_KEYS[key];
  const shown = spec.computedDefault
    ? `, default: ${spec.computedDefault.describe}`
    : spec.default === undefined || spec.default === ""
    ? ""
    : `, default ${spec.default}`;
  const also = aliases.length ? `; also ${aliases.join(", ")}` : "";
  return `${help} (config: ${key}${shown}${also})`;
}

function keyOption<K extends ConfigKey>(
  key: K,
  help: string,
  extras: KeyOptionExtras = {},
): KeyOption<K> {
  const spec: KeySpec = CONFIG_KEYS[key];
  const choices = spec.choices ? { choices: spec.choices } : {};
  const base = {
    flag: spec.flag,
    key,
    help: keyHelp(key, help, extras.aliases),
    ...choices,
    ...extras,
  };
  if (spec.type === "boolean") return { ...base, negatable: true } as KeyOption<K>;
  const repeatable = spec.type === "commands" || spec.type === "structured"
    ? { repeatable: true }
    : {};
  return {
    ...repeatable,
    value: VALUE_NAMES[spec.type],
    complete: spec.type === "path" ? "file" : undefined,
    ...base,
  } as KeyOption<K>;
}

/** A value option that may be given several times (the command receives every value). */
function repeatable<T extends ValueOption>(option: T): T & { repeatable: true } {
  return { ...option, repeatable: true };
}

/** An SDK clone: a directory. */
const CLONE = { value: "dir", complete: "directory" } as const;

export const OPTIONS = {
  // Configuration keys, in the order of the pipeline.
  pythonOutput: keyOption("python_output", "clone of the Python SDK", {
    ...CLONE,
    aliases: ["--python-path"],
  }),
  packageName: keyOption("package_name", "the SDK's Python package name"),
  nodeOutput: keyOption("node_output", "clone of the Node SDK", {
    ...CLONE,
    aliases: ["--node-path"],
  }),
  typescriptOutput: keyOption("typescript_output", "clone of the TypeScript SDK", {
    ...CLONE,
    aliases: ["--typescript-path"],
  }),
  targets: keyOption(
    "targets",
    "one field of a target, TARGET.FIELD=VALUE: typescript.output=../sdk-ts, " +
      "typescript.generator=stainful, python.vendor_dir=weave/vendor/weave_server_sdk; repeatable",
    { value: "target.field=value" },
  ),
  openapiOutput: keyOption(
    "openapi_output",
    "the OpenAPI spec: written by the spec stage, read by the others",
    { short: "-o", aliases: ["--output-file", "--spec"] },
  ),
  port: keyOption("port", "port of the trace server; listeners on it are stopped first", {
    value: "port",
  }),
  serverCommand: keyOption("server_command", "command that serves the app; {port} is replaced"),
  killPort: keyOption(
    "kill_port",
    "a process listening on the port: stop it (always), ask first (ask), or fail naming it (never)",
    { value: "when" },
  ),
  startupTimeout: keyOption("startup_timeout", "how long to wait for the server to answer"),
  serverStopGrace: keyOption(
    "server_stop_grace",
    "once the spec is read, seconds between SIGTERM and SIGKILL of the server",
  ),
  generator: keyOption("generator", Object.keys(generatorChoices()).join(", "), {
    choices: Object.keys(generatorChoices()),
  }),
  generatorCommand: keyOption("generator_command", "argv template of a local generator", {
    value: "argv",
  }),
  generatorConfig: keyOption("generator_config", "the generator's own config file"),
  generatorTimeout: keyOption("generator_timeout", "time limit of a local generator"),
  stainlessConfig: keyOption("stainless_config", "openapi.stainless.yml"),
  preserve: keyOption(
    "preserve",
    "comma-separated paths a local generator keeps from main, e.g. a custom-code folder",
    { value: "paths" },
  ),
  endpointGroups: keyOption(
    "endpoint_groups",
    "define a group, NAME=PATTERN,... (!PATTERN excludes): core=tag:Calls,post /obj/*; repeatable",
    { value: "name=patterns" },
  ),
  groups: repeatable(
    keyOption(
      "groups",
      "generate only this endpoint group (repeatable, or a comma-separated list)",
      {
        value: "name",
      },
    ),
  ),
  project: keyOption("stainless_project", "Stainless project of the hosted build"),
  branch: keyOption("stainless_branch", "Stainless project branch of the hosted build"),
  pollInterval: keyOption("poll_interval", "seconds between polls of a hosted build"),
  buildTimeout: keyOption("build_timeout", "give up on a hosted build after this long"),
  apiMaxRetries: keyOption(
    "api_max_retries",
    "retries of Stainless API requests on rate limits, server and connection errors",
  ),
  failOn: keyOption(
    "fail_on",
    "what else fails the run: hosted check steps lint,build,test; warnings; api-removals (the new SDK lost public names); or none",
    { value: "list" },
  ),
  strictConfig: keyOption(
    "strict_config",
    "local generators: config methods whose endpoint the spec lacks are an error, not a warning",
  ),
  postGenerate: keyOption(
    "post_generate",
    "command run in the generated tree before the commit (local generators; repeatable; no shell)",
  ),
  release: keyOption("release", "pin PACKAGE==<version of the SDK> instead of a git commit"),
  extra: keyOption("pyproject_extra", "optional-dependencies group holding the SDK"),
  pyproject: keyOption("pyproject", "the trace repository's pyproject.toml to edit"),
  mirrorPrefix: keyOption("mirror_branch_prefix", "prefix of the mirror branch", {
    value: "prefix",
  }),
  sourceRef: keyOption("source_ref", "branch of the SDK clone holding the generated code", {
    value: "branch",
  }),
  lockTimeout: keyOption(
    "lock_timeout",
    "how long to wait while another codegen run uses the trace repository",
  ),
  autoMerge: keyOption(
    "auto_merge",
    "push to the mirror branch, then pin that commit; --no-auto-merge pushes nothing and pins the local generated commit",
  ),
  githubRepo: keyOption(
    "github_repo",
    "the SDK repository on GitHub, when the clone's origin is not a GitHub URL",
    { value: "owner/name" },
  ),
  openPr: keyOption(
    "open_pr",
    "after the merge, open or update the pull request of the mirror branch (as open-pr does)",
  ),
  draft: keyOption("pr_draft", "open a new pull request as a draft"),
  labels: repeatable(
    keyOption("pr_labels", "label to add to the pull request; repeatable", { value: "label" }),
  ),
  reviewers: repeatable(
    keyOption("pr_reviewers", "user, or org/team, asked to review; repeatable", {
      value: "login",
    }),
  ),

  // Options of one run, not configuration.
  vendorDir: {
    flag: "--vendor-dir",
    value: "[target=]dir",
    repeatable: true,
    field: { key: "targets", field: "vendor_dir" },
    complete: "directory",
    help:
      "vendor the target into this directory of the trace repository (relative to its top) instead of pushing and pinning it: --vendor-dir python=weave/vendor/weave_server_sdk; DIR alone names the one configured target (same as --target TARGET.vendor_dir=DIR)",
  },
  allGroups: {
    flag: "--all-groups",
    help: "generate every endpoint group (overrides groups: and CODEGEN_GROUPS; not with --group)",
  },
  traceBranch: {
    flag: "--trace-branch",
    value: "name",
    help:
      "trace branch named by the mirror branch (default: the checked-out branch; in detached HEAD GITHUB_HEAD_REF, then GITHUB_REF_NAME)",
  },
  force: { flag: "--force", help: "replace commits that someone else pushed to the mirror branch" },
  regenerate: {
    flag: "--regenerate",
    help:
      "run the generator even when local main is up to date (its origin stamp has the same inputs and its files are intact)",
  },
  failOnBreaking: {
    flag: "--fail-on-breaking",
    help:
      "exit 1 when the new spec has breaking changes against the previous one (all: before generating)",
  },
  noWait: {
    flag: "--no-wait",
    help:
      "fail at once when another codegen run uses the trace repository (same as --lock-timeout 0)",
  },
  init: { flag: "--init", help: "git init missing clone directories instead of failing" },
  url: {
    flag: "--url",
    value: "url",
    help: "fetch from a server that is already running (nothing is started or stopped)",
  },
  app: {
    flag: "--app",
    value: "module:attr",
    help: "import the FastAPI app in Python and call app.openapi() (no server, no port)",
  },
  ...DELIVERY_RUN_OPTIONS,
  dryRun: {
    flag: "--dry-run",
    short: "-n",
    help:
      "print what would be done (processes, API calls, git ref updates, writes); change nothing",
  },
  json: {
    flag: "--json",
    help:
      'print one JSON object on stdout ({"schema_version": 1, "command": ..., "ok": ...}), also on failure',
  },
} as const satisfies Record<string, OptionDef>;

const O = OPTIONS;

/** The spec stage (get_openapi_spec). */
export const SPEC_OPTIONS = {
  openapiOutput: O.openapiOutput,
  port: O.port,
  killPort: O.killPort,
  serverCommand: O.serverCommand,
  startupTimeout: O.startupTimeout,
  serverStopGrace: O.serverStopGrace,
} as const;

/** The SDK clones the generate stage writes (and the targets map, which names them too). */
export const CLONE_OPTIONS = {
  targets: O.targets,
  pythonOutput: O.pythonOutput,
  nodeOutput: O.nodeOutput,
  typescriptOutput: O.typescriptOutput,
} as const;

/** The SDK targets (the targets map's fields, and vendoring). */
export const TARGET_OPTIONS = {
  targets: O.targets,
  vendorDir: O.vendorDir,
} as const;

/** Endpoint groups: their definitions and the selection. */
export const GROUP_OPTIONS = {
  endpointGroups: O.endpointGroups,
  groups: O.groups,
  allGroups: O.allGroups,
} as const;

/** The generate stage (generate_code), besides the clones and the spec path. */
export const GENERATE_OPTIONS = {
  generator: O.generator,
  generatorCommand: O.generatorCommand,
  generatorConfig: O.generatorConfig,
  generatorTimeout: O.generatorTimeout,
  stainlessConfig: O.stainlessConfig,
  packageName: O.packageName,
  preserve: O.preserve,
  project: O.project,
  branch: O.branch,
  pollInterval: O.pollInterval,
  buildTimeout: O.buildTimeout,
  apiMaxRetries: O.apiMaxRetries,
  failOn: O.failOn,
  strictConfig: O.strictConfig,
  postGenerate: O.postGenerate,
} as const;

/** The pin (update_pyproject): what is pinned, where. */
export const PIN_OPTIONS = {
  targets: O.targets,
  pythonOutput: O.pythonOutput,
  packageName: O.packageName,
  release: O.release,
  extra: O.extra,
  pyproject: O.pyproject,
} as const;

/** The merge stage (merge_generated_code): the pin, plus the mirror branch. */
export const MERGE_OPTIONS = {
  ...PIN_OPTIONS,
  openapiOutput: O.openapiOutput,
  traceBranch: O.traceBranch,
  mirrorPrefix: O.mirrorPrefix,
  sourceRef: O.sourceRef,
  force: O.force,
} as const;

/** open-pr (and `all --open-pr`): the pull request of the mirror branch on GitHub. */
export const PR_OPTIONS = {
  githubRepo: O.githubRepo,
  base: O.base,
  draft: O.draft,
  labels: O.labels,
  reviewers: O.reviewers,
} as const;

/** publish: the release of the SDK repository's default branch. */
export const RELEASE_OPTIONS = {
  githubRepo: O.githubRepo,
  releaseBranch: O.releaseBranch,
  bump: O.bump,
  releaseVersion: O.releaseVersion,
  tagPrefix: O.tagPrefix,
} as const;

/** Every command that writes in the trace repository: its lock (lib/git/trace_lock.ts). */
export const LOCK_OPTIONS = { lockTimeout: O.lockTimeout, noWait: O.noWait } as const;

/** What every command that writes anything takes. */
export const OUTPUT_OPTIONS = { dryRun: O.dryRun, json: O.json } as const;

export type OptionName = keyof typeof OPTIONS;

/**
 * What an implementation (commands/run/*.ts) receives, typed by the options it reads:
 * `Input<"dryRun" | "traceBranch">`. Its command must declare them (checked where `load` is).
 */
export type Input<N extends OptionName = never> = RunInput<Pick<typeof OPTIONS, N>>;
