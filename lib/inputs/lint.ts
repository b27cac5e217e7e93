/**
 * `codegen lint`: the Stainless config against the spec, offline. The config's transformations are
 * applied first (to a copy), because they create schemas the config names (Weave's `Expr` and
 * `Operation`) and the generator sees the transformed spec.
 *
 * Findings carry the config's line: methods whose endpoint the spec lacks (error), spec operations
 * that no method maps and `unspecified_endpoints` does not list (warning), models that are not
 * schemas (error), transformation targets that match nothing (warning), transformations that
 * cannot be applied (error).
 */
import { CodegenError } from "../core/errors.ts";
import { closest } from "../core/suggest.ts";
import type { OpenApiDocument } from "../spec/openapi.ts";
import { listOperations, schemaNames, type SpecOperation } from "./operations.ts";
import type { StainlessConfig } from "./stainless_config.ts";
import { applyTransformation, type TransformOutcome } from "./transform.ts";

export type Severity = "error" | "warning";

export type LintCode =
  | "endpoint-not-in-spec"
  | "unmapped-operation"
  | "model-not-in-spec"
  | "transformation-matches-nothing"
  | "transformation-failed";

export interface LintFinding {
  /** The config file; `line` is a line of it (1-based). */
  file: string;
  line: number;
  severity: Severity;
  code: LintCode;
  message: string;
  /** Dotted resource (`calls`, `v2.ops`), for method and model findings. */
  resource?: string;
  method?: string;
  model?: string;
  /** `post /call/start`: the method's endpoint, or the unmapped operation. */
  endpoint?: string;
  operationId?: string;
  schema?: string;
  transformation?: { index: number; command: string; target?: string };
  /** The closest endpoint or schema the spec has, when one is close. */
  suggestion?: string;
}

export interface LintResult {
  configFile: string;
  specFile: string;
  /** Sorted by line. */
  findings: LintFinding[];
  errors: number;
  warnings: number;
  checked: { methods: number; operations: number; models: number; transformations: number };
  /** The spec after the transformations that could be applied: what a generator is given. */
  transformedSpec: OpenApiDocument;
  transformations: TransformOutcome[];
}

/**
 * Lints `config` against `spec` in four steps, each giving its findings: the transformations
 * applied to a copy (what the later steps check against), the methods' endpoints, the spec's
 * operations nobody maps, the models' schemas.
 */
export async function lintConfig(
  config: StainlessConfig,
  spec: OpenApiDocument,
  specFile: string,
): Promise<LintResult> {
  const transformed = await transformationFindings(config, spec);
  const operations = listOperations(transformed.spec);
  const findings = [
    ...transformed.findings,
    ...endpointFindings(config, operations),
    ...unmappedFindings(config, operations),
    ...modelFindings(config, schemaNames(transformed.spec)),
  ].sort((a, b) => a.line - b.line);
  return {
    configFile: config.file,
    specFile,
    findings,
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    checked: {
      methods: config.methods.filter((m) => m.endpoint !== undefined).length,
      operations: operations.length,
      models: config.models.length,
      transformations: config.transformations.length,
    },
    transformedSpec: transformed.spec,
    transformations: transformed.outcomes,
  };
}

/**
 * Step 1: the transformations applied in order to a copy of the spec. A target that matches
 * nothing is a warning; a transformation that cannot be applied (unknown command, bad arguments,
 * an invalid JSONPath) is an error, and the lint goes on without it.
 */
async function transformationFindings(
  config: StainlessConfig,
  spec: OpenApiDocument,
): Promise<{ spec: OpenApiDocument; outcomes: TransformOutcome[]; findings: LintFinding[] }> {
  const file = config.file;
  const transformed = structuredClone(spec);
  const outcomes: TransformOutcome[] = [];
  const findings: LintFinding[] = [];
  for (const t of config.transformations) {
    const transformation = { index: t.index, command: t.command };
    try {
      const outcome = await applyTransformation(transformed, t, file);
      outcomes.push(outcome);
      for (const target of outcome.unmatched) {
        findings.push({
          file,
          line: t.line,
          severity: "warning",
          code: "transformation-matches-nothing",
          message: `transformation ${t.command}: ${target} matches nothing in the spec`,
          transformation: { ...transformation, target },
        });
      }
    } catch (error) {
      if (!(error instanceof CodegenError)) throw error;
      findings.push({
        file,
        line: t.line,
        severity: "error",
        code: "transformation-failed",
        message: error.message.replace(`${file}:${t.line}: `, ""),
        transformation,
      });
    }
  }
  return { spec: transformed, outcomes, findings };
}

