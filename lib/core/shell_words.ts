/**
 * Splits a command line the way a POSIX shell splits words (quotes and backslashes), without
 * running a shell: no variables, globs, pipes or redirections. Those are rejected, because the
 * command is executed directly.
 */
import { usageError } from "./errors.ts";

export function splitCommandLine(line: string, source: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) {
        word += line[++i];
      } else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if ("|&;<>`$".includes(c) || (c === "(" && !inWord)) {
      throw usageError(
        `${source}: "${line}" uses shell syntax (${c}), but the command is run directly, not by a shell`,
        "Write it as a plain command with arguments, or as a YAML list of arguments.",
      );
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw usageError(`${source}: unterminated ${quote} quote in "${line}"`);
  if (inWord) words.push(word);
  return words;
}
