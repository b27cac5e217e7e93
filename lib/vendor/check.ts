/**
 * Is a vendored copy what codegen vendored, from the current inputs? The files on disk are hashed
 * and compared with the stamp's file list (naming each file added, removed or changed by hand),
 * and the stamp's input hashes with the caller's current ones.
 *
 * Files that the trace repository's git ignores (`__pycache__/` after running the code) and that
 * the stamp does not list are not part of the copy as git sees it: they are left out (and listed
 * as `ignored`). Outside a git work tree nothing is left out.
 */
import { displayPath, join } from "../core/paths.ts";
import { git } from "../git/git.ts";
import { hashTree, type TreeFile, type TreeHash, treeIdOf } from "./tree_hash.ts";
import { type Json, type ReadStamp, readStamp, stampPathFor, VENDOR_KEY } from "./stamp.ts";
import { CodegenError, messageOf } from "../core/errors.ts";

export interface FileChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

/** A stamp entry that differs from the current value (undefined: absent on that side). */
export interface InputMismatch {
  key: string;
  stamped?: Json;
  current?: Json;
}

export interface VendorCheckInput {
  repoRoot: string;
  /** The vendored directory, relative to repoRoot (`weave/vendor/weave_server_sdk`). */
  vendorDir: string;
  /** Current input hashes, keyed like the stamp's top level (`"tools/codegen/openapi.json"`). */
  inputs?: Record<string, string>;
  /** Current values of entries of the stamp's `codegen` object to compare (generator, ...). */
  codegen?: Record<string, Json>;
}

export interface VendorCheck {
  destination: string;
  stampPath: string;
  /** `missing`: no stamp file; `foreign`: a stamp without `codegen.vendor` (not vendored by codegen). */
  stamp: "ok" | "missing" | "foreign" | "invalid";
  /** Why the stamp is invalid. */
  stampProblem?: string;
  /** The stamped and actual tree ids (when the stamp is ok). */
  tree?: { stamped: string; actual: string };
  /** Hand edits: the copy on disk against the stamp's file list. */
  files: FileChanges;
  /** On disk, ignored by git and not in the stamp: not compared. */
  ignored: string[];
  /** Stamp entries that differ from the current inputs. */
  inputs: InputMismatch[];
  inSync: boolean;
}

/** Files under `vendorDir` that git ignores, relative to it; empty outside a git work tree. */
export async function gitIgnoredFiles(repoRoot: string, vendorDir: string): Promise<Set<string>> {
  const inside = await git(repoRoot, ["rev-parse", "--is-inside-work-tree"], { check: false });
  if (inside.code !== 0 || inside.stdout.trim() !== "true") return new Set();
  const listed = await git(repoRoot, [
    ...["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--"],
    `:(literal)${vendorDir}`,
  ], { what: `list the files git ignores in ${vendorDir}` });
  const prefix = `${vendorDir}/`;
  return new Set(
    listed.stdout.split("\0").filter((p) => p.startsWith(prefix)).map((p) =>
      p.slice(prefix.length)
    ),
  );
}

/**
 * The vendored copy as git would see it: every file, except those git ignores that `keep` does
 * not name. Undefined when the directory does not exist.
 */
