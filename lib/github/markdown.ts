/** Small Markdown helpers for text GitHub renders (pull request bodies, release notes). */

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, " ");
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Plain text on one line, with HTML and comment markers neutralized. */
export function plain(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replaceAll("&", "&amp;").replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}

/** A fenced code block whose fence is longer than any backtick run inside. */
export function codeBlock(text: string, language = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${text.replace(/\n+$/, "")}\n${fence}`;
}

/** Bullet list of at most `cap` items, then "… and N more". */
export function bullets(items: string[], cap = Infinity): string {
  const shown = items.slice(0, cap).map((item) => `- ${item}`);
  const rest = items.length - shown.length;
  if (rest > 0) shown.push(`- … and ${rest} more`);
  return shown.join("\n");
}
