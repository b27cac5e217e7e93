/**
 * The bytes Python's `json.dump(json.loads(text), f, indent=2)` writes, computed from the JSON
 * text itself. The Weave repository's committed openapi.json was written that way, so writing the
 * same bytes means that switching tools makes no diff and keeps the file's hashes.
 *
 * Python's rules reproduced here:
 * - object keys in the order received (a later duplicate key replaces the value in place);
 * - numbers: integers keep their digits (big ones included); floats are printed like Python's
 *   `repr(float)`: `1.0`, `0.5`, `1e-05`, `1e+16`, `100000.0` for `1E5`;
 * - strings with `ensure_ascii`: `\"` `\\` `\n` `\r` `\t` `\b` `\f`, every other character outside
 *   0x20..0x7e (control characters, DEL, non-ASCII) as `\uXXXX` in lowercase hex, astral
 *   characters as their two UTF-16 surrogates;
 * - two-space indent, `,` at line ends, `": "` after keys, `{}` and `[]` when empty, no newline at
 *   the end.
 *
 * Why by hand: `JSON.parse` loses number forms (`1.0` becomes `1`, big integers are rounded) and
 * JavaScript objects move integer-like keys first (`{"422": …, "200": …}` comes back with "200"
 * first). `lossless-json` (npm) keeps number forms but builds plain objects, so it reorders the
 * same keys, and writes non-ASCII text raw; no maintained package keeps both. Hence this small
 * parser and printer (it keeps the tree in `Map`s, which remember insertion order).
 */
import { CodegenError } from "../core/errors.ts";

type JsonNode =
  /** Entries by decoded name; `key` is the name as Python writes it. */
  | { kind: "object"; entries: Map<string, { key: string; value: JsonNode }> }
  | { kind: "array"; items: JsonNode[] }
  /** A number, string or literal, already in Python's form. */
  | { kind: "scalar"; text: string };

/** Reformats JSON text to the bytes Python's `json.dump(obj, f, indent=2)` writes for it. */
export function formatLikePythonJsonDump(text: string, source = "JSON text"): string {
  const parser = new Parser(text, source);
  const root = parser.document();
  const out: string[] = [];
  print(root, "", out);
  return out.join("");
}

/** A string token of printable ASCII without quotes or backslashes inside: written as is. */
const PLAIN_STRING = /^"[\x20\x21\x23-\x5b\x5d-\x7e]*"$/;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const WHITESPACE = /[ \t\n\r]*/y;

class Parser {
  private pos = 0;

  constructor(private readonly text: string, private readonly source: string) {}

  document(): JsonNode {
    const value = this.value();
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.fail("unexpected text after the JSON value");
    return value;
  }

  private value(): JsonNode {
    this.skipWhitespace();
    const char = this.text[this.pos];
    if (char === "{") return this.object();
    if (char === "[") return this.array();
    if (char === '"') return { kind: "scalar", text: this.string().python };
    const literal = this.match(LITERAL);
    if (literal) return { kind: "scalar", text: literal[0] };
    const number = this.match(NUMBER);
    if (number) return { kind: "scalar", text: pythonNumber(number) };
    return this.fail("expected a JSON value");
  }

  private object(): JsonNode {
    const entries = new Map<string, { key: string; value: JsonNode }>();
    this.pos++; // {
    if (this.consume("}")) return { kind: "object", entries };
    do {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail("expected a string key");
      const key = this.string();
      if (!this.consume(":")) this.fail('expected ":" after a key');
      // Keyed by the decoded name: a later duplicate replaces the value in place (Python's dict).
      entries.set(key.value, { key: key.python, value: this.value() });
    } while (this.consume(","));
    if (!this.consume("}")) this.fail('expected "," or "}" in an object');
    return { kind: "object", entries };
  }

  private array(): JsonNode {
    const items: JsonNode[] = [];
    this.pos++; // [
    if (this.consume("]")) return { kind: "array", items };
    do items.push(this.value()); while (this.consume(","));
    if (!this.consume("]")) this.fail('expected "," or "]" in an array');
    return { kind: "array", items };
  }

