/**
 * Vendoring: copy the package out of a generator's output into the trace repository
 * (`weave/vendor/weave_server_sdk/`), make it import under that path, and stamp it.
 *
 * 1. find the package in the output (lib/vendor/presets.ts: per generator and target);
 * 2. copy it into a hidden directory staged beside the destination;
 * 3. apply the preset's exact rewrites; for Python, refuse a copy that would still import its
 *    own top-level name;
 * 4. hash the copy (git tree id, per-file blob ids) and build `<vendor_dir>.origin.json`; the
 *    caller's `beforeSwap` sees the staged and the previous copy (the SDK API report) and may stop;
 * 5. when the copy or the stamp differ from what is there, swap the directory in atomically and
 *    write the stamp (lib/vendor/swap.ts): on any failure the destination and stamp stay as
 *    they were. Nothing outside the destination and its stamp is changed.
 */
import { CodegenError, messageOf, usageError } from "../core/errors.ts";
import { exists, fsError, isWriteFault, writeFileAtomic } from "../core/fs.ts";
import { log } from "../core/log.ts";
import { dirname, isAbsolute, join } from "../core/paths.ts";
import { copyTree, selectSubtree } from "./files.ts";
import { type VendorLayout, vendorLayout, vendorTarget } from "./presets.ts";
import { type AppliedRewrite, applyRewrites, requireNoSelfImports } from "./rewrite.ts";
import {
  makeTempDirFor,
  planSwapRecovery,
  recoverInterruptedSwap,
  replaceDirectory,
} from "./swap.ts";
import { hashTree, type TreeFile } from "./tree_hash.ts";
import { buildStamp, formatStamp, type JsonObject, readStamp, stampPathFor } from "./stamp.ts";
import { diffFiles, type FileChanges, hashVendoredCopy } from "./check.ts";

export interface VendorOptions {
  /** Generator preset name: openapi-python-client, stainful, stainless, stlc. */
  generator: string;
  /** python, typescript (or its alias node). */
  target: string;
  /** The package's name as the generator writes it (`weave_server_sdk`). */
  packageName: string;
  /** The generator's output (a temporary directory, or an SDK checkout for hosted output). */
  generatedDir: string;
  /** The trace repository. */
  repoRoot: string;
  /** Where the package goes, relative to repoRoot (`weave/vendor/weave_server_sdk`). */
  vendorDir: string;
  /** Python: its dotted import path (where it was set); default: vendorDir with "/" as "." */
  importPath?: { path: string; where: string };
  /** The origin stamp (`.codegen/origin.json` format) that `codegen.vendor` is added to. */
  origin: JsonObject;
  /** Leave these out of the copy (relative paths in the package), e.g. output hygiene. */
  exclude?: (path: string) => boolean;
  /** Instead of the generator's preset (e.g. for the `command` generator). */
  layout?: VendorLayout;
  /** Compute everything, write nothing (staging happens in the system's temporary directory). */
  dryRun?: boolean;
  /**
   * Called with the staged copy (rewritten) and the copy on disk (undefined on a first vendoring)
   * before anything is swapped or stamped: throwing stops the vendoring with both as they were.
   */
  beforeSwap?: (staged: string, previous: PreviousCopy | undefined) => Promise<void>;
}

/** The copy a vendoring replaces: its directory and git tree id as found on disk. */
export interface PreviousCopy {
  dir: string;
  tree: string;
}

