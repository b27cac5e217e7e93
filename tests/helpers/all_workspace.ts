/**
 * Shared set-up of the `codegen all` end-to-end tests: a demo workspace (trace repository, SDK
 * clone, bare origin; workspace.ts), its config file, the CLI run inside it, and
 * readers for the summary and the remote.
 */
import { join } from "node:path";
import { assert } from "./assert.ts";
import { type CliResult, runCli } from "./cli.ts";
import { createWorkspace, type Workspace } from "./workspace.ts";
import { commitFiles, gitIn } from "./git_fixtures.ts";

export const GENERATOR = "openapi-python-client";
/** No user or system git config (so no identity either): the tool must bring its own fallbacks. */
export const NO_GIT_CONFIG = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
/** Neither config nor identity variables: whoever runs the tests, git has no identity at all. */
export const NO_GIT_IDENTITY = {
  ...NO_GIT_CONFIG,
  GIT_AUTHOR_NAME: "",
  GIT_AUTHOR_EMAIL: "",
  GIT_COMMITTER_NAME: "",
  GIT_COMMITTER_EMAIL: "",
  EMAIL: "",
};

export async function withWorkspace(
  fn: (ws: Workspace) => Promise<void>,
  options: Parameters<typeof createWorkspace>[0] = {},
): Promise<void> {
  const ws = await createWorkspace(options);
  try {
    await fn(ws);
  } finally {
    await ws.dispose();
  }
}

export async function writeConfig(
  ws: Workspace,
  lines: string[],
  path = join(ws.trace, "tools/codegen/generate_config.yaml"),
): Promise<string> {
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return path;
}

/** The usual config: everything `all` needs, so the command line can stay empty. */
export function baseConfig(ws: Workspace): string[] {
  return [
    `python_output: ${ws.sdk}`,
    "package_name: weave_server_sdk",
    `generator: ${GENERATOR}`,
    `port: ${ws.port}`,
  ];
}

/** `codegen all <args>` in the trace repository, without any git config. */
export function all(
  ws: Workspace,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<CliResult> {
  return runCli(["all", ...args], {
    cwd: ws.trace,
    env: { ...NO_GIT_CONFIG, ...env },
    timeoutMs: 300_000,
  });
}

/** The text of the "  label      text" row of the summary. */
export function summaryRow(stdout: string, label: string): string {
  const line = stdout.split("\n").find((l) => l.startsWith(`  ${label.padEnd(10)} `));
  assert(line, `no "${label}" row in the summary:\n${stdout}`);
  return line.slice(13);
}

/** The sha of a ref of the bare origin ("" when it does not exist). */
export async function remoteBranch(ws: Workspace, ref: string): Promise<string> {
  return await gitIn(ws.bare, "for-each-ref", "--format=%(objectname)", ref);
}

/** A second SDK repository of the workspace: its bare origin and its clone (one commit, pushed). */
export interface ExtraSdk {
  bare: string;
  clone: string;
}

/** Adds `remotes/<name>.git` and its clone `<name>/` to the workspace (for a TypeScript SDK). */
export async function addSdkRepo(
  ws: Workspace,
  name: string,
  files: Record<string, string> = { "README.md": `# ${name}\n` },
): Promise<ExtraSdk> {
  const bare = join(ws.root, "remotes", `${name}.git`);
  const clone = join(ws.root, name);
  await gitIn(ws.root, "init", "--quiet", "--bare", "-b", "main", bare);
  await gitIn(ws.root, "init", "--quiet", "-b", "main", clone);
  await commitFiles(clone, { message: `Initial ${name}`, files });
  await gitIn(clone, "remote", "add", "origin", bare);
  await gitIn(clone, "push", "--quiet", "origin", "main");
  await gitIn(clone, "fetch", "--quiet", "origin");
  await gitIn(clone, "status", "--porcelain");
  return { bare, clone };
}

/** Writes files into the trace repository and commits them (a consumer's package.json, ...). */
export async function commitToTrace(ws: Workspace, files: Record<string, string>): Promise<void> {
  await commitFiles(ws.trace, { message: "trace repository files", files });
  await gitIn(ws.trace, "status", "--porcelain");
}
