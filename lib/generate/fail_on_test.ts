import { assertEquals, assertThrows } from "../../tests/helpers/assert.ts";
import { parseFailOn } from "./fail_on.ts";

Deno.test("fail_on: hosted steps and warnings, or none; unknown values named", () => {
  assertEquals(parseFailOn(["lint", "build", "test"]), {
    steps: ["lint", "build", "test"],
    warnings: false,
  });
  assertEquals(parseFailOn([" Warnings ", "test"]), { steps: ["test"], warnings: true });
  assertEquals(parseFailOn(["none"]), { steps: [], warnings: false });
  assertEquals(parseFailOn([]), { steps: [], warnings: false });
  const error = assertThrows(() => parseFailOn(["lint", "warning"], "config.yaml:3"), /warning/);
  assertEquals(error.message, "config.yaml:3: unknown value `warning`");
});
