/**
 * Where things are in a TOML document: table headers, key/value pairs, array items and inline
 * tables, as character offsets into the original text. This lets `pyproject.ts` change exactly
 * the spans it means to and leave every other byte (comments, quoting, CRLF, layout) alone.
 *
 * The text must already be valid TOML (checked with a real parser first); this scanner only
 * finds positions and is not a validator.
 */

export interface Span {
  start: number;
  end: number;
}

export interface TomlValue extends Span {
  kind: "string" | "array" | "inline-table" | "other";
  /** Array items, for arrays. */
  items: TomlValue[];
  /** Key/value pairs, for inline tables. */
  entries: TomlEntry[];
}

export interface TomlEntry {
  /** Dotted key parts, unquoted. */
  keys: string[];
  /** Full path from the document root (table header + keys). */
  path: string[];
  /** Start of the key. */
  start: number;
  value: TomlValue;
}

export interface TomlTable {
  /** Header path; [] for the root table (the lines before the first header). */
  path: string[];
  isArray: boolean;
  /** The header line (`[a.b]`), empty span for the root table. */
  header: Span;
  /** Key/value pairs directly under the header. */
  entries: TomlEntry[];
  /** Where the next header starts (or the end of the text). */
  end: number;
}

export interface TomlLayout {
  tables: TomlTable[];
  /** "\r\n" when the file uses CRLF line endings, else "\n". */
  eol: string;
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  ch(): string {
    return this.text[this.pos] ?? "";
  }
  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }
  /** Skips spaces and tabs. */
  blanks(): void {
    while (this.ch() === " " || this.ch() === "\t") this.pos++;
  }
  /** Skips whitespace, newlines and comments. */
  gaps(): void {
    for (;;) {
      this.blanks();
      if (this.ch() === "\r" || this.ch() === "\n") this.pos++;
      else if (this.ch() === "#") this.toLineEnd();
      else return;
    }
  }
  toLineEnd(): void {
    while (this.pos < this.text.length && this.ch() !== "\n" && this.ch() !== "\r") this.pos++;
  }

  key(): { parts: string[]; start: number } {
    const start = this.pos;
    const parts: string[] = [];
    for (;;) {
      this.blanks();
      if (this.ch() === '"' || this.ch() === "'") {
        const s = this.string();
        parts.push(decodeString(this.text.slice(s.start, s.end)));
      } else {
        const from = this.pos;
        while (/[A-Za-z0-9_-]/.test(this.ch())) this.pos++;
        parts.push(this.text.slice(from, this.pos));
      }
      this.blanks();
      if (this.ch() !== ".") return { parts, start };
      this.pos++;
    }
  }

  string(): Span {
    const start = this.pos;
    const quote = this.ch();
    const multi = this.startsWith(quote.repeat(3));
    const delimiter = multi ? quote.repeat(3) : quote;
    this.pos += delimiter.length;
    for (;;) {
      if (this.pos >= this.text.length) throw new Error(`unterminated string at ${start}`);
      if (quote === '"' && this.ch() === "\\") this.pos += 2;
      else if (this.startsWith(delimiter)) {
        this.pos += delimiter.length;
        // `""""` at the end: up to two quotes belong to the content.
        for (let extra = 0; multi && extra < 2 && this.ch() === quote; extra++) this.pos++;
        return { start, end: this.pos };
      } else this.pos++;
    }
  }

  value(prefix: string[]): TomlValue {
    const start = this.pos;
    const make = (kind: TomlValue["kind"], items: TomlValue[] = [], entries: TomlEntry[] = []) => ({
      kind,
      start,
      end: this.pos,
      items,
      entries,
    });
    if (this.ch() === '"' || this.ch() === "'") {
      this.string();
      return make("string");
    }
    if (this.ch() === "[") {
      this.pos++;
      const items: TomlValue[] = [];
      for (;;) {
        this.gaps();
        if (this.ch() === "]") break;
        if (this.ch() === ",") this.pos++;
        // Tables inside arrays are not addressable by key path: give them a path nothing matches.
        else items.push(this.value([...prefix, "[]"]));
      }
      this.pos++;
      return make("array", items);
    }
    if (this.ch() === "{") {
      this.pos++;
      const entries: TomlEntry[] = [];
      for (;;) {
        this.gaps();
        if (this.ch() === "}") break;
        if (this.ch() === ",") this.pos++;
        else entries.push(this.entry(prefix));
      }
      this.pos++;
      return make("inline-table", [], entries);
    }
    // Numbers, booleans, dates: up to a delimiter; a date may contain one space.
    while (this.pos < this.text.length && !/[,\]}#\r\n]/.test(this.ch())) this.pos++;
    while (this.pos > start && /[ \t]/.test(this.text[this.pos - 1])) this.pos--;
    return make("other");
  }

  entry(prefix: string[]): TomlEntry {
    const { parts, start } = this.key();
    this.blanks();
    this.pos++; // "="
    this.blanks();
    const path = [...prefix, ...parts];
    return { keys: parts, path, start, value: this.value(path) };
  }
}