  /**
   * The string token at `pos`: its decoded value, and its text as Python writes it. Most tokens
   * are plain printable ASCII, which both forms share with the token itself; only the others are
   * decoded by `JSON.parse` (which also checks their escapes) and escaped again.
   */
  private string(): { value: string; python: string } {
    const start = this.pos;
    let end = this.text.indexOf('"', start + 1);
    while (end !== -1 && this.escaped(end)) end = this.text.indexOf('"', end + 1);
    if (end === -1) this.fail("unterminated string");
    this.pos = end + 1;
    const token = this.text.slice(start, end + 1);
    if (PLAIN_STRING.test(token)) return { value: token.slice(1, -1), python: token };
    let value: string;
    try {
      value = JSON.parse(token);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      this.pos = start;
      return this.fail(`invalid string (${error.message})`);
    }
    return { value, python: pythonString(value) };
  }

  /** Is the quote at `at` escaped (preceded by an odd number of backslashes)? */
  private escaped(at: number): boolean {
    let backslashes = 0;
    while (this.text[at - 1 - backslashes] === "\\") backslashes++;
    return backslashes % 2 === 1;
  }

  /** Skips whitespace, then consumes `char` if it is next. */
  private consume(char: string): boolean {
    this.skipWhitespace();
    if (this.text[this.pos] !== char) return false;
    this.pos++;
    return true;
  }

  private match(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.text);
    if (match) this.pos = pattern.lastIndex;
    return match;
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.test(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  private fail(why: string): never {
    throw new CodegenError(`${this.source} is not valid JSON: ${why} at offset ${this.pos}`, {
      details: this.text.slice(Math.max(0, this.pos - 40), this.pos + 40),
    });
  }
}

/** A number lexeme as Python prints the value `json.loads` makes of it. */
function pythonNumber([lexeme, fraction, exponent]: RegExpExecArray): string {
  if (fraction === undefined && exponent === undefined) {
    return lexeme === "-0" ? "0" : lexeme; // a Python int: exact, any size
  }
  const value = Number(lexeme);
  // Python would write Infinity (not JSON); keep what the server sent.
  return Number.isFinite(value) ? pythonFloatRepr(value) : lexeme;
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (the same digits JavaScript picks),
 * in positional form when the decimal exponent is in -5..15, else as `1.5e+300`/`1e-05`.
 */
export function pythonFloatRepr(value: number): string {
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa, exponentText] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exponent = Number(exponentText);
  const point = exponent + 1; // digits before the decimal point
  if (point <= -4 || point > 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const expSign = exponent < 0 ? "-" : "+";
    return `${sign}${digits[0]}${fraction}e${expSign}${
      String(Math.abs(exponent)).padStart(2, "0")
    }`;
  }
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

/** What `ensure_ascii` escapes: quote, backslash, and all outside 0x20..0x7e (per UTF-16 unit). */
// deno-lint-ignore no-control-regex
const NOT_PRINTABLE_ASCII = /["\\\u0000-\u001f\u007f-\uffff]/g;

/** A string as Python's `json.dumps(..., ensure_ascii=True)` writes it (UTF-16 code units). */
export function pythonString(value: string): string {
  const escaped = value.replace(
    NOT_PRINTABLE_ASCII,
    (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `"${escaped}"`;
}

function print(node: JsonNode, indent: string, out: string[]): void {
  if (node.kind === "scalar") {
    out.push(node.text);
    return;
  }
  const size = node.kind === "object" ? node.entries.size : node.items.length;
  const [open, close] = node.kind === "object" ? ["{", "}"] : ["[", "]"];
  if (size === 0) {
    out.push(open, close);
    return;
  }
  const inner = indent + "  ";
  out.push(open);
  let first = true;
  const item = (key: string | undefined, value: JsonNode) => {
    out.push(first ? "\n" : ",\n", inner);
    if (key !== undefined) out.push(key, ": ");
    print(value, inner, out);
    first = false;
  };
  if (node.kind === "array") { for (const value of node.items) item(undefined, value); }
  else for (const { key, value } of node.entries.values()) item(key, value);
  out.push("\n", indent, close);
}
