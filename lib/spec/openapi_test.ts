/** OpenAPI answers checked, summarized and formatted. */
import { assertEquals, assertMatch, assertThrows } from "../../tests/helpers/assert.ts";
import type { CodegenError } from "../core/errors.ts";
import { sha256Hex } from "../core/sha256.ts";
import {
  countOperations,
  formatSpec,
  type OpenApiDocument,
  specFromAnswer,
  summarize,
  validateSpec,
} from "./openapi.ts";

const SPEC: OpenApiDocument = {
  openapi: "3.1.0",
  info: { title: "Trace", version: "1.0" },
  paths: {
    "/calls": { get: {}, post: {}, parameters: [], summary: "not an operation" },
    "/health": { get: {} },
  },
};

function answer(status: number, body: string, contentType = "application/json") {
  return { status, body, contentType, url: "http://127.0.0.1:1/openapi.json" };
}

Deno.test("specFromAnswer: a 200 JSON OpenAPI 3 document", () => {
  assertEquals(specFromAnswer(answer(200, JSON.stringify(SPEC))), SPEC);
});

Deno.test("specFromAnswer: other statuses and non-JSON bodies say what came back", () => {
  const status = assertThrows(() => specFromAnswer(answer(404, "Not Found")), /answered HTTP 404/);
  assertEquals((status as CodegenError).details, "Not Found");
  const html = assertThrows(
    () => specFromAnswer(answer(200, "<html>" + "x".repeat(400), "text/html")),
    /did not return JSON \(content-type: text\/html\)/,
  );
  assertMatch((html as CodegenError).details ?? "", /… \(406 bytes\)$/);
});

Deno.test("validateSpec: the shape of an OpenAPI 3.x document", () => {
  const cases: [unknown, RegExp][] = [
    [[], /not a JSON object/],
    [null, /not a JSON object/],
    [{ paths: {} }, /no `openapi` version field/],
    [{ openapi: "2.0", paths: {} }, /unsupported version 2\.0/],
    [{ openapi: "3.0.3" }, /no `paths` object/],
    [{ openapi: "3.0.3", paths: [] }, /no `paths` object/],
  ];
  for (const [doc, why] of cases) {
    const error = assertThrows(() => validateSpec(doc, "spec.json"), why);
    assertMatch(error.message, /^spec\.json is not an OpenAPI 3 document: /);
  }
  assertEquals(validateSpec({ openapi: "3.0.3", paths: {} }, "x").openapi, "3.0.3");
});

Deno.test("countOperations counts HTTP methods only; summarize hashes the written text", async () => {
  assertEquals(countOperations(SPEC), 3);
  const text = formatSpec(SPEC);
  // Python's json.dump(indent=2) bytes: no trailing newline (lib/spec/format.ts).
  assertEquals(text, JSON.stringify(SPEC, null, 2));
  assertEquals(await summarize(SPEC, text), {
    openapiVersion: "3.1.0",
    title: "Trace",
    version: "1.0",
    paths: 2,
    operations: 3,
    sha256: await sha256Hex(text),
  });
});
