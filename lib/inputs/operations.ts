/** The operations of an OpenAPI document, named the way the Stainless config names endpoints. */
import { CodegenError, messageOf } from "../core/errors.ts";
import { readTextFile } from "../core/fs.ts";
import { HTTP_METHODS, type OpenApiDocument, validateSpec } from "../spec/openapi.ts";
import { isRecord } from "./stainless_config.ts";

export interface SpecOperation {
  verb: string;
  path: string;
  /** `post /call/start`, as in the Stainless config. */
  endpoint: string;
  operationId?: string;
  tags: string[];
}

/** Every operation, in document order. */
export function listOperations(spec: OpenApiDocument): SpecOperation[] {
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    if (!isRecord(item)) continue;
    for (const verb of HTTP_METHODS) {
      const operation = item[verb];
      if (!isRecord(operation)) continue;
      operations.push({
        verb,
        path,
        endpoint: `${verb} ${path}`,
        operationId: typeof operation.operationId === "string" ? operation.operationId : undefined,
        tags: Array.isArray(operation.tags) ? operation.tags.map(String) : [],
      });
    }
  }
  return operations;
}

/** Schema names under `components.schemas`. */
export function schemaNames(spec: OpenApiDocument): string[] {
  const components = spec.components;
  return isRecord(components) && isRecord(components.schemas)
    ? Object.keys(components.schemas)
    : [];
}

/**
 * Reads an OpenAPI JSON file; errors name the file. `hint` says what to do when it cannot be read
 * (the caller knows which setting named it: config/input_hints.ts).
 */
export async function readSpecFile(
  path: string,
  hint = "Pass the spec's path with --openapi-output, or run `codegen get_openapi_spec` first.",
): Promise<OpenApiDocument> {
  const text = await readTextFile(path, "OpenAPI spec", hint);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CodegenError(`${path} is not valid JSON: ${messageOf(error)}`, {
      kind: "usage",
      hint: "Pass the OpenAPI spec as JSON (the server's /openapi.json).",
    });
  }
  return validateSpec(parsed, path, text);
}
