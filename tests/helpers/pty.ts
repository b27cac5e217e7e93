/**
 * Runs a command on a real pseudo-terminal (util-linux `script`), to test what the CLI does on a
 * terminal: prompts, colors. `expect` waits for output to match; `send` types.
 *
 * `script` runs the CLI in a session of its own (the pty's), so killing `script` alone would leave
 * the CLI waiting at a prompt, and the test run hanging. Whenever a session ends without a normal
 * exit (an `expect` that times out, `finish` past its deadline, `stop()`, or the end of an
 * `await using` block), every process group under `script` gets SIGTERM (the CLI then stops its
 * own children), then SIGKILL, and `script` too.
 */
import { cliEnv, MAIN } from "./cli.ts";
import { waitFor } from "./wait.ts";
import { signalGroup } from "../../lib/os/process.ts";
import { allPids, readStat } from "../../lib/os/procfs.ts";

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;?]*[a-zA-Z]/g;

/** How long the processes get between SIGTERM and SIGKILL when a session is stopped. */
const STOP_GRACE_MS = 10_000;

export interface PtySession extends AsyncDisposable {
  /** Waits until the output (ANSI codes removed) matches, or stops the session and fails. */
  expect(pattern: RegExp, timeoutMs?: number): Promise<void>;
  send(text: string): Promise<void>;
  /** Raw output so far, escape codes included. */
  raw(): string;
  /**
   * Waits for the exit; returns the code and the output without escape codes. Past `timeoutMs`
   * the session is stopped and the test fails.
   */
  finish(timeoutMs?: number): Promise<{ code: number; text: string }>;
  /** Stops every process of the session (SIGTERM, then SIGKILL); safe to call twice. */
  stop(): Promise<void>;
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The process groups of every process below `pid` (the shell, the CLI and its children). */
function descendantGroups(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const p of allPids()) {
    const parent = readStat(p)?.ppid;
    if (parent !== undefined) children.set(parent, [...children.get(parent) ?? [], p]);
  }
  const groups = new Set<number>();
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.pop()!) ?? []) {
      const group = readStat(child)?.pgrp;
      if (group !== undefined) groups.add(group);
      queue.push(child);
    }
  }
  return [...groups];
}

/** Resolves true when `promise` settles within `ms`, false otherwise (the timer is cleared). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
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
    detached: true, // its own process group: `stop` can kill it whatever it is doing
  }).spawn();
  const writer = child.stdin.getWriter();
  let output = "";
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) output += decoder.decode(chunk, { stream: true });
  })();
  const status = child.status;
  let exited = false;
  status.then(() => (exited = true));
  let stdinClosed = false;
  const closeStdin = async () => {
    if (stdinClosed) return;
    stdinClosed = true;
    try {
      await writer.close();
    } catch (error) {
      // `script` is gone already: nothing reads its input any more.
      if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    }
  };
  let ending: Promise<number> | undefined;
  /** The exit code, once `script` exited and its output is read. */
  const ended = () =>
    ending ??= (async () => {
      const { code } = await status;
      await reading;
      await child.stderr.cancel();
      return code;
    })();
  let stopping: Promise<void> | undefined;
  const stop = () =>
    stopping ??= (async () => {
      const groups = descendantGroups(child.pid);
      for (const group of groups) signalGroup(group, "SIGTERM");
      await settlesWithin(status, STOP_GRACE_MS);
      for (const group of [...groups, ...descendantGroups(child.pid), child.pid]) {
        signalGroup(group, "SIGKILL");
      }
      await closeStdin();
      await ended();
    })();
  const text = () => output.replace(ANSI, "").replaceAll("\r", "");
  return {
    async expect(pattern, timeoutMs = 30_000) {
      try {
        await waitFor(() => {
          if (pattern.test(text())) return true;
          if (exited) {
            throw new Error(`the CLI exited before its output matched ${pattern}:\n${text()}`);
          }
          return false;
        }, {
          what: `the terminal output to match ${pattern}`,
          timeoutMs,
          intervalMs: 20,
          details: text,
        });
      } catch (error) {
        await stop();
        throw error;
      }
    },
    async send(input) {
      await writer.write(new TextEncoder().encode(input));
    },
    raw: () => output,
    async finish(timeoutMs = 300_000) {
      await closeStdin();
      if (!(await settlesWithin(status, timeoutMs))) {
        await stop();
        throw new Error(
          `the CLI on the terminal did not exit within ${timeoutMs / 1000} s:\n${text()}`,
        );
      }
      return { code: await ended(), text: text() };
    },
    stop,
    async [Symbol.asyncDispose]() {
      // Exited by itself (finished, or ended early): only its streams are left to close.
      if (!stopping && await settlesWithin(status, 0)) {
        await closeStdin();
        await ended();
        return;
      }
      await stop();
    },
  };
}