/** Step 2: each config method whose endpoint the (transformed) spec lacks: an error. */
function endpointFindings(config: StainlessConfig, operations: SpecOperation[]): LintFinding[] {
  const endpoints = new Set(operations.map((op) => op.endpoint));
  return config.methods.flatMap((method) => {
    if (method.endpoint === undefined || endpoints.has(method.endpoint)) return [];
    const suggestion = closestEndpoint(method.endpoint, operations);
    return [{
      file: config.file,
      line: method.line,
      severity: "error",
      code: "endpoint-not-in-spec",
      message: `${method.resource}.${method.name}: ${method.endpoint} is not in the spec${
        suggestion ? ` (did you mean ${suggestion}?)` : ""
      }`,
      resource: method.resource,
      method: method.name,
      endpoint: method.endpoint,
      suggestion,
    }];
  });
}

/**
 * Step 3: each spec operation that no method maps and `unspecified_endpoints` does not list: a
 * warning, at the line of `unspecified_endpoints` (else of `resources`), where it would be added.
 */
function unmappedFindings(config: StainlessConfig, operations: SpecOperation[]): LintFinding[] {
  const mapped = new Set([
    ...config.methods.map((m) => m.endpoint),
    ...config.unspecifiedEndpoints.map((u) => u.endpoint),
  ]);
  const line = config.lines.unspecifiedEndpoints ?? config.lines.resources;
  return operations.filter((op) => !mapped.has(op.endpoint)).map((op) => ({
    file: config.file,
    line,
    severity: "warning",
    code: "unmapped-operation",
    message: `${op.endpoint}${
      op.operationId ? ` (${op.operationId})` : ""
    } is in the spec but no resource method maps it and unspecified_endpoints does not list it`,
    endpoint: op.endpoint,
    operationId: op.operationId,
  }));
}

/** Step 4: each config model whose schema the (transformed) spec lacks: an error. */
function modelFindings(config: StainlessConfig, schemas: string[]): LintFinding[] {
  const known = new Set(schemas);
  return config.models.flatMap((model) => {
    if (known.has(model.schema)) return [];
    const suggestion = closest(model.schema, schemas);
    return [{
      file: config.file,
      line: model.line,
      severity: "error",
      code: "model-not-in-spec",
      message: `${model.resource}.models.${model.name}: schema ${model.schema} is not in the spec${
        suggestion ? ` (did you mean ${suggestion}?)` : ""
      }`,
      resource: model.resource,
      model: model.name,
      schema: model.schema,
      suggestion,
    }];
  });
}

/**
 * The spec endpoint a missing one most likely became: same verb, the longest run of leading path
 * segments in common (at least half of them), then the smallest edit. Plain edit distance would
 * pick `…/evaluations/{object_id}/versions/{digest}` for a removed
 * `…/evaluation_runs/{evaluation_run_id}/versions/{digest}`; the shared prefix finds
 * `…/evaluation_runs/{evaluation_run_id}`.
 */
function closestEndpoint(endpoint: string, operations: SpecOperation[]): string | undefined {
  const [verb, path] = endpoint.split(" ");
  const segments = path.split("/").filter(Boolean);
  let best: SpecOperation[] = [];
  let bestShared = Math.max(1, Math.ceil(segments.length / 2));
  for (const op of operations) {
    if (op.verb !== verb) continue;
    const other = op.path.split("/").filter(Boolean);
    let shared = 0;
    while (shared < segments.length && segments[shared] === other[shared]) shared++;
    if (shared > bestShared) [best, bestShared] = [[op], shared];
    else if (shared === bestShared) best.push(op);
  }
  if (best.length === 0) return undefined;
  const endpoints = best.map((op) => op.endpoint);
  const length = (op: SpecOperation) => op.path.split("/").filter(Boolean).length;
  const nearest = best.reduce((a, b) =>
    Math.abs(length(b) - segments.length) < Math.abs(length(a) - segments.length) ? b : a
  );
  return closest(endpoint, endpoints) ?? nearest.endpoint;
}

/** One line per finding, then a summary: `file:line: severity: message [code]`. */
export function formatLint(result: LintResult, displayFile = result.configFile): string {
  const lines = result.findings.map((f) =>
    `${displayFile}:${f.line}: ${f.severity}: ${f.message} [${f.code}]`
  );
  const { methods, operations, models, transformations } = result.checked;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  lines.push(
    `${displayFile}: ${count(result.errors, "error")}, ${count(result.warnings, "warning")} ` +
      `(${count(methods, "method")}, ${count(models, "model")} and ` +
      `${count(transformations, "transformation")} checked against ` +
      `${count(operations, "operation")} of ${result.specFile})`,
  );
  return lines.join("\n");
}

/** The `--json` shape: stable keys, no transformed spec. */
export interface LintJson {
  ok: boolean;
  config: string;
  spec: string;
  errors: number;
  warnings: number;
  checked: LintResult["checked"];
  findings: LintFinding[];
}

export function lintJson(result: LintResult): LintJson {
  return {
    ok: result.errors === 0,
    config: result.configFile,
    spec: result.specFile,
    errors: result.errors,
    warnings: result.warnings,
    checked: result.checked,
    findings: result.findings,
  };
}
