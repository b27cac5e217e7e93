/**
 * No product module re-exports another module's names: each name is imported from the module
 * that defines it, so moving or splitting a module shows every importer. The one exception is
 * lib/core/yaml.ts, an adapter whose job is re-exporting the `yaml` package (see its comment).
 */
import { assertEquals } from "../helpers/assert.ts";
import { PROJECT_ROOT } from "../helpers/cli.ts";
import { join } from "node:path";

const ALLOWED = new Set(["lib/core/yaml.ts"]);
const REEXPORT =
  /^export\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s*from\s*["']([^"']+)["']/gm;

function productModules(dir: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(join(PROJECT_ROOT, dir))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...productModules(path));
    else if (path.endsWith(".ts") && !path.endsWith("_test.ts")) files.push(path);
  }
  return files;
}

Deno.test("the re-export pattern finds single-line, multi-line, type and star re-exports", () => {
  const text = `export { a } from "./a.ts";\nexport type {\n  B,\n} from "./b.ts";\n` +
    `export * from "./c.ts";\nexport function d() {}\nexport const e = { f: 1 };\n`;
  assertEquals([...text.matchAll(REEXPORT)].map((m) => m[1]), ["./a.ts", "./b.ts", "./c.ts"]);
});

Deno.test("no product module re-exports (lib/core/yaml.ts excepted)", () => {
  const found: string[] = [];
  for (
    const file of ["codegen.ts", "main.ts", ...productModules("commands"), ...productModules("lib")]
  ) {
    if (ALLOWED.has(file)) continue;
    const text = Deno.readTextFileSync(join(PROJECT_ROOT, file));
    for (const match of text.matchAll(REEXPORT)) found.push(`${file}: re-exports ${match[1]}`);
  }
  assertEquals(found, [], `import these from their own modules:\n${found.join("\n")}`);
});
