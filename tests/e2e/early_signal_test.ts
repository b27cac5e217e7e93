/**
 * A signal that comes while the program is still loading (before main() has installed its
 * handlers) still ends the run as an interruption, with the one `--json` object: the entry
 * (codegen.ts) catches it from its first statement and main() reports it. Deterministic: the
 * process signals itself between the entry's first statement and loading main.ts.
 */
import { assert, assertEquals, assertMatch } from "../helpers/assert.ts";
import { cliEnv, PROJECT_ROOT } from "../helpers/cli.ts";
import { importsOf } from "../helpers/imports.ts";

/** codegen.ts with a SIGTERM sent to itself right after it starts catching signals. */
async function entryThatSignalsItself(signal: "SIGINT" | "SIGTERM"): Promise<string> {
  const entry = await Deno.readTextFile(`${PROJECT_ROOT}/codegen.ts`);
  const patched = entry.replace(
    /^listenEarly\(\);$/m,
    `listenEarly();\nDeno.kill(Deno.pid, "${signal}");\nawait new Promise((r) => setTimeout(r, 50));`,
  );
  assert(patched !== entry, "codegen.ts calls listenEarly() on a line of its own");
  const dir = await Deno.makeTempDir({ prefix: "codegen-early-signal-" });
  await Deno.writeTextFile(
    `${dir}/codegen.ts`,
    patched.replaceAll('"./', `"${new URL(`file://${PROJECT_ROOT}/`).href}`),
  );
  return dir;
}

for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
  Deno.test(`a ${signal} while the program loads: exit ${code} and the --json object`, async () => {
    const dir = await entryThatSignalsItself(signal);
    const entry = `${dir}/codegen.ts`;
    try {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-all", "--quiet", entry, "lint", "--json"],
        cwd: PROJECT_ROOT,
        env: cliEnv(),
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(output.stdout);
      const stderr = new TextDecoder().decode(output.stderr);
      assertEquals(output.code, code, stderr);
      const json = JSON.parse(stdout);
      assertEquals([json.command, json.ok, json.error.kind, json.error.signal], [
        "lint",
        false,
        "interrupted",
        signal,
      ]);
      assertMatch(stderr, new RegExp(`interrupted \\(${signal}\\) before the run started`));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("the entry catches signals before it loads anything else", async () => {
  const entry = await Deno.readTextFile(`${PROJECT_ROOT}/codegen.ts`);
  // Its one static import imports nothing itself: it runs before any other module loads.
  const imports = importsOf(entry);
  assertEquals(imports, ["./lib/core/early_signals.ts", "./main.ts"]);
  assertMatch(entry, /^import \{ listenEarly \} from "\.\/lib\/core\/early_signals\.ts";$/m);
  assertMatch(entry, /^const \{ runAndExit \} = await import\("\.\/main\.ts"\);$/m, "dynamic");
  const early = await Deno.readTextFile(`${PROJECT_ROOT}/lib/core/early_signals.ts`);
  assertEquals(importsOf(early), []);
  const statements = entry.replace(/\/\*[\s\S]*?\*\//g, "").split("\n").filter((l) => l.trim());
  assertEquals(statements.slice(0, 2), [
    'import { listenEarly } from "./lib/core/early_signals.ts";',
    "listenEarly();",
  ]);
});
