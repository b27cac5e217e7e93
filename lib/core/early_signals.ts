/**
 * SIGINT and SIGTERM caught before main.ts has installed its handlers (while the program's modules
 * load). The entry (codegen.ts) calls listenEarly() as its first statement; main() installs its
 * own handlers, then takes what these caught (takeEarlySignal) and reports it as an interruption.
 * Without them, such a signal would end the process at once: exit 130/143 with nothing printed,
 * although `--json` promises one object. This module imports nothing, so it runs within a
 * millisecond of the entry's start.
 */

/** The signals codegen handles, with the exit code of a run they interrupt. */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
export type HandledSignal = keyof typeof SIGNAL_EXIT_CODES;

let caught: HandledSignal | undefined;
const listeners = new Map<HandledSignal, () => void>();

/** Starts catching the signals (idempotent): the first one is kept for main(). */
export function listenEarly(): void {
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as HandledSignal[]) {
    if (listeners.has(signal)) continue;
    const listener = () => (caught ??= signal);
    listeners.set(signal, listener);
    Deno.addSignalListener(signal, listener);
  }
}

/**
 * Stops catching (call it once your own handlers are installed, so no signal falls between) and
 * returns the first signal caught meanwhile, if any.
 */
export function takeEarlySignal(): HandledSignal | undefined {
  for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
  listeners.clear();
  return caught;
}
