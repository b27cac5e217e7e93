import { assert, assertEquals, assertThrows } from "../../tests/helpers/assert.ts";
import { CodegenError } from "../core/errors.ts";
import { parseFailOn } from "./fail_on.ts";

Deno.test("fail_on: hosted steps, warnings and api-removals, in any case and order; none alone", () => {
  assertEquals(parseFailOn(["lint", "build", "test"]), {
    steps: ["lint", "build", "test"],
    warnings: false,
    apiRemovals: false,
  });
  assertEquals(parseFailOn([" Warnings ", "test"]), {
    steps: ["test"],
    warnings: true,
    apiRemovals: false,
  });
  assertEquals(parseFailOn([" API-Removals", "build", ""]), {
    steps: ["build"],
    warnings: false,
    apiRemovals: true,
  });
  assertEquals(parseFailOn(["test", "lint", "warnings", "api-removals"]), {
    steps: ["lint", "test"],
    warnings: true,
    apiRemovals: true,
  });
  assertEquals(parseFailOn(["none"]), { steps: [], warnings: false, apiRemovals: false });
  assertEquals(parseFailOn([]), { steps: [], warnings: false, apiRemovals: false });
});

Deno.test("fail_on: an unknown value is a usage error naming its source and the valid values", () => {
  const error = assertThrows(() => parseFailOn(["lint", "api-removal"]));
  assert(error instanceof CodegenError);
  assertEquals(error.exitCode, 2);
  assertEquals(error.message, "--fail-on: unknown value `api-removal`");
  assertEquals(
    error.hint,
    "Use a comma-separated list of lint, build, test, warnings, api-removals, or none.",
  );
  const fromConfig = assertThrows(() => parseFailOn(["lint", "warning"], "config.yaml:3"));
  assertEquals(fromConfig.message, "config.yaml:3: unknown value `warning`");
});
