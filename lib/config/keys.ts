/**
 * Every configuration key: its type, flag, default and meaning. `Settings` (settings.ts) reads
 * them; the command-line options are made from them (commands/options.ts); the README's
 * configuration table documents them (a test keeps the three in step).
 */

import type { ScalarType } from "./coerce.ts";
import type { StructuredSpec, StructuredValue } from "./structured.ts";
import { ENDPOINT_GROUPS_SPEC, TARGETS_SPEC } from "./structured_keys.ts";

/** A scalar or list value, or a structured one (a map of named entries of fields). */
export type ValueType = ScalarType | "structured";

/** What a computed default may depend on. */
export interface DefaultFacts {
  env: Record<string, string | undefined>;
  /** A person at a terminal (stdin and stderr are terminals, CI unset). */
  interactive: boolean;
}

export interface KeySpec {
  type: ValueType;
  description: string;
  /** The command-line flag that sets it (commands/options.ts declares the option from it). */
  flag: `--${string}`;
  default?: unknown;
  /**
   * A default that depends on the environment: `describe` documents it (help, README), `compute`
   * gives the value and why (said when the run uses it).
   */
  computedDefault?: {
    describe: string;
    compute(facts: DefaultFacts): { value: unknown; why: string };
  };
  /** The values it accepts (checked wherever the value comes from). */
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** A structured key's entries and fields (lib/config/structured.ts). */
  structured?: StructuredSpec;
}

/** The local generator used when none is configured and hosted Stainless is not available. */
export const DEFAULT_LOCAL_GENERATOR = "openapi-python-client";

/** What `kill_port` accepts: stop listeners on the server's port always, after asking, never. */
export const KILL_PORT_CHOICES = ["always", "ask", "never"] as const;
export type KillPort = typeof KILL_PORT_CHOICES[number];

/** Upper bound of durations in seconds (timers cannot go much beyond 24 days anyway). */
const ONE_DAY = 86_400;

