import { assertEquals, assertStringIncludes } from "../../tests/helpers/assert.ts";
import { diffSpecs } from "./diff.ts";
import type { OpenApiDocument } from "./openapi.ts";
import {
  assertNotBreaking,
  BreakingSpecError,
  specChange,
  specChangeLines,
} from "./spec_change.ts";

const ok = { responses: { "200": { description: "ok" } } };
const before: OpenApiDocument = {
  openapi: "3.1.0",
  paths: { "/a": { get: ok }, "/b": { post: ok } },
};
const after: OpenApiDocument = {
  openapi: "3.1.0",
  paths: { "/a": { get: ok }, "/c": { put: ok } },
};

Deno.test("specChangeLines: first run, no change, and the changed operations", async () => {
  assertEquals(specChangeLines(undefined), ["spec: no previous spec to compare with (first run)"]);
  const same = await specChange({ label: "HEAD:spec.json", document: before }, before, "spec.json");
  assertEquals(specChangeLines(same), ["spec: no API changes since HEAD:spec.json"]);
  const diff = await diffSpecs(before, after, { before: "HEAD:spec.json", after: "spec.json" });
  assertEquals(specChangeLines(diff), [
    "spec: 1 operation added, 1 removed, 0 changed since HEAD:spec.json",
    "  + PUT /c",
    "  - POST /b (breaking)",
  ]);
});

Deno.test("--fail-on-breaking: the error says the new spec was written", async () => {
  const diff = await diffSpecs(before, after, { before: "HEAD:spec.json", after: "spec.json" });
  assertNotBreaking(diff, false, "spec.json");
  assertNotBreaking(undefined, true, "spec.json");
  let error: BreakingSpecError | undefined;
  try {
    assertNotBreaking(diff, true, "tools/codegen/openapi.json");
  } catch (thrown) {
    error = thrown as BreakingSpecError;
  }
  assertEquals(error instanceof BreakingSpecError, true);
  assertStringIncludes(error!.message, "1 operation removed");
  assertStringIncludes(error!.hint!, "The new spec was written to tools/codegen/openapi.json");
  assertEquals(error!.diff, diff);
});
