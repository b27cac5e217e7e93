/**
 * `fail_on` (`--fail-on`): what fails a run besides a step failing outright. One place for its
 * values, so that every backend and stage reads the same list:
 *   lint, build, test   hosted build steps (a failed step fails the run; checked while polling)
 *   warnings            any warning of the generation (lib/generate/warnings.ts, `warnings` in
 *                       the output), checked before local main moves
 *   api-removals        the generated Python SDK lost public API (lib/generate/review.ts), checked
 *                       before local main moves, whatever the generator
 *   none                nothing of the above (alone)
 */
import { usageError } from "../core/errors.ts";
import { CHECK_STEPS, type CheckStepName } from "./stainless/progress.ts";

/** Checks of a generation, whatever the generator. */
export const RUN_CHECKS = ["warnings", "api-removals"] as const;
export type RunCheck = typeof RUN_CHECKS[number];

export const FAIL_ON_VALUES = [...CHECK_STEPS, ...RUN_CHECKS] as const;
export type FailOnValue = typeof FAIL_ON_VALUES[number];

export interface FailOn {
  /** Hosted build steps whose failure fails the run. */
  steps: CheckStepName[];
  /** Warnings of the generation fail the run. */
  warnings: boolean;
  /** The generated Python SDK lost public names (lib/sdk_api's hasApiRemovals). */
  apiRemovals: boolean;
}

/**
 * Parses and checks `fail_on` values (a list of FAIL_ON_VALUES, or "none" alone); an unknown
 * value is a usage error naming `source` (the flag, or the config file and line) and listing the
 * valid ones.
 */
export function parseFailOn(values: readonly string[], source = "--fail-on"): FailOn {
  const given = values.map((v) => v.trim().toLowerCase()).filter(Boolean);
  if (given.length === 1 && given[0] === "none") {
    return { steps: [], warnings: false, apiRemovals: false };
  }
  for (const value of given) {
    if (!(FAIL_ON_VALUES as readonly string[]).includes(value)) {
      throw usageError(
        `${source}: unknown value \`${value}\``,
        `Use a comma-separated list of ${FAIL_ON_VALUES.join(", ")}, or none.`,
      );
    }
  }
  return {
    steps: CHECK_STEPS.filter((step) => given.includes(step)),
    warnings: given.includes("warnings"),
    apiRemovals: given.includes("api-removals"),
  };
}