/** Decodes one TOML string literal (as written, with its quotes). */
export function decodeString(literal: string): string {
  const quote = literal[0];
  const multi = literal.startsWith(quote.repeat(3));
  let body = literal.slice(multi ? 3 : 1, multi ? -3 : -1);
  if (multi) body = body.replace(/^\r?\n/, "");
  if (quote === "'") return body;
  return body.replace(
    /\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([btnfr"\\e])|[ \t]*\r?\n\s*)/g,
    (_all, u4, u8, simple) => {
      if (u4 || u8) return String.fromCodePoint(parseInt(u4 ?? u8, 16));
      if (simple) {
        return ({ b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", '"': '"', "\\": "\\", e: "\x1b" })[
          simple as "b"
        ];
      }
      return ""; // line-ending backslash
    },
  );
}

/** Locates every table, entry and value of a (valid) TOML document. */
export function scanToml(text: string): TomlLayout {
  const s = new Scanner(text);
  const root: TomlTable = {
    path: [],
    isArray: false,
    header: { start: 0, end: 0 },
    entries: [],
    end: 0,
  };
  const tables = [root];
  let current = root;
  for (;;) {
    s.gaps();
    if (s.pos >= text.length) break;
    if (s.ch() === "[") {
      current.end = s.pos;
      const start = s.pos;
      const isArray = s.startsWith("[[");
      s.pos += isArray ? 2 : 1;
      const { parts } = s.key();
      s.pos += isArray ? 2 : 1;
      current = { path: parts, isArray, header: { start, end: s.pos }, entries: [], end: 0 };
      tables.push(current);
    } else {
      current.entries.push(s.entry(current.isArray ? [...current.path, "[]"] : current.path));
    }
  }
  current.end = text.length;
  return { tables, eol: text.includes("\r\n") ? "\r\n" : "\n" };
}

/** Every entry of the document, including those nested in inline tables. */
export function allEntries(layout: TomlLayout): TomlEntry[] {
  const out: TomlEntry[] = [];
  const visit = (entries: TomlEntry[]) => {
    for (const entry of entries) {
      out.push(entry);
      visit(entry.value.entries);
    }
  };
  for (const table of layout.tables) visit(table.entries);
  return out;
}

export function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

/** The entry whose full path is `path`, if it is written as a key somewhere. */
export function findEntry(layout: TomlLayout, path: readonly string[]): TomlEntry | undefined {
  return allEntries(layout).find((entry) => samePath(entry.path, path));
}

/** Start of the line containing `pos`. */
export function lineStart(text: string, pos: number): number {
  return text.lastIndexOf("\n", pos - 1) + 1;
}

/** Position after the line break ending the line that contains `pos`. */
export function nextLine(text: string, pos: number): number {
  const n = text.indexOf("\n", pos);
  return n < 0 ? text.length : n + 1;
}
