/**
 * Pins the TypeScript SDK in a package.json of the trace repository: `"<package>":
 * "git+<remote>#<sha>"` (or `"<version>"` for a release), editing only that value's span, so
 * the rest of the file (indentation, key order, line endings, final newline) stays byte for byte.
 *
 * Which entries: the package's entry in each of `dependencies`, `devDependencies` and
 * `optionalDependencies` that has one is set. `peerDependencies` is never edited (a peer range
 * says what the consumer must provide, not what to install) and is reported. When no entry
 * exists, one is added to `dependencies` (created at the end of the file when absent) in the
 * file's style: its indentation, its `": "` spacing, its line endings, and at its alphabetical
 * place when the section is sorted (as npm keeps it), else at the end. A package that is only a
 * peer dependency is an error. Like `editPyproject`, the edit checks itself: the new text must
 * parse to exactly the old document with the intended values.
 *
 * jsonc-parser gives the spans; its own `modify()` is not used because an insertion through it
 * re-formats the neighbouring property, which would change bytes outside the entry.
 */
import { type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import { CodegenError, usageError } from "../core/errors.ts";
import { readTextFile, writeFileAtomic } from "../core/fs.ts";
import { installableUrl } from "./pin.ts";
import { NoSdkVersionError } from "./sdk_version.ts";

export const PINNED_SECTIONS = ["dependencies", "devDependencies", "optionalDependencies"];
export const PEER_SECTION = "peerDependencies";

export interface PackageJsonChange {
  packageName: string;
  /** The new value: `git+https://...#<sha>` (see npmGitSpec) or a version (`1.2.3`). */
  spec: string;
}

export interface PackageJsonEntry {
  section: string;
  /** The value it replaced; undefined when the entry was added. */
  previous?: string;
  value: string;
}

export interface PackageJsonEdit {
  text: string;
  entries: PackageJsonEntry[];
  /** The package's peerDependencies range, left as it was. */
  peer?: string;
}

type Json = Record<string, unknown>;

/** npm's rules for a package name (lower case, optionally scoped, URL-safe, at most 214). */
export function isValidNpmPackageName(name: string): boolean {
  return name.length <= 214 &&
    /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name);
}

/** `git+<url>#<sha>` as npm installs it (https, ssh and file URLs; credentials removed). */
export function npmGitSpec(remote: string, commit: string, repoDir = "."): string {
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(commit)) {
    throw new CodegenError(`not a full commit id: ${commit}`);
  }
  return `git+${installableUrl(remote, repoDir)}#${commit}`;
}

function parseDocument(text: string, file: string): { tree: Node; doc: Json } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    const first = errors[0];
    const where = first ? `${printParseErrorCode(first.error)} at offset ${first.offset}` : "";
    throw new CodegenError(`${file} is not valid JSON${where ? `: ${where}` : ""}`, {
      hint: "Fix the file (or restore it from git) and run again; it was not changed.",
      cause: error,
    });
  }
  if (!tree || tree.type !== "object" || errors.length > 0) {
    throw new CodegenError(`${file} is not a JSON object`, {
      hint: "Point the pin at the package.json of the package that depends on the SDK.",
    });
  }
  return { tree, doc: doc as Json };
}

