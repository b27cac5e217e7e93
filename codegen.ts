/**
 * The executable's entry point (`deno task generate`, `deno compile`, `deno bundle` start here).
 *
 * Its first statement starts catching SIGINT and SIGTERM (lib/core/early_signals.ts imports
 * nothing): ES imports are hoisted and a module's whole static graph is linked and run before its
 * own first statement, so main.ts is loaded after that, by a dynamic import. A signal while it
 * loads is reported by main() as an interruption (exit 130/143 and the `--json` object) instead
 * of ending the process silently.
 *
 * What remains is Deno's start-up before this statement: with `deno run`, Deno also reads the
 * modules of the literal import() below ahead of running this file, so this statement runs about
 * 7 ms after the runtime starts (15-20 ms after the process is spawned, against 20-25 ms when
 * main.ts was the entry and ~10 ms for an empty script). A computed specifier would skip that read
 * (~5 ms less) but hide main.ts from `deno compile` and `deno bundle`, which find modules by their
 * literal specifiers (tests/e2e/bundle_test.ts keeps every import() literal). A signal in that
 * window ends the process by its default action: exit 130/143, nothing printed.
 */
import { listenEarly } from "./lib/core/early_signals.ts";

listenEarly();
const { runAndExit } = await import("./main.ts");
await runAndExit(Deno.args);
