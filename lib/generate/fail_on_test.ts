import { assert, assertEquals, assertThrows } from "../../tests/helpers/assert.ts";
import { CodegenError } from "../core/errors.ts";
import { parseFailOn } from "./fail_on.ts";

Deno.test("fail_on: hosted steps and api-removals, in any case and order; none alone", () => {
  assertEquals(parseFailOn(["lint", "build", "test"]), {
    steps: ["lint", "build", "test"],
    apiRemovals: false,
  });
  assertEquals(parseFailOn([" API-Removals", "build", ""]), {
    steps: ["build"],
    apiRemovals: true,
  });
  assertEquals(parseFailOn(["none"]), { steps: [], apiRemovals: false });
  assertEquals(parseFailOn([]), { steps: [], apiRemovals: false });
});

Deno.test("fail_on: an unknown value is a usage error listing the valid ones", () => {
  const error = assertThrows(() => parseFailOn(["lint", "api-removal"]));
  assert(error instanceof CodegenError);
  assertEquals(error.exitCode, 2);
  assertEquals(error.message, "--fail-on: unknown value `api-removal`");
  assertEquals(
    error.hint,
    "Use a comma-separated list of lint, build, test, api-removals, or none.",
  );
});
