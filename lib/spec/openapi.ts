/**
 * OpenAPI documents: checking that an answer really is a spec, summarizing it, and writing it
 * the way the trace repository keeps it (the bytes of Python's `json.dump(spec, f, indent=2)`).
 */
import { CodegenError } from "../core/errors.ts";
import type { HttpAnswer } from "./server.ts";
import { sha256Hex } from "../core/sha256.ts";
import { formatLikePythonJsonDump } from "./format.ts";

export type OpenApiDocument = {
  openapi: string;
  info?: { title?: string; version?: string };
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
};

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function excerpt(body: string): string {
  const first = body.slice(0, 300);
  return body.length > 300 ? `${first}… (${body.length} bytes)` : first || "(empty body)";
}

/** Validates an HTTP answer and returns the parsed spec. */
export function specFromAnswer(answer: HttpAnswer): OpenApiDocument {
  if (answer.status !== 200) {
    throw new CodegenError(`${answer.url} answered HTTP ${answer.status}, not the OpenAPI spec`, {
      hint:
        "Check the server command (or --url): it must serve the FastAPI app, which publishes /openapi.json.",
      details: excerpt(answer.body),
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch (error) {
    throw new CodegenError(
      `${answer.url} did not return JSON (content-type: ${answer.contentType || "none"})`,
      {
        hint: "The URL must serve the OpenAPI document as JSON.",
        details: `${(error as Error).message}\n${excerpt(answer.body)}`,
      },
    );
  }
  return validateSpec(parsed, answer.url, answer.body);
}

/** Checks the shape of an OpenAPI 3.x document. */
export function validateSpec(doc: unknown, source: string, raw = ""): OpenApiDocument {
  const fail = (why: string) =>
    new CodegenError(`${source} is not an OpenAPI 3 document: ${why}`, {
      hint: "Make sure it is the server's /openapi.json (FastAPI serves OpenAPI 3.x).",
      details: excerpt(raw || JSON.stringify(doc) || ""),
    });
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw fail("not a JSON object");
  }
  const record = doc as Record<string, unknown>;
  if (typeof record.openapi !== "string") throw fail("no `openapi` version field");
  if (!/^3\.\d+(\.\d+)?/.test(record.openapi)) {
    throw fail(`unsupported version ${record.openapi} (need 3.x)`);
  }
  if (typeof record.paths !== "object" || record.paths === null || Array.isArray(record.paths)) {
    throw fail("no `paths` object");
  }
  return record as OpenApiDocument;
}

export interface SpecSummary {
  openapiVersion: string;
  title?: string;
  version?: string;
  paths: number;
  operations: number;
  sha256: string;
}

export function countOperations(doc: OpenApiDocument): number {
  let count = 0;
  for (const item of Object.values(doc.paths)) {
    for (const method of HTTP_METHODS) {
      if (item && typeof item === "object" && method in item) count++;
    }
  }
  return count;
}

/**
 * The file text: the bytes Python's `json.dump(spec, f, indent=2)` writes (no trailing newline).
 * Give the JSON text as received (the server's body) so that number forms (`1.0`) and key order
 * survive; a parsed document has already lost them (`JSON.parse`).
 */
export function formatSpec(spec: string | OpenApiDocument, source = "the OpenAPI spec"): string {
  return formatLikePythonJsonDump(typeof spec === "string" ? spec : JSON.stringify(spec), source);
}

export async function summarize(doc: OpenApiDocument, text: string): Promise<SpecSummary> {
  return {
    openapiVersion: doc.openapi,
    title: doc.info?.title,
    version: doc.info?.version,
    paths: Object.keys(doc.paths).length,
    operations: countOperations(doc),
    sha256: await sha256Hex(text),
  };
}
