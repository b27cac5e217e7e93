/** Captures what the process-wide logger prints (stdout and stderr), for assertions. */
import { configureLogger, type Level } from "../../lib/core/log.ts";

export interface CapturedLog {
  /** Everything printed so far, both streams, in order. */
  text(): string;
  /** Restores a logger that prints to the real streams. */
  restore(): void;
}

export function captureLog(level: Level = "debug"): CapturedLog {
  const lines: string[] = [];
  configureLogger({
    level,
    color: false,
    plain: true,
    stdout: (text) => lines.push(text),
    stderr: (text) => lines.push(text),
  });
  return {
    text: () => lines.join(""),
    restore: () => void configureLogger({ level: "normal" }),
  };
}
