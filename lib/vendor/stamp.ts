/**
 * The origin stamp of a vendored copy: `<vendor_dir>.origin.json` beside it (Weave's
 * `weave/vendor/weave_server_sdk.origin.json`). It is the caller's origin stamp (the format of
 * `.codegen/origin.json`: top-level keys are the repo-relative input paths with
 * `"sha256:<hex>"`, plus a `"codegen"` object, kept as given) with one key added by vendoring,
 * `codegen.vendor`:
 *
 *   "vendor": {
 *     "subtree": "weave_server_sdk",                  // where the package was in the output
 *     "import_path": "weave.vendor.weave_server_sdk", // Python targets only
 *     "tree": "<git tree id of the vendored copy>",   // = git rev-parse HEAD:<vendor_dir>
 *     "files": { "<path>": "<mode> <blob id>", ... }  // every file: names hand-edited ones
 *   }
 *
 * The bytes are deterministic: keys sorted at every level, two-space indent, "\n" at the end
 * (what Python's `json.dump(indent=2, sort_keys=True)` writes for ASCII content).
 */
import { CodegenError, messageOf } from "../core/errors.ts";
import type { FileMode, TreeFile } from "./tree_hash.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** What vendoring adds to the stamp (`codegen.vendor`). */
export interface VendorRecord {
  subtree: string;
  importPath?: string;
  tree: string;
  files: TreeFile[];
}

/** A stamp as read back. */
export interface ReadStamp {
  /** The whole stamp. */
  stamp: JsonObject;
  /** Its `codegen` object ({} when absent). */
  codegen: JsonObject;
  /** `codegen.vendor`, undefined when the copy was not vendored by codegen (Weave's own stamp). */
  vendor?: VendorRecord;
}

export const VENDOR_KEY = "vendor";

export function stampPathFor(destination: string): string {
  return `${destination}.origin.json`;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The origin stamp with `codegen.vendor` set (a copy: `origin` is not changed). */
export function buildStamp(origin: JsonObject, record: VendorRecord): JsonObject {
  const stamp = structuredClone(origin);
  if (stamp.codegen !== undefined && !isObject(stamp.codegen)) {
    throw new CodegenError("the origin stamp's `codegen` entry is not an object");
  }
  const codegen: JsonObject = (stamp.codegen as JsonObject | undefined) ?? {};
  codegen[VENDOR_KEY] = {
    subtree: record.subtree,
    ...(record.importPath ? { import_path: record.importPath } : {}),
    tree: record.tree,
    files: Object.fromEntries(record.files.map((f) => [f.path, `${f.mode} ${f.blob}`])),
  };
  stamp.codegen = codegen;
  return stamp;
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((key) => [key, sortKeys(value[key])]));
}

/** The stamp's bytes (see the module comment). */
export function formatStamp(stamp: JsonObject): string {
  // Non-ASCII escaped as Python's json.dump does by default.
  return JSON.stringify(sortKeys(stamp), null, 2).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  ) + "\n";
}

/** Reads a stamp; undefined when the file does not exist; an error naming it when malformed. */
export async function readStamp(path: string): Promise<ReadStamp | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  return parseStamp(text, path);
}

export function parseStamp(text: string, path: string): ReadStamp {
  let stamp: unknown;
  try {
    stamp = JSON.parse(text);
  } catch (error) {
    throw invalid(path, `not valid JSON (${messageOf(error)})`);
  }
  if (!isObject(stamp)) throw invalid(path, "not a JSON object");
  const codegen = stamp.codegen ?? {};
  if (!isObject(codegen)) throw invalid(path, "`codegen` is not an object");
  const vendor = codegen[VENDOR_KEY];
  return { stamp, codegen, vendor: vendor === undefined ? undefined : vendorRecord(vendor, path) };
}

function vendorRecord(value: Json, path: string): VendorRecord {
  if (!isObject(value) || typeof value.tree !== "string" || !isObject(value.files)) {
    throw invalid(path, "`codegen.vendor` needs `tree` and `files`");
  }
  const files = Object.entries(value.files).map(([file, entry]) => {
    const match = typeof entry === "string" &&
      /^(100644|100755|120000) ([0-9a-f]{40})$/.exec(entry);
    if (!match) throw invalid(path, `\`codegen.vendor.files\` entry ${file} is not "<mode> <id>"`);
    return { path: file, mode: match[1] as FileMode, blob: match[2] };
  });
  return {
    subtree: typeof value.subtree === "string" ? value.subtree : "",
    importPath: typeof value.import_path === "string" ? value.import_path : undefined,
    tree: value.tree,
    files,
  };
}

function invalid(path: string, why: string): CodegenError {
  return new CodegenError(`the vendoring stamp ${path} is malformed: ${why}`, {
    hint: "Restore it from git, or vendor the package again to rewrite it.",
  });
}
