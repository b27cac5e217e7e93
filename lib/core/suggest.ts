/** "Did you mean" suggestions for misspelled keys, flags and commands. */
import { usageError } from "./errors.ts";

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]++;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

/** The candidate closest to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/**
 * The usage error for a value that is not one of `choices`: "<where>: unknown <what> `x` (did you
 * mean `y`?)", with every choice in the hint.
 */
export function unknownChoice(
  what: string,
  value: string,
  choices: readonly string[],
  where: string,
) {
  const guess = closest(value, choices);
  return usageError(
    `${where}: unknown ${what} \`${value}\`${guess ? ` (did you mean \`${guess}\`?)` : ""}`,
    `Choose one of: ${choices.join(", ")}.`,
  );
}
