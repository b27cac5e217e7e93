/** The relative imports of a TypeScript or JavaScript source text, for checks on the module graph. */

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s*(?:type\s+)?(?:[^"'`;]*?\sfrom\s*)?\(?\s*["'](\.{1,2}\/[^"']+)["']/gm;

/** Relative module imports of a source text (static, type-only, re-exports and `import()`). */
export function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => m[1]);
}
