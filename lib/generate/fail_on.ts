/**
 * `fail_on` (`--fail-on`): what fails a generation besides the generator failing outright. One
 * place for its values, so that every backend and stage reads the same list:
 *   lint, build, test   hosted build steps (a failed step fails the run)
 *   warnings            any generator warning (listed in the output's `warnings`)
 *   none                nothing of the above (alone)
 */
import { usageError } from "../core/errors.ts";
import { CHECK_STEPS, type CheckStepName } from "./stainless/progress.ts";

export const FAIL_ON_VALUES = [...CHECK_STEPS, "warnings"] as const;
export type FailOnValue = typeof FAIL_ON_VALUES[number];

export interface FailOn {
  /** Hosted build steps whose failure fails the run. */
  steps: CheckStepName[];
  /** Generator warnings fail the run. */
  warnings: boolean;
}

/** `fail_on` values: a list of FAIL_ON_VALUES, or "none". */
export function parseFailOn(values: readonly string[], source = "--fail-on"): FailOn {
  const given = values.map((v) => v.trim().toLowerCase()).filter(Boolean);
  if (given.length === 1 && given[0] === "none") return { steps: [], warnings: false };
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
  };
}
