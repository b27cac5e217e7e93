/**
 * Keeps secrets out of everything the tool prints or writes: API keys and tokens from the
 * environment, tokens registered at run time, and credentials embedded in URLs.
 */

const SECRET_ENV_VARS = ["STAINLESS_API_KEY", "GITHUB_TOKEN", "GH_TOKEN"];
const registered = new Set<string>();

/** Registers a secret learned at run time (e.g. a temporary git token from an API response). */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 4) registered.add(value);
}

function knownSecrets(): string[] {
  const fromEnv = SECRET_ENV_VARS.map((name) => Deno.env.get(name)).filter(
    (v): v is string => !!v && v.length >= 4,
  );
  return [...fromEnv, ...registered].sort((a, b) => b.length - a.length);
}

/** http(s) userinfo is always a credential (`https://token@host`, `https://user:token@host`). */
const HTTP_USERINFO = /\b(https?:\/\/)[^\s/@]+@/gi;
/** Any other scheme: the password part only (`ssh://git@host` names a user, not a secret). */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/@:]+):[^\s/@]+@/gi;

export function redact(text: string): string {
  let out = text.replace(HTTP_USERINFO, "$1***@").replace(URL_PASSWORD, "$1:***@");
  for (const secret of knownSecrets()) out = out.split(secret).join("***");
  return out;
}

/** Removes user information from a URL (for display and for anything written to disk). */
export function stripUrlCredentials(url: string): string {
  return url.replace(HTTP_USERINFO, "$1").replace(URL_PASSWORD, "$1@");
}
