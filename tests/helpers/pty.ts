/**
 * Runs a command on a real pseudo-terminal (util-linux `script`), to test what the CLI does on a
 * terminal: prompts, colors. `expect` waits for output to match; `send` types.
 */
import { cliEnv, MAIN } from "./cli.ts";
import { waitFor } from "./wait.ts";

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;?]*[a-zA-Z]/g;

export interface PtySession {
  /** Waits until the output (ANSI codes removed) matches, or fails after `timeoutMs`. */
  expect(pattern: RegExp, timeoutMs?: number): Promise<void>;
  send(text: string): Promise<void>;
  /** Raw output so far, escape codes included. */
  raw(): string;
  /** Waits for the exit; returns the code and the output without escape codes. */
  finish(): Promise<{ code: number; text: string }>;
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export function runCliOnTerminal(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): PtySession {
  // A wide terminal, so prompts are not wrapped in the middle of the words tests look for.
  const command = "stty cols 250 rows 50; " +
    [Deno.execPath(), "run", "--allow-all", "--quiet", MAIN, ...args].map(shellQuote).join(" ");
  const env = cliEnv();
  delete env.CI; // a terminal session, not CI
  delete env.NO_COLOR; // colors are part of what a terminal shows
  Object.assign(env, options.env);
  const child = new Deno.Command("script", {
    args: ["-qefc", command, "/dev/null"],
    cwd: options.cwd,
    env,
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  let output = "";
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) output += decoder.decode(chunk, { stream: true });
  })();
  const text = () => output.replace(ANSI, "").replaceAll("\r", "");
  return {
    async expect(pattern, timeoutMs = 30_000) {
      await waitFor(() => pattern.test(text()), {
        what: `the terminal output to match ${pattern}`,
        timeoutMs,
        intervalMs: 20,
        details: text,
      });
    },
    async send(input) {
      await writer.write(new TextEncoder().encode(input));
    },
    raw: () => output,
    async finish() {
      await writer.close();
      const status = await child.status;
      await reading;
      await child.stderr.cancel();
      return { code: status.code, text: text() };
    },
  };
}
