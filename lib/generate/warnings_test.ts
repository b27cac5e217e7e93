import { assert, assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { captureLog } from "../../tests/helpers/capture_log.ts";
import { concerning, formatWarning, GeneratorWarnings, WarningsError } from "./warnings.ts";

Deno.test("warnings: shown as they come (detail indented), listed in order, counted", () => {
  const log = captureLog("normal");
  try {
    const warnings = new GeneratorWarnings();
    assertEquals(warnings.summary(), undefined);
    warnings.add({ source: "codegen", message: "config.yml:3: a.b: dropped" });
    warnings.add({ source: "stainful", target: "python", message: "key x ignored", detail: "why" });
    assertEquals(warnings.list.map(formatWarning), [
      "codegen: config.yml:3: a.b: dropped",
      "python: stainful: key x ignored",
    ]);
    assertEquals(warnings.summary(), "2 warnings");
    assertStringIncludes(log.text(), "warning: python: stainful: key x ignored");
    assertStringIncludes(log.text(), "  why");
    warnings.assertNone("Nothing moved."); // fail_on has no `warnings`: tolerated
  } finally {
    log.restore();
  }
});

Deno.test("warnings: with fail_on warnings, assertNone throws listing them; none, no throw", () => {
  const log = captureLog("normal");
  try {
    const warnings = new GeneratorWarnings(true);
    warnings.assertNone("Nothing moved.");
    warnings.add({ source: "codegen", message: "dropped" });
    let error: unknown;
    try {
      warnings.assertNone("The clone was not changed.");
    } catch (caught) {
      error = caught;
    }
    assert(error instanceof WarningsError, String(error));
    assertEquals(error.message, "1 warning, and --fail-on has warnings");
    assertEquals(error.details, "codegen: dropped");
    assertStringIncludes(error.hint!, "The clone was not changed.");
    assertEquals(error.warnings, [{ source: "codegen", message: "dropped" }]);
  } finally {
    log.restore();
  }
});

Deno.test("warnings: one about several targets names them once; the same again is not repeated", () => {
  const log = captureLog("normal");
  try {
    const warnings = new GeneratorWarnings();
    const drift = { source: "codegen", message: "s.yml:3: a.b: dropped" };
    warnings.add({ ...drift, ...concerning(["python", "typescript"]) });
    warnings.add({ ...drift, ...concerning(["python", "typescript"]) });
    warnings.add({ ...drift, ...concerning(["python"]) });
    assertEquals(warnings.list.map(formatWarning), [
      "python, typescript: codegen: s.yml:3: a.b: dropped",
      "python: codegen: s.yml:3: a.b: dropped",
    ]);
    assertEquals(warnings.list[0].targets, ["python", "typescript"]);
    assertEquals(concerning([]), {});
  } finally {
    log.restore();
  }
});
