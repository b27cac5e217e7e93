/**
 * Path helpers with node:path's meaning. On POSIX they are implemented here, because importing
 * any node: built-in costs ~7 ms of start-up (Deno boots its Node layer), which every run would
 * pay; on Windows node:path itself is used.
 */
const windows = Deno.build.os === "windows" ? await import("node:path") : undefined;
const windowsUrl = windows ? await import("node:url") : undefined;

function normalize(path: string, keepTrailingSlash = true): string {
  const absolute = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else if (part !== ".." || !absolute) parts.push(part);
  }
  const joined = parts.join("/");
  const normal = absolute ? `/${joined}` : joined || ".";
  // Like node:path, normalize keeps a trailing slash (resolve does not: it passes false).
  return keepTrailingSlash && path.endsWith("/") && normal !== "/" ? `${normal}/` : normal;
}

export function isAbsolute(path: string): boolean {
  return windows ? windows.isAbsolute(path) : path.startsWith("/");
}

export function join(...parts: string[]): string {
  if (windows) return windows.join(...parts);
  const joined = parts.filter((p) => p !== "").join("/");
  return joined === "" ? "." : normalize(joined);
}

export function resolve(...parts: string[]): string {
  if (windows) return windows.resolve(...parts);
  let path = "";
  for (let i = parts.length - 1; i >= 0 && !path.startsWith("/"); i--) {
    if (parts[i] !== "") path = path ? `${parts[i]}/${path}` : parts[i];
  }
  return normalize(path.startsWith("/") ? path : `${Deno.cwd()}/${path}`, false);
}

function trimTrailingSlashes(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" && path.startsWith("/") ? "/" : trimmed;
}

export function dirname(path: string): string {
  if (windows) return windows.dirname(path);
  const trimmed = trimTrailingSlashes(path);
  const slash = trimmed.lastIndexOf("/");
  if (slash < 0) return ".";
  // node:path drops only the last separator ("a//b" -> "a/", "//a" -> "//").
  return slash === 0 ? "/" : trimmed.slice(0, slash);
}

export function basename(path: string, suffix?: string): string {
  if (windows) return windows.basename(path, suffix);
  const trimmed = trimTrailingSlashes(path);
  const base = trimmed === "/" ? "" : trimmed.slice(trimmed.lastIndexOf("/") + 1);
  return suffix && base.endsWith(suffix) && base !== suffix ? base.slice(0, -suffix.length) : base;
}

export function extname(path: string): string {
  if (windows) return windows.extname(path);
  const base = basename(path);
  const dot = base.lastIndexOf(".");
  return dot <= 0 || base === ".." ? "" : base.slice(dot);
}

export function relative(from: string, to: string): string {
  if (windows) return windows.relative(from, to);
  const a = resolve(from).split("/").filter(Boolean);
  const b = resolve(to).split("/").filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => ".."), ...b.slice(common)].join("/");
}

/** The path of a file: URL (e.g. one made from import.meta.url). */
export function fromFileUrl(url: URL): string {
  if (url.protocol !== "file:") throw new TypeError(`not a file URL: ${url.href}`);
  return windowsUrl ? windowsUrl.fileURLToPath(url) : decodeURIComponent(url.pathname);
}

/** A path for messages: relative to `cwd` when inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}
