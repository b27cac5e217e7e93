/**
 * `fail_on` / `--fail-on`: what fails a run. Hosted build steps (lint, build, test) are checked
 * by the hosted backend while it polls; the other values are checks of the generated code that
 * any generator's run makes (api-removals: lib/generate/api_report.ts). `none` alone: nothing.
 */
import { usageError } from "../core/errors.ts";
import { CHECK_STEPS, type CheckStepName } from "./stainless/progress.ts";

/** Checks of the generated code, whatever the generator. */
export const RUN_CHECKS = ["api-removals"] as const;
export type RunCheck = typeof RUN_CHECKS[number];

export interface FailOn {
  /** Hosted build steps whose failure fails the run. */
  steps: CheckStepName[];
  /** The generated Python SDK lost public names (lib/sdk_api's hasApiRemovals). */
  apiRemovals: boolean;
}

/** Parses and checks `fail_on`; an unknown value is a usage error listing the valid ones. */
export function parseFailOn(values: readonly string[]): FailOn {
  const names = values.map((v) => v.trim().toLowerCase()).filter(Boolean);
  if (names.length === 1 && names[0] === "none") return { steps: [], apiRemovals: false };
  const known: readonly string[] = [...CHECK_STEPS, ...RUN_CHECKS];
  for (const name of names) {
    if (!known.includes(name)) {
      throw usageError(
        `--fail-on: unknown value \`${name}\``,
        `Use a comma-separated list of ${known.join(", ")}, or none.`,
      );
    }
  }
  return {
    steps: names.filter((n): n is CheckStepName => (CHECK_STEPS as readonly string[]).includes(n)),
    apiRemovals: names.includes("api-removals"),
  };
}
