/**
 * Warnings of a generation, in one list whoever reports them: the generator (openapi-python-client
 * skipping an endpoint it cannot generate, hosted build diagnostics) and codegen itself (config
 * methods dropped before a local generator runs, hooks the hosted generator cannot run, a generated
 * commit holding bytecode). Each one is shown at normal verbosity as it is found, counted at the
 * end, and listed in the output's `warnings` (`--json`). They do not fail the run unless `fail_on`
 * has `warnings`; then `assertNone` (called before local main moves) stops it.
 */
import { CodegenError } from "../core/errors.ts";
import { log } from "../core/log.ts";

export interface GeneratorWarning {
  /** Who reported it: the generator's name, or "codegen" for the tool's own. */
  source: string;
  /** The SDK target it concerns, when it concerns one. */
  target?: string;
  /**
   * The SDK targets it concerns, when it concerns several (a config copy they all read): said
   * once, naming them.
   */
  targets?: string[];
  /** One line, e.g. "POST /v2/{entity}/{project}/evaluations: endpoint not generated". */
  message: string;
  /** More text (the generator's explanation), when there is some. */
  detail?: string;
}

/** `fail_on: warnings` stopped the run; `warnings` are the ones found (for `--json`). */
export class WarningsError extends CodegenError {
  constructor(
    message: string,
    readonly warnings: GeneratorWarning[],
    options: { details: string; hint: string },
  ) {
    super(message, options);
  }
}

export class GeneratorWarnings {
  readonly list: GeneratorWarning[] = [];

  /** `fail`: `fail_on` has `warnings`. */
  constructor(readonly fail = false) {}

  /**
   * Records a warning and shows it. The same warning again (the same inputs prepared for a
   * second generator of the run) is not repeated.
   */
  add(warning: GeneratorWarning): void {
    const same = (w: GeneratorWarning) =>
      w.source === warning.source && concerns(w) === concerns(warning) &&
      w.message === warning.message;
    if (this.list.some(same)) return;
    this.list.push(warning);
    log.warn(formatWarning(warning));
    if (warning.detail) log.info(warning.detail.replace(/^/gm, "  "));
  }

  /** "2 warnings"; undefined when there is none. */
  summary(): string | undefined {
    const n = this.list.length;
    return n ? `${n} warning${n === 1 ? "" : "s"}` : undefined;
  }

  /**
   * With `fail_on: warnings`, throws when there is any warning; `unchanged` says what is left
   * untouched ("The clone was not changed.").
   */
  assertNone(unchanged: string): void {
    if (!this.fail || this.list.length === 0) return;
    throw new WarningsError(`${this.summary()}, and --fail-on has warnings`, [...this.list], {
      details: this.list.map(formatWarning).join("\n"),
      hint: `${unchanged} Fix what they report, or leave warnings out of --fail-on (fail_on).`,
    });
  }
}

/** "python", "python, typescript", or "" for a warning about the whole run. */
function concerns(warning: GeneratorWarning): string {
  return warning.target ?? warning.targets?.join(", ") ?? "";
}

export function formatWarning(warning: GeneratorWarning): string {
  const target = concerns(warning);
  return `${target ? `${target}: ` : ""}${warning.source}: ${warning.message}`;
}

/** `{target}` for one target, `{targets}` for several, nothing for none. */
export function concerning(
  targets: readonly string[],
): Pick<GeneratorWarning, "target" | "targets"> {
  if (targets.length === 0) return {};
  return targets.length === 1 ? { target: targets[0] } : { targets: [...targets] };
}