export interface VendorResult {
  destination: string;
  stampPath: string;
  /** Where the package was in the generator's output. */
  subtree: string;
  importPath?: string;
  /** Git tree id of the vendored copy. */
  tree: string;
  fileCount: number;
  /** The copy's files against the previous copy (all added when there was none). */
  changes: FileChanges;
  /** The copy or the stamp was replaced (with dryRun: would be). */
  changed: boolean;
  rewrites: AppliedRewrite[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `where: ` before a message, when the caller knows where the value was set. */
function at(where: string | undefined): string {
  return where ? `${where}: ` : "";
}

/** vendorDir checked: relative, inside the repository, normalized; `where` set it. */
export function checkVendorDir(vendorDir: string, where?: string): string {
  const normal = join(vendorDir).replace(/\/$/, "");
  if (isAbsolute(vendorDir) || normal === "." || normal === ".." || normal.startsWith("../")) {
    throw usageError(
      `${at(where)}vendor directory ${
        JSON.stringify(vendorDir)
      } must be a path inside the trace repository`,
      "Pass a repository-relative path such as weave/vendor/weave_server_sdk.",
    );
  }
  if (normal.split("/").includes(".git")) {
    throw usageError(
      `${at(where)}vendor directory ${vendorDir} is inside .git`,
      "Vendor into a directory of the trace repository's work tree, such as " +
        "weave/vendor/weave_server_sdk.",
    );
  }
  return normal;
}

/**
 * A Python package name that can be vendored: it is the package's directory and the name its
 * own imports use, so it must be an identifier. `where` set it.
 */
export function checkPythonPackageName(name: string, where?: string): void {
  if (IDENTIFIER.test(name)) return;
  throw usageError(
    `${at(where)}the Python package name ${JSON.stringify(name)} is not a Python identifier`,
    "A vendored package is imported by that name: set the Python target's package name to the " +
      "one the generator gives its package (letters, digits and _, e.g. weave_server_sdk) with " +
      "--package-name, `package_name:` or targets.python.package_name.",
  );
}

/**
 * The dotted import path of a Python package vendored at `vendorDir` (checked): `explicit`
 * (a target's `import_path`, for a directory that is not on the import path from the repository's
 * top, as in a `src/` layout), else the directory's path with "." for "/". An explicit path must
 * name the directory's last parts: `weave.vendor.sdk` for `src/weave/vendor/sdk`.
 */
export function importPathFor(
  vendorDir: string,
  explicit?: { path: string; where: string },
): string {
  const path = explicit?.path ?? vendorDir.split("/").join(".");
  const parts = path.split(".");
  if (!parts.every((part) => IDENTIFIER.test(part))) {
    throw usageError(
      explicit
        ? `${explicit.where}: ${JSON.stringify(path)} is not a Python import path`
        : `the vendor directory ${vendorDir} does not make a Python import path ` +
          `(${JSON.stringify(path)}: every part must be an identifier)`,
      explicit
        ? "Write it as dotted identifiers, e.g. weave.vendor.weave_server_sdk."
        : "Vendor into a directory whose parts are Python identifiers, or, when the package " +
          "imports from deeper in the repository (a src/ layout), set the target's import_path " +
          "(--target python.import_path=weave.vendor.weave_server_sdk).",
    );
  }
  if (explicit && !`/${vendorDir}`.endsWith(`/${parts.join("/")}`)) {
    throw usageError(
      `${explicit.where}: import path ${path} does not name the vendor directory ${vendorDir}`,
      "The import path is the directory's last parts, from the directory on sys.path " +
        `(e.g. ${vendorDir.split("/").slice(-3).join(".")}).`,
    );
  }
  return path;
}

/** The destination may be replaced: its parent exists; it is absent, or a stamped directory. */
export async function checkDestination(destination: string, stampPath: string): Promise<void> {
  const parent = dirname(destination);
  try {
    if (!(await Deno.stat(parent)).isDirectory) throw new Deno.errors.NotFound();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw usageError(
      `cannot vendor into ${destination}: ${parent} is not a directory`,
      "Create it first (for Python, as a package with an __init__.py).",
    );
  }
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(destination);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  if (!info.isDirectory || info.isSymlink) {
    throw usageError(
      `cannot vendor into ${destination}: it exists and is not a directory`,
      "Move it away, or vendor into another directory (vendor_dir, --vendor-dir).",
    );
  }
  if (!(await exists(stampPath))) {
    throw usageError(
      `${destination} exists but has no stamp ${stampPath}: codegen replaces only a vendored copy`,
      "Check the vendor directory; to vendor there anyway, remove the directory first (git rm -r).",
    );
  }
}

/** The files the previous stamp lists; none when it has no list or is malformed (replaced). */
async function previousFiles(stampPath: string): Promise<TreeFile[]> {
  try {
    return (await readStamp(stampPath))?.vendor?.files ?? [];
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    log.warn(`${messageOf(error)}; it will be replaced`);
    return [];
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** A write the file system refused (full, read-only...) as an error saying what to do. */
function writeError(error: unknown, doing: string, destination: string): unknown {
  return isWriteFault(error) ? fsError(error, { doing, dir: dirname(destination) }) : error;
}

/** Vendors the package (see the module comment). */
export async function vendorPackage(options: VendorOptions): Promise<VendorResult> {
  const target = vendorTarget(options.target);
  const vendorDir = checkVendorDir(options.vendorDir);
  const destination = join(options.repoRoot, vendorDir);
  const stampPath = stampPathFor(destination);
  if (target === "python") checkPythonPackageName(options.packageName);
  const importPath = target === "python" ? importPathFor(vendorDir, options.importPath) : undefined;
  const layout = options.layout ??
    vendorLayout(options.generator, target, { packageName: options.packageName, importPath });
  await checkDestination(destination, stampPath);
  const subtree = await selectSubtree(options.generatedDir, layout);
  const source = join(options.generatedDir, subtree);
  const recovery = options.dryRun
    ? await planSwapRecovery(destination)
    : await recoverInterruptedSwap(destination);
  for (const line of recovery) log.warn(options.dryRun ? `would ${line}` : line);
  const stage = await makeTempDirFor(destination, "new", options.dryRun);
  try {
    await Deno.chmod(stage.path, ((await Deno.stat(source)).mode ?? 0o755) & 0o777);
    await copyTree(source, stage.path, options.exclude);
    const names = { packageName: options.packageName, importPath: importPath ?? "" };
    const rewrites = await applyRewrites(stage.path, layout.rewrites, names);
    if (target === "python") await requireNoSelfImports(stage.path, options.packageName);
    const hashed = await hashTree(stage.path);
    if (hashed.files.length === 0) {
      throw new CodegenError(`${layout.generator}'s ${subtree}/ holds no file to vendor`);
    }
    const stampText = formatStamp(buildStamp(options.origin, {
      subtree,
      importPath,
      tree: hashed.tree,
      files: hashed.files,
    }));
    const keep = new Set((await previousFiles(stampPath)).map((f) => f.path));
    const previous = await hashVendoredCopy(options.repoRoot, vendorDir, keep);
    await options.beforeSwap?.(
      stage.path,
      previous && { dir: destination, tree: previous.hash.tree },
    );
    const treeChanged = previous?.hash.tree !== hashed.tree;
    const changed = treeChanged || await readIfExists(stampPath) !== stampText;
    if (changed && !options.dryRun) {
      const writeStamp = () => writeFileAtomic(stampPath, stampText, { what: "vendoring stamp" });
      if (treeChanged) await replaceDirectory(stage.path, destination, writeStamp);
      else await writeStamp();
    }
    return {
      destination,
      stampPath,
      subtree,
      importPath,
      tree: hashed.tree,
      fileCount: hashed.files.length,
      changes: diffFiles(previous?.hash.files ?? [], hashed.files),
      changed,
      rewrites,
    };
  } catch (error) {
    // The staged copy is removed and the previous one kept; a refused write says what to do.
    throw writeError(error, `vendor ${subtree} into ${destination}`, destination);
  } finally {
    await stage.dispose();
  }
}