export async function hashVendoredCopy(
  repoRoot: string,
  vendorDir: string,
  keep: ReadonlySet<string> = new Set(),
): Promise<{ hash: TreeHash; ignored: string[] } | undefined> {
  const destination = join(repoRoot, vendorDir);
  try {
    if (!(await Deno.lstat(destination)).isDirectory) return undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  const ignoredByGit = await gitIgnoredFiles(repoRoot, vendorDir);
  const ignored: string[] = [];
  const hash = await hashTree(destination, {
    skip: (path) => {
      if (!ignoredByGit.has(path) || keep.has(path)) return false;
      ignored.push(path);
      return true;
    },
  });
  return { hash, ignored: ignored.sort() };
}

/** Files added, removed and changed (content or mode) from `before` to `after`. */
export function diffFiles(before: readonly TreeFile[], after: readonly TreeFile[]): FileChanges {
  const old = new Map(before.map((f) => [f.path, f]));
  const now = new Map(after.map((f) => [f.path, f]));
  return {
    added: after.filter((f) => !old.has(f.path)).map((f) => f.path),
    removed: before.filter((f) => !now.has(f.path)).map((f) => f.path),
    changed: after.filter((f) => {
      const was = old.get(f.path);
      return was !== undefined && (was.blob !== f.blob || was.mode !== f.mode);
    }).map((f) => f.path),
  };
}

function canonical(value: Json | undefined): string {
  return JSON.stringify(
    value ?? null,
    (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
        : v,
  );
}

/**
 * Stamp entries that differ from the current ones: every key of `inputs` against the stamp's top
 * level (plus stamped `sha256:` entries that are no longer inputs; no input is compared when
 * `inputs` is not given), every key of `codegen` against the stamp's `codegen` object.
 */
export function compareInputs(
  read: ReadStamp,
  inputs?: Record<string, string>,
  codegen: Record<string, Json> = {},
): InputMismatch[] {
  const mismatches: InputMismatch[] = [];
  const stamped = read.stamp;
  if (inputs) {
    const keys = new Set(Object.keys(inputs));
    for (const [key, value] of Object.entries(stamped)) {
      if (key !== "codegen" && typeof value === "string" && value.startsWith("sha256:")) {
        keys.add(key);
      }
    }
    for (const key of [...keys].sort()) {
      if (stamped[key] !== inputs[key]) {
        mismatches.push({ key, stamped: stamped[key], current: inputs[key] });
      }
    }
  }
  for (const key of Object.keys(codegen).sort()) {
    if (key === VENDOR_KEY) continue;
    if (canonical(read.codegen[key]) !== canonical(codegen[key])) {
      mismatches.push({ key: `codegen.${key}`, stamped: read.codegen[key], current: codegen[key] });
    }
  }
  return mismatches;
}

/** Checks the vendored copy at `repoRoot/vendorDir` against its stamp and the current inputs. */
export async function checkVendoredCopy(input: VendorCheckInput): Promise<VendorCheck> {
  const destination = join(input.repoRoot, input.vendorDir);
  const stampPath = stampPathFor(destination);
  const none: FileChanges = { added: [], removed: [], changed: [] };
  const base = { destination, stampPath, files: none, ignored: [], inputs: [], inSync: false };
  let read: ReadStamp | undefined;
  try {
    read = await readStamp(stampPath);
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    return { ...base, stamp: "invalid", stampProblem: messageOf(error) };
  }
  if (!read) return { ...base, stamp: "missing" };
  const inputs = compareInputs(read, input.inputs, input.codegen);
  if (!read.vendor) return { ...base, stamp: "foreign", inputs };
  const stampedTree = await treeIdOf(read.vendor.files);
  if (stampedTree !== read.vendor.tree) {
    const why = `its file list hashes to ${stampedTree}, not to the tree ${read.vendor.tree} it ` +
      "records (edited by hand?)";
    return { ...base, stamp: "invalid", stampProblem: why, inputs };
  }
  const keep = new Set(read.vendor.files.map((f) => f.path));
  const copy = await hashVendoredCopy(input.repoRoot, input.vendorDir, keep);
  const actual = copy?.hash ?? { tree: await treeIdOf([]), files: [] };
  const files = diffFiles(read.vendor.files, actual.files);
  return {
    ...base,
    stamp: "ok",
    tree: { stamped: read.vendor.tree, actual: actual.tree },
    files,
    ignored: copy?.ignored ?? [],
    inputs,
    inSync: actual.tree === read.vendor.tree && inputs.length === 0,
  };
}

/** One line per problem, naming the files and inputs; [] when in sync. */
export function describeVendorCheck(check: VendorCheck, cwd = Deno.cwd()): string[] {
  const where = displayPath(check.destination, cwd);
  const stampName = displayPath(check.stampPath, cwd);
  if (check.stamp === "missing") return [`${where}: no stamp ${stampName} (not vendored yet?)`];
  if (check.stamp === "invalid") return [`${where}: ${check.stampProblem}`];
  const lines: string[] = [];
  if (check.stamp === "foreign") {
    lines.push(`${where}: ${stampName} has no codegen.${VENDOR_KEY} (vendored by other means)`);
  }
  const { added, removed, changed } = check.files;
  for (const file of changed) lines.push(`${where}/${file}: edited since it was vendored`);
  for (const file of added) lines.push(`${where}/${file}: added since it was vendored`);
  for (const file of removed) lines.push(`${where}/${file}: removed since it was vendored`);
  for (const m of check.inputs) {
    const was = m.stamped === undefined ? "absent" : JSON.stringify(m.stamped);
    const now = m.current === undefined ? "no longer an input" : JSON.stringify(m.current);
    lines.push(`${where}: stamp's ${m.key} is ${was}, current is ${now}`);
  }
  return lines;
}