/** The property nodes of an object node named `key` (JSON allows duplicates; we refuse them). */
function property(object: Node, key: string, file: string, where: string): Node | undefined {
  const found = (object.children ?? []).filter((p) => p.children?.[0].value === key);
  if (found.length > 1) {
    throw new CodegenError(`${file} has ${found.length} entries ${JSON.stringify(key)}${where}`, {
      hint: "Remove the duplicates (JSON parsers keep only the last one) and run again.",
    });
  }
  return found[0];
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** The file's formatting, read from its first properties. */
interface Style {
  eol: string;
  /** One level of indentation. */
  unit: string;
  /** Between a key and its value (`": "` is written `: `). */
  colon: string;
}

function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

function styleOf(text: string, root: Node): Style {
  const first = root.children?.[0];
  const onOwnLine = first && /\n[ \t]*$/.test(text.slice(root.offset, first.offset));
  const key = first?.children?.[0];
  const value = first?.children?.[1];
  return {
    eol: text.includes("\r\n") ? "\r\n" : "\n",
    unit: onOwnLine ? lineIndent(text, first.offset) || "  " : "  ",
    colon: key && value ? text.slice(key.offset + key.length, value.offset) : ": ",
  };
}

function isMultiLine(text: string, object: Node): boolean {
  const first = object.children?.[0];
  return first ? text.slice(object.offset, first.offset).includes("\n") : false;
}

/**
 * Inserts `"key": value` (value: JSON text) into the object node: at its alphabetical place when
 * `sorted` and its keys are sorted, else last; one per line or inline, as the object is written.
 */
function insertProperty(
  text: string,
  object: Node,
  key: string,
  value: string,
  style: Style,
  sorted: boolean,
): string {
  const entry = `${JSON.stringify(key)}${style.colon}${value}`;
  const props = object.children ?? [];
  if (props.length === 0) {
    const indent = lineIndent(text, object.offset);
    const body = style.unit
      ? `${style.eol}${indent}${style.unit}${entry}${style.eol}${indent}`
      : entry;
    return splice(text, object.offset + 1, object.offset + object.length - 1, body);
  }
  const keys = props.map((p) => String(p.children?.[0].value));
  const compare = (a: string, b: string) => a.localeCompare(b, "en");
  const isSorted = keys.every((k, i) => i === 0 || compare(keys[i - 1], k) <= 0);
  const before = sorted && isSorted ? props.find((_, i) => compare(keys[i], key) > 0) : undefined;
  const separator = isMultiLine(text, object)
    ? `,${style.eol}${lineIndent(text, props[0].offset)}`
    : props.length > 1
    ? text.slice(props[0].offset + props[0].length, props[1].offset)
    : ", ";
  if (before) return splice(text, before.offset, before.offset, `${entry}${separator}`);
  const last = props[props.length - 1];
  const end = last.offset + last.length;
  return splice(text, end, end, `${separator}${entry}`);
}

/** The package.json text with the package pinned (see the module comment), checked. */
export function editPackageJson(
  text: string,
  change: PackageJsonChange,
  file: string,
): PackageJsonEdit {
  const { tree, doc } = parseDocument(text, file);
  const { packageName, spec } = change;
  const expected = structuredClone(doc);
  const found: { section: string; node: Node }[] = [];
  for (const section of [...PINNED_SECTIONS, PEER_SECTION]) {
    const sectionNode = property(tree, section, file, "");
    if (!sectionNode) continue;
    const object = sectionNode.children![1];
    if (object.type !== "object") {
      throw new CodegenError(`${file}: ${section} is not an object`, {
        hint: "Fix the file and run again; it was not changed.",
      });
    }
    const entry = property(object, packageName, file, ` in ${section}`);
    if (entry) found.push({ section, node: entry.children![1] });
  }
  const peerNode = found.find((f) => f.section === PEER_SECTION)?.node;
  const peer = peerNode?.type === "string" ? String(peerNode.value) : undefined;
  const pinned = found.filter((f) => f.section !== PEER_SECTION);
  if (pinned.length === 0 && peerNode) {
    throw usageError(
      `${packageName} is only in ${PEER_SECTION} of ${file}; codegen does not pin a peer dependency`,
      "Add it to dependencies or devDependencies (the version the package is built with), then pin.",
    );
  }
  let out = text;
  const entries: PackageJsonEntry[] = [];
  // From the end of the file: earlier offsets stay valid.
  for (const { section, node } of [...pinned].sort((a, b) => b.node.offset - a.node.offset)) {
    if (node.type !== "string") {
      throw new CodegenError(`${file}: ${section}.${packageName} is not a string`);
    }
    out = splice(out, node.offset, node.offset + node.length, JSON.stringify(spec));
    entries.unshift({ section, previous: String(node.value), value: spec });
    (expected[section] as Json)[packageName] = spec;
  }
  if (pinned.length === 0) {
    out = addDependency(text, tree, packageName, spec, file);
    entries.push({ section: "dependencies", value: spec });
    ((expected.dependencies ??= {}) as Json)[packageName] = spec;
  }
  entries.sort((a, b) => PINNED_SECTIONS.indexOf(a.section) - PINNED_SECTIONS.indexOf(b.section));
  verify(out, expected, file);
  return { text: out, entries, peer };
}

function addDependency(text: string, tree: Node, name: string, spec: string, file: string) {
  const style = styleOf(text, tree);
  const section = property(tree, "dependencies", file, "");
  if (section) {
    return insertProperty(text, section.children![1], name, JSON.stringify(spec), style, true);
  }
  const multiLine = isMultiLine(text, tree) || (tree.children ?? []).length === 0;
  const inner = `${JSON.stringify(name)}${style.colon}${JSON.stringify(spec)}`;
  const object = multiLine
    ? `{${style.eol}${style.unit}${style.unit}${inner}${style.eol}${style.unit}}`
    : `{${inner}}`;
  return insertProperty(text, tree, "dependencies", object, style, false);
}

/** JSON with sorted keys: the same for the same document, wherever the new key was placed. */
function canonical(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
        : v,
  );
}

