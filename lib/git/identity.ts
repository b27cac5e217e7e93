/**
 * Who codegen's commits are by: the generated commits on local `main` and the mirror commits use
 * the same rule, so both kinds carry the same author on any machine.
 *
 * The rule: what git is configured with wins (GIT_AUTHOR_* / GIT_COMMITTER_* variables, EMAIL,
 * `author.*` / `committer.*` / `user.*` in any git config of the repository); whatever is missing
 * becomes FALLBACK_IDENTITY. Never git's own guess from the account and host name (such as
 * `root <root@runner.(none)>`), which differs from machine to machine or fails outright.
 */
import { CodegenError } from "../core/errors.ts";
import { git } from "./git.ts";

export const FALLBACK_IDENTITY = { name: "weave codegen", email: "codegen@localhost" } as const;

type Env = Record<string, string | undefined>;

/**
 * Variables to add to a git command that creates a commit (`commit-tree`) in `repo`, so that its
 * author and committer follow the rule above. `env` is the environment git runs with.
 */
export async function commitIdentityEnv(
  repo: string,
  env: Env = Deno.env.toObject(),
): Promise<Record<string, string>> {
  const config = await identityConfig(repo, env);
  const out: Record<string, string> = {};
  for (const role of ["author", "committer"] as const) {
    for (const field of ["name", "email"] as const) {
      const variable = `GIT_${role.toUpperCase()}_${field.toUpperCase()}`;
      const configured = env[variable] || config.get(`${role}.${field}`) ||
        config.get(`user.${field}`) || (field === "email" ? env.EMAIL : undefined);
      if (!configured) out[variable] = FALLBACK_IDENTITY[field];
    }
  }
  return out;
}

/** `user.*`, `author.*` and `committer.*` name and email from the repository's effective config. */
async function identityConfig(repo: string, env: Env): Promise<Map<string, string>> {
  const found = await git(
    repo,
    ["config", "--get-regexp", "^(user|author|committer)\\.(name|email)$"],
    // The same environment the commit will run with (it decides which config files git reads).
    { check: false, env: definedOnly(env) },
  );
  // Exit 1: none of them is set. Anything else (a broken config file) is git's error to show.
  if (found.code > 1) {
    throw new CodegenError(`cannot read the git config of ${repo}`, {
      details: found.stderr.trim(),
      hint: "Fix the git config file named above, then run again.",
    });
  }
  const values = new Map<string, string>();
  for (const line of found.stdout.split("\n")) {
    const space = line.indexOf(" ");
    const value = space < 0 ? "" : line.slice(space + 1).trim();
    if (value) values.set(line.slice(0, space).toLowerCase(), value);
  }
  return values;
}

function definedOnly(env: Env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
