/**
 * The architecture, checked: every import of a product module (main.ts, commands/, lib/; type-only
 * and dynamic imports included) is parsed, and the test fails naming the offending edge when
 *   - a lib/ folder imports a folder it may not (lower layers never import higher ones), or
 *   - the modules form an import cycle.
 * Tests (`*_test.ts`) are not product modules: nothing imports them.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { PROJECT_ROOT } from "../helpers/cli.ts";
import { dirname, join, normalize, relative } from "node:path";
import { importsOf } from "../helpers/imports.ts";

/**
 * Which lib/ folders each lib/ folder may import (itself always). The pipeline from bottom to top:
 * core ← os, cli ← git ← config ← spec, pin ← generate, sync ← pipeline ← commands;
 * sdk_api (the SDK API report) sits on git; inputs (what a generator is given: the Stainless
 * config and the spec, checked and prepared) sits on core and spec; provenance (the origin stamp,
 * skip decisions, the `check` drift gate) sits on inputs, spec and pin, below generate; generate
 * uses inputs, provenance, sdk_api and vendor (local generators get prepared inputs, every
 * generation is stamped and gets an API report, a vendored target is copied into the trace
 * repository); provenance also uses vendor (`check` checks vendored copies) and release (a
 * `publish` release commit on a stamped tree is not a hand edit); github (GitHub API, pull requests) on git, reading the spec
 * diff and SDK API report; release (publish) on pin (the version files, which `--release` reads too) and github; vendor (copying the generated
 * package into the trace repository) on git; delivery (open-pr and publish per target: what the
 * pull request says, which spec changes a release ships, read from the stamped SDK tree) on
 * github, release, pin (the SDK's version files), config, sync and provenance; pipeline on
 * delivery.
 */
export const ALLOWED: Record<string, string[]> = {
  core: [],
  os: ["core"],
  cli: ["core"],
  git: ["core", "os"],
  config: ["core", "os", "cli", "git"],
  spec: ["core", "os", "git", "config"],
  pin: ["core", "os", "git", "config"],
  sdk_api: ["core", "os", "git"],
  vendor: ["core", "os", "git"],
  inputs: ["core", "spec"],
  provenance: ["core", "os", "git", "config", "spec", "inputs", "pin", "vendor", "release"],
  generate: ["core", "os", "git", "config", "spec", "inputs", "provenance", "sdk_api", "vendor"],
  sync: ["core", "os", "git", "config", "pin", "provenance"],
  github: ["core", "os", "git", "spec", "sdk_api"],
  release: ["core", "os", "git", "pin", "github"],
  delivery: [
    "core",
    "os",
    "git",
    "config",
    "spec",
    "inputs",
    "sdk_api",
    "provenance",
    "pin",
    "sync",
    "github",
    "release",
  ],
  pipeline: [
    "core",
    "os",
    "git",
    "config",
    "spec",
    "pin",
    "inputs",
    "provenance",
    "generate",
    "sync",
    "github",
    "release",
    "delivery",
    "vendor",
  ],
};

function productModules(): string[] {
  const files = ["codegen.ts", "main.ts"];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(join(PROJECT_ROOT, dir))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) walk(path);
      else if (path.endsWith(".ts") && !path.endsWith("_test.ts")) files.push(path);
    }
  };
  walk("commands");
  walk("lib");
  return files;
}

function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of productModules()) {
    const text = Deno.readTextFileSync(join(PROJECT_ROOT, file));
    edges.set(
      file,
      importsOf(text).filter((s) => s.endsWith(".ts")).map((s) =>
        normalize(join(dirname(file), s))
      ),
    );
  }
  return edges;
}

/** The lib/ folder of a module ("generate" for lib/generate/command/generator.ts). */
function area(file: string): string | undefined {
  const parts = relative("lib", file).split("/");
  return parts[0] === ".." || parts.length < 2 ? undefined : parts[0];
}

Deno.test("the import parser sees static, type-only, re-export and dynamic imports", () => {
  const text = `import { a } from "./a.ts";
import type { B } from "../b.ts";
export { c } from "./c.ts";
import "./d.ts";
const e = await import("./e.ts");
import {
  f,
} from "./f.ts";
// "./not-an-import.ts"`;
  assertEquals(importsOf(text), ["./a.ts", "../b.ts", "./c.ts", "./d.ts", "./e.ts", "./f.ts"]);
});

Deno.test("lib/ folders import only the layers below them", () => {
  const edges = graph();
  assert(edges.size > 20, "the product modules were not found");
  const bad: string[] = [];
  for (const [from, targets] of edges) {
    const source = area(from);
    for (const to of targets) {
      if (source === undefined) continue; // main.ts and commands/ may use any layer
      const target = area(to);
      if (!to.startsWith("lib/")) {
        bad.push(`${from} -> ${to} (lib/ imports outside lib/)`);
        continue;
      }
      if (target === undefined) bad.push(`${from} -> ${to} (a module at the top of lib/)`);
      else if (!(source in ALLOWED)) bad.push(`${from}: lib/${source}/ is not a known layer`);
      else if (target !== source && !ALLOWED[source].includes(target)) {
        bad.push(
          `${from} -> ${to} (lib/${source}/ may import only ${
            ALLOWED[source].join(", ") || "nothing"
          })`,
        );
      }
    }
  }
  assertEquals(bad, [], `forbidden imports:\n${bad.join("\n")}`);
});

Deno.test("no import cycle among the product modules", () => {
  const edges = graph();
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (file: string) => {
    state.set(file, "visiting");
    stack.push(file);
    for (const to of edges.get(file) ?? []) {
      if (state.get(to) === "visiting") {
        cycles.push([...stack.slice(stack.indexOf(to)), to].join(" -> "));
      } else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  assertEquals(cycles, [], `import cycles:\n${cycles.join("\n")}`);
});