function verify(out: string, expected: Json, file: string): void {
  let after: unknown;
  try {
    after = JSON.parse(out);
  } catch {
    after = undefined; // reported below
  }
  if (canonical(after) !== canonical(expected)) {
    throw new CodegenError(
      `refusing to write ${file}: the edit does not give the intended document`,
      {
        hint:
          "The file was left unchanged. Edit it by hand, and please report this layout as a bug.",
      },
    );
  }
}

export interface PackageJsonPinOptions extends PackageJsonChange {
  /** The package.json to edit (in the trace repository). */
  packageJsonPath: string;
  /** Compute the change, write nothing. */
  dryRun?: boolean;
}

export interface PackageJsonPinResult {
  packageJsonPath: string;
  entries: PackageJsonEntry[];
  peer?: string;
  /** Did the file change (with dryRun: would it)? */
  changed: boolean;
}

/** Pins the package in package.json: read, edit, check, write once atomically (or not at all). */
export async function pinPackageJson(
  options: PackageJsonPinOptions,
): Promise<PackageJsonPinResult> {
  const { packageJsonPath, packageName } = options;
  if (!isValidNpmPackageName(packageName)) {
    throw usageError(
      `invalid npm package name ${JSON.stringify(packageName)}`,
      "Pass the TypeScript SDK's package name, e.g. weave-server-sdk.",
    );
  }
  const text = await readTextFile(packageJsonPath, "package.json");
  const edit = editPackageJson(text, options, packageJsonPath);
  const changed = edit.text !== text;
  if (changed && !options.dryRun) {
    await writeFileAtomic(packageJsonPath, edit.text, { what: "package.json" });
  }
  return { packageJsonPath, entries: edit.entries, peer: edit.peer, changed };
}

/** The `version` of a package.json (the TypeScript SDK's, for a release pin). */
export async function readPackageVersion(packageJsonPath: string): Promise<string> {
  return packageVersionOf(
    await readTextFile(packageJsonPath, "the SDK's package.json"),
    packageJsonPath,
  );
}

/** The `version` of a package.json's text; `where` names it in errors. */
export function packageVersionOf(text: string, where: string): string {
  const { doc } = parseDocument(text, where);
  if (typeof doc.version === "string" && doc.version.trim()) return doc.version.trim();
  // NoSdkVersionError: `all --release` turns it into a usage error naming the generator.
  throw new NoSdkVersionError(`${where} has no "version"`, {
    hint: "A release pin uses the SDK's version: set it, or pin a commit without --release.",
  });
}