/** Every configuration key. Commands read them through `Settings`; docs come from here too. */
export const CONFIG_KEYS = {
  python_output: {
    type: "path",
    flag: "--python-output",
    description: "Local clone of the Python SDK repository (generated code goes here)",
  },
  package_name: {
    type: "string",
    flag: "--package-name",
    description: "Python package name of the SDK, as pinned in pyproject.toml",
  },
  openapi_output: {
    type: "path",
    flag: "--openapi-output",
    default: "tools/codegen/openapi.json",
    description: "Where the OpenAPI spec is written",
  },
  node_output: { type: "path", flag: "--node-output", description: "Local clone of the Node SDK" },
  typescript_output: {
    type: "path",
    flag: "--typescript-output",
    description: "Local clone of the TypeScript SDK",
  },
  targets: {
    type: "structured",
    structured: TARGETS_SPEC,
    flag: "--target",
    description: "The SDKs to generate, by target (python, typescript or its alias node): each " +
      "one's clone (output) or vendor_dir, package_name, generator, pin; python_output, " +
      "node_output, typescript_output and package_name fill it in",
  },
  release: {
    type: "boolean",
    flag: "--release",
    default: false,
    description: "Pin the released version (==X.Y.Z) instead of a git commit",
  },
  server_command: {
    type: "argv",
    flag: "--server-command",
    default: "uvicorn weave.trace_server.reference.server:app --port {port}",
    description: "Command that serves the trace server app; {port} is replaced by the port",
  },
  port: {
    type: "integer",
    flag: "--port",
    default: 6345,
    min: 1,
    max: 65535,
    description: "Port the trace server listens on while the spec is fetched",
  },
  kill_port: {
    type: "string",
    flag: "--kill-port",
    choices: KILL_PORT_CHOICES,
    computedDefault: {
      describe: "ask on a terminal, else always",
      compute: ({ interactive }) =>
        interactive
          ? { value: "ask", why: "on a terminal" }
          : { value: "always", why: "not on a terminal" },
    },
    description:
      "What to do with a process listening on the server's port: stop it (always), ask first " +
      "unless it is a previous run of the server command (ask), or fail naming it (never)",
  },
  startup_timeout: {
    type: "number",
    max: ONE_DAY,
    flag: "--startup-timeout",
    default: 30,
    min: 0.1,
    description: "Seconds to wait for the server to answer /openapi.json",
  },
  server_stop_grace: {
    type: "number",
    max: ONE_DAY,
    flag: "--server-stop-grace",
    default: 0,
    min: 0,
    description:
      "Seconds the server gets to exit after SIGTERM once the spec is read, before SIGKILL " +
      "(0: stop it at once; it was started only to serve the spec)",
  },
  generator: {
    type: "string",
    flag: "--generator",
    computedDefault: {
      describe: `stainless when STAINLESS_API_KEY is set, else ${DEFAULT_LOCAL_GENERATOR}`,
      compute: ({ env }) =>
        env.STAINLESS_API_KEY?.trim()
          ? { value: "stainless", why: "STAINLESS_API_KEY is set" }
          : { value: DEFAULT_LOCAL_GENERATOR, why: "STAINLESS_API_KEY is not set" },
    },
    description: "SDK generator: stainless, openapi-python-client, stainful, stlc, or command",
  },
  generator_command: {
    type: "argv",
    flag: "--generator-command",
    description: "Argv template of a local generator ({oas} {config} {out} {package} {target})",
  },
  generator_config: {
    type: "path",
    flag: "--generator-config",
    description: "Generator-specific config file (replaces a preset's built-in one)",
  },
  generator_timeout: {
    type: "number",
    max: ONE_DAY,
    flag: "--generator-timeout",
    default: 600,
    min: 1,
    description: "Seconds a local generator may run",
  },
  stainless_config: {
    type: "path",
    flag: "--stainless-config",
    default: "tools/codegen/openapi.stainless.yml",
    description: "Stainless config file (openapi.stainless.yml)",
  },
  stainless_project: {
    type: "string",
    flag: "--project",
    default: "weave",
    description: "Stainless project the hosted build runs in",
  },
  stainless_branch: {
    type: "string",
    flag: "--branch",
    default: "main",
    description: "Stainless project branch the hosted build runs on",
  },
  poll_interval: {
    type: "number",
    max: ONE_DAY,
    flag: "--poll-interval",
    default: 2,
    min: 0.01,
    description: "Seconds between two polls of a hosted build",
  },
  build_timeout: {
    type: "number",
    max: ONE_DAY,
    flag: "--build-timeout",
    default: 900,
    min: 0.1,
    description: "Seconds to wait for a hosted build to complete",
  },
  api_max_retries: {
    type: "integer",
    flag: "--api-max-retries",
    default: 5,
    min: 0,
    max: 20,
    description:
      "Retries of a Stainless API request on rate limits, 5xx, connection errors and malformed answers",
  },
  fail_on: {
    type: "strings",
    flag: "--fail-on",
    default: "lint,build,test",
    description:
      "What fails the run besides a failing step: hosted build steps (lint, build, test), " +
      "warnings of the generation (warnings), the new SDK lost public names (api-removals), or none",
  },
  strict_config: {
    type: "boolean",
    flag: "--strict-config",
    default: false,
    description: "Local generators: Stainless config methods whose endpoint the spec lacks " +
      "are an error instead of being dropped from the generator's copy with a warning",
  },
  post_generate: {
    type: "commands",
    flag: "--post-generate",
    description: "Commands run in the generated tree before it is committed (local " +
      "generators; each an argv list or a command line, no shell; {package} {target} {repo_root})",
  },
  preserve: {
    type: "strings",
    flag: "--preserve",
    default: "",
    description: "Paths in an SDK clone a local generator must not replace (custom code)",
  },
  endpoint_groups: {
    type: "structured",
    structured: ENDPOINT_GROUPS_SPEC,
    flag: "--endpoint-group",
    description: "Named parts of the API: each group's include (and exclude) patterns, " +
      "`[verb] /path/glob`, `tag:<Tag>` or `operationId:<id>`",
  },
  groups: {
    type: "strings",
    flag: "--group",
    description:
      "The endpoint groups to generate (default: the whole spec); --all-groups selects every group",
  },
  pyproject: {
    type: "path",
    flag: "--pyproject",
    default: "pyproject.toml",
    description: "The trace repository's pyproject.toml, where the SDK is pinned",
  },
  pyproject_extra: {
    type: "string",
    flag: "--extra",
    default: "stainless",
    description: "Optional-dependencies group of pyproject.toml that holds the SDK entry",
  },
  mirror_branch_prefix: {
    type: "string",
    flag: "--mirror-prefix",
    default: "weave/",
    description: "Prefix of the SDK branch that mirrors a trace branch (weave/<trace branch>)",
  },
  source_ref: {
    type: "string",
    flag: "--source-ref",
    default: "main",
    description: "Branch of the SDK clone where the generation step leaves the generated code",
  },
  lock_timeout: {
    type: "number",
    max: ONE_DAY,
    flag: "--lock-timeout",
    default: 600,
    min: 0,
    description:
      "Seconds a run waits for another codegen run on the same trace repository to finish (0: fail at once)",
  },
  auto_merge: {
    type: "boolean",
    flag: "--auto-merge",
    default: true,
    description:
      "`all`: push the generated code to the mirror branch and pin it (false: pin the local commit)",
  },
  github_repo: {
    type: "string",
    flag: "--github-repo",
    description:
      "The SDK repository on GitHub (owner/name), when the SDK clone's origin is not a GitHub URL",
  },
  open_pr: {
    type: "boolean",
    flag: "--open-pr",
    default: false,
    description:
      "`all`: after the merge, open or update the pull request of the mirror branch (needs auto_merge)",
  },
  pr_draft: {
    type: "boolean",
    flag: "--draft",
    default: false,
    description: "Open new pull requests as drafts",
  },
  pr_labels: {
    type: "strings",
    flag: "--label",
    default: "",
    description: "Labels added to the pull request",
  },
  pr_reviewers: {
    type: "strings",
    flag: "--reviewer",
    default: "",
    description: "Users (login) or teams (org/team) asked to review the pull request",
  },
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** The value each key type holds once read (paths resolved, command lines split). */
interface ValueTypes {
  string: string;
  path: string;
  integer: number;
  number: number;
  boolean: boolean;
  argv: string[];
  /** A list of commands, each an argv. */
  commands: string[][];
  strings: string[];
  /** Entries by name, each its fields with their origins. */
  structured: StructuredValue;
}

/** The value type of a key. */
export type KeyValue<K extends ConfigKey> = ValueTypes[(typeof CONFIG_KEYS)[K]["type"]];

/** Keys with a default (fixed or computed): always set. */
export type KeyWithDefault = {
  [K in ConfigKey]: (typeof CONFIG_KEYS)[K] extends
    { default: unknown } | { computedDefault: unknown } ? K
    : never;
}[ConfigKey];

/** What `Settings.get(key)` returns: undefined only for keys without a default. */
export type SettingValue<K extends ConfigKey> = K extends KeyWithDefault ? KeyValue<K>
  : KeyValue<K> | undefined;

/** Older names still found in users' config files, and what they mean now. */
export const LEGACY_KEYS: Record<string, ConfigKey> = { repo_path: "python_output" };

export const DEFAULT_CONFIG_PATH = "tools/codegen/generate_config.yaml";
export const TRACE_TEMPLATE_PATH = "tools/codegen/generate_config.yaml.template";

export function envVarName(key: ConfigKey): string {
  return `CODEGEN_${key.toUpperCase()}`;
}
