/**
 * The rewrites that make a Python package import under a vendored path, applied to a staged
 * copy: each exact and loud (a missing expected text names the file and the text), then a guard
 * that no statement importing the package's own top-level name is left anywhere in it.
 */
import { CodegenError } from "../core/errors.ts";
import { join } from "../core/paths.ts";
import type { Rewrite } from "./presets.ts";

/** One rewrite as applied: `count` occurrences of `from` became `to` in `file`. */
export interface AppliedRewrite {
  file: string;
  from: string;
  to: string;
  count: number;
}

export interface RewriteNames {
  /** The package's own top-level name (`weave_server_sdk`). */
  packageName: string;
  /** Where it is vendored, as a dotted import path (`weave.vendor.weave_server_sdk`). */
  importPath: string;
}

/** A statement left that would import the package's top-level name. */
export interface SelfImport {
  file: string;
  /** 1-based. */
  line: number;
  text: string;
}

const HINT = "The generator's output changed: look at how the package refers to itself now and " +
  "update its vendoring preset (lib/vendor/presets.ts). Nothing was vendored.";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * For each line of Python source, whether it starts outside any string literal (a statement can
 * start there); lines inside a triple-quoted string (docstring examples) are not code. Enough of
 * Python's lexer for that: comments, quotes, triple quotes, backslash escapes.
 */
export function linesOutsideStrings(text: string): boolean[] {
  const lines = [true];
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") {
      if (quote?.length === 1 && text[i - 1] !== "\\") quote = undefined; // unterminated
      lines.push(quote === undefined);
    } else if (quote) {
      if (c === "\\" && text[i + 1] !== "\n") i++;
      else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = undefined;
      }
    } else if (c === "#") {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
    } else if (text.startsWith('"""', i) || text.startsWith("'''", i)) {
      quote = text.slice(i, i + 3);
      i += 2;
    } else if (c === '"' || c === "'") {
      quote = c;
    }
  }
  return lines;
}

/** Applies `rewrites` to the package copy in `dir`; throws (naming file and text) on a miss. */
export async function applyRewrites(
  dir: string,
  rewrites: readonly Rewrite[],
  names: RewriteNames,
): Promise<AppliedRewrite[]> {
  const applied: AppliedRewrite[] = [];
  for (const rewrite of rewrites) {
    if (rewrite.kind === "exact") applied.push(await applyExact(dir, rewrite));
    else applied.push(...await rewriteAbsoluteImports(dir, names));
  }
  return applied;
}

async function readPackageFile(dir: string, file: string): Promise<string> {
  try {
    return await Deno.readTextFile(join(dir, file));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new CodegenError(`cannot vendor the package: ${file} does not exist in it`, {
      hint: `This generator's vendoring preset rewrites ${file}. ${HINT}`,
    });
  }
}

async function applyExact(
  dir: string,
  rewrite: Extract<Rewrite, { kind: "exact" }>,
): Promise<AppliedRewrite> {
  const text = await readPackageFile(dir, rewrite.file);
  const parts = text.split(rewrite.from);
  const found = parts.length - 1;
  if (found !== rewrite.count) {
    const expected = JSON.stringify(rewrite.from);
    throw new CodegenError(
      found === 0
        ? `cannot vendor the package: ${rewrite.file} does not contain the expected text ${expected}`
        : `cannot vendor the package: ${rewrite.file} contains ${expected} ${found} times, expected ${rewrite.count}`,
      { hint: HINT },
    );
  }
  await Deno.writeTextFile(join(dir, rewrite.file), parts.join(rewrite.to));
  return { file: rewrite.file, from: rewrite.from, to: rewrite.to, count: found };
}

/** Every .py file of `dir`, relative, sorted. */
async function pythonFiles(dir: string, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(join(dir, prefix))) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) files.push(...await pythonFiles(dir, path));
    else if (entry.isFile && path.endsWith(".py")) files.push(path);
  }
  return files.sort();
}

/** Calls `edit` on each code line (not inside a string) of `text`; returns the new text. */
function mapCodeLines(text: string, edit: (line: string) => string): string {
  const outside = linesOutsideStrings(text);
  return text.split("\n").map((line, i) => outside[i] ? edit(line) : line).join("\n");
}

async function rewriteAbsoluteImports(
  dir: string,
  names: RewriteNames,
): Promise<AppliedRewrite[]> {
  const pattern = new RegExp(
    `^([ \\t]*from[ \\t]+)${escapeRegExp(names.packageName)}(?=\\.|[ \\t]+import\\b)`,
  );
  const from = `from ${names.packageName}`;
  const to = `from ${names.importPath}`;
  const applied: AppliedRewrite[] = [];
  for (const file of await pythonFiles(dir)) {
    const text = await Deno.readTextFile(join(dir, file));
    let count = 0;
    const out = mapCodeLines(text, (line) =>
      line.replace(pattern, (_, head: string) => {
        count++;
        return `${head}${names.importPath}`;
      }));
    if (count === 0) continue;
    await Deno.writeTextFile(join(dir, file), out);
    applied.push({ file, from, to, count });
  }
  if (applied.length === 0) {
    throw new CodegenError(
      `cannot vendor the package: no .py file contains the expected absolute imports \`${from}...\``,
      { hint: HINT },
    );
  }
  return applied;
}

/**
 * Statements in the package's .py files that would import its top-level name: `import <pkg>`,
 * `from <pkg> ...`, `importlib.import_module("<pkg>...")`, `__import__("<pkg>...")`, and
 * `__module__ = "<pkg>..."` (pickle imports an object's module by that name). Docstrings and
 * comments do not count.
 */
export async function findSelfImports(dir: string, packageName: string): Promise<SelfImport[]> {
  const pkg = escapeRegExp(packageName);
  const patterns = [
    new RegExp(`^[ \\t]*(?:from[ \\t]+${pkg}(?:\\.|[ \\t])|import[ \\t]+${pkg}(?:[.,; \\t]|$))`),
    new RegExp(`(?:import_module|__import__)\\([ \\t]*(["'])${pkg}(?:\\.[^"']*)?\\1`),
    new RegExp(`__module__[ \\t]*=[ \\t]*(["'])${pkg}(?:\\.[^"']*)?\\1`),
  ];
  const found: SelfImport[] = [];
  for (const file of await pythonFiles(dir)) {
    const text = await Deno.readTextFile(join(dir, file));
    const outside = linesOutsideStrings(text);
    text.split("\n").forEach((line, i) => {
      const code = line.replace(/\r$/, "");
      if (outside[i] && patterns.some((p) => p.test(code))) {
        found.push({ file, line: i + 1, text: code.trim() });
      }
    });
  }
  return found;
}

/** Throws when `findSelfImports` finds anything, listing each place. */
export async function requireNoSelfImports(dir: string, packageName: string): Promise<void> {
  const found = await findSelfImports(dir, packageName);
  if (found.length === 0) return;
  throw new CodegenError(
    `cannot vendor the package: ${found.length} place(s) still import its top-level name ` +
      `\`${packageName}\` after the rewrites`,
    {
      hint: HINT,
      details: found.map((f) => `${f.file}:${f.line}: ${f.text}`).join("\n"),
    },
  );
}
