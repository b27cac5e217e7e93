import { assertEquals } from "../../tests/helpers/assert.ts";
import { Logger, type LoggerOptions } from "./log.ts";
import { registerSecret } from "./redact.ts";

function capture(options: Partial<LoggerOptions>) {
  const out: string[] = [];
  const err: string[] = [];
  const logger = new Logger({
    level: "normal",
    color: false,
    plain: true,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    ...options,
  });
  return { logger, out, err };
}

Deno.test("results go to stdout, diagnostics to stderr; verbose and debug only when asked", () => {
  const { logger, out, err } = capture({});
  logger.result("the result");
  logger.info("a diagnostic");
  logger.verbose("hidden");
  logger.debug("hidden too");
  assertEquals(out, ["the result\n"]);
  assertEquals(err, ["a diagnostic\n"]);
  const verbose = capture({ level: "verbose" });
  verbose.logger.verbose("shown");
  verbose.logger.debug("still hidden");
  assertEquals(verbose.err, ["shown\n"]);
});

Deno.test("plain mode (CI, logs): one line per status change, no escape codes", () => {
  const { logger, err } = capture({ plain: true });
  logger.setStage("generate");
  logger.status("python: commit in_progress");
  logger.status("python: commit in_progress");
  logger.status("python: commit completed");
  logger.endStatus();
  assertEquals(err, [
    "[generate] python: commit in_progress\n",
    "[generate] python: commit completed\n",
  ]);
});

Deno.test("terminal mode: the status line is rewritten in place and colors are used", () => {
  const { logger, err } = capture({ plain: false, color: true });
  logger.status("building 1/3");
  logger.status("building 2/3");
  logger.info("done");
  assertEquals(err[0], "\r\x1b[2Kbuilding 1/3");
  assertEquals(err[1], "\r\x1b[2Kbuilding 2/3");
  assertEquals(err[2], "\r\x1b[2K", "status cleared before the next line");
  assertEquals(err[3], "done\n");
  const warn = capture({ color: true });
  warn.logger.warn("careful");
  assertEquals(warn.err, ["\x1b[33mwarning: \x1b[0mcareful\n"]);
});

Deno.test("secrets and URL credentials never reach the output", () => {
  registerSecret("tok_abcdef123");
  const { logger, out, err } = capture({});
  logger.info("pushing with tok_abcdef123 to https://x-access-token:tok_abcdef123@github.com/o/r");
  logger.result("https://user:pw@host/repo.git");
  assertEquals(err, ["pushing with *** to https://***@github.com/o/r\n"]);
  assertEquals(out, ["https://***@host/repo.git\n"]);
});
