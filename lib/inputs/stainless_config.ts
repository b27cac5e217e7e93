/**
 * The Stainless config (`openapi.stainless.yml`), read with the line of everything that lint,
 * pruning and groups talk about: resources (with nested `subresources`), their methods and models,
 * `unspecified_endpoints`, `openapi.transformations` and `targets`.
 *
 * Only what this tool checks or edits is modelled; every other key is left alone (the config's
 * schema belongs to Stainless and the generators that read it). The parsed YAML document is kept so
 * that pruning can edit a copy without losing comments or order.
 */
import type { Document, LineCounter, Node, Pair } from "yaml";
import { usageError } from "../core/errors.ts";
import { readTextFile } from "../core/fs.ts";
import { HTTP_METHODS } from "../spec/openapi.ts";

/** An endpoint as Stainless writes it: lower-case verb, one space, the path template. */
export interface Endpoint {
  verb: string;
  path: string;
}

export interface ConfigMethod {
  /** Dotted resource name: `calls`, or `v2.ops` for a subresource. */
  resource: string;
  /** Keys from the document root to the resource (`resources`, `v2`, `subresources`, `ops`). */
  resourcePath: string[];
  name: string;
  /** `post /call/start`; undefined for a method without an endpoint (e.g. a webhook unwrap). */
  endpoint?: string;
  line: number;
}

export interface ConfigModel {
  resource: string;
  resourcePath: string[];
  name: string;
  /** The schema name under `#/components/schemas/`. */
  schema: string;
  line: number;
}

export interface ConfigResource {
  name: string;
  resource: string;
  resourcePath: string[];
  line: number;
  methods: ConfigMethod[];
  models: ConfigModel[];
  subresources: ConfigResource[];
}

export interface ConfigTransformation {
  /** Position in the list, from 0. */
  index: number;
  command: string;
  reason?: string;
  args: Record<string, unknown>;
  line: number;
}

export interface ConfigTarget {
  name: string;
  packageName?: string;
  line: number;
}

export interface UnspecifiedEndpoint {
  endpoint: string;
  line: number;
}

export interface StainlessConfig {
  file: string;
  text: string;
  /** The parsed document; edit only a clone (`document.clone()`). */
  document: Document;
  resources: ConfigResource[];
  /** Every method and model of every resource, in file order. */
  methods: ConfigMethod[];
  models: ConfigModel[];
  unspecifiedEndpoints: UnspecifiedEndpoint[];
  transformations: ConfigTransformation[];
  targets: ConfigTarget[];
  /** Lines of the top-level keys (1 when absent), for findings about the config as a whole. */
  lines: { resources: number; unspecifiedEndpoints?: number; transformations?: number };
}

const SCHEMA_REF = "#/components/schemas/";

/** `get /path` → {verb, path}; undefined when the text is not of that form. */
export function parseEndpoint(text: string): Endpoint | undefined {
  const match = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(text);
  if (!match) return undefined;
  const verb = match[1].toLowerCase();
  return HTTP_METHODS.includes(verb) ? { verb, path: match[2] } : undefined;
}

export function formatEndpoint(endpoint: Endpoint): string {
  return `${endpoint.verb} ${endpoint.path}`;
}

/**
 * Reads and parses a Stainless config file; errors name the file and line. `hint` says what to do
 * when it cannot be read (the caller knows which setting named it: config/input_hints.ts).
 */
export async function readStainlessConfig(
  path: string,
  hint = "Pass the openapi.stainless.yml path with --stainless-config (config `stainless_config`).",
): Promise<StainlessConfig> {
  const text = await readTextFile(path, "Stainless config", hint);
  return await parseStainlessConfig(text, path);
}

export async function parseStainlessConfig(text: string, file: string): Promise<StainlessConfig> {
  // Loaded on demand: most commands never read the Stainless config, and start-up time counts.
  // Through lib/core/yaml.ts: in the bundle, a dynamic import("yaml") has no named exports.
  const yaml = await import("../core/yaml.ts");
  const lineCounter = new yaml.LineCounter();
  const document = yaml.parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    const pos = error.linePos?.[0];
    throw usageError(
      `${pos ? `${file}:${pos.line}:${pos.col}` : file}: invalid YAML: ${
        error.message.split("\n")[0]
      }`,
      "Fix the YAML syntax of the Stainless config (indentation, quoting, `key: value` pairs).",
      error.message,
    );
  }
  return new ConfigReader(yaml, file, text, document, lineCounter).read();
}

type Entry = { key: string; line: number; value: Node | null };

/** Walks the YAML tree; every shape error names file:line and the key path. */
class ConfigReader {
  constructor(
    readonly yaml: typeof import("../core/yaml.ts"),
    readonly file: string,
    readonly text: string,
    readonly document: Document,
    readonly lineCounter: LineCounter,
  ) {}

  read(): StainlessConfig {
    const root = this.entries(this.document.contents as Node | null, "the top level", 1);
    const top = new Map(root.map((entry) => [entry.key, entry]));
    const resources = this.resources(top.get("resources"), ["resources"]);
    const flat = flatten(resources);
    const openapi = top.get("openapi");
    const transformations = this.transformations(openapi);
    const unspecified = top.get("unspecified_endpoints");
    return {
      file: this.file,
      text: this.text,
      document: this.document,
      resources,
      methods: flat.flatMap((resource) => resource.methods),
      models: flat.flatMap((resource) => resource.models),
      unspecifiedEndpoints: this.unspecified(unspecified),
      transformations: transformations.list,
      targets: this.targets(top.get("targets")),
      lines: {
        resources: top.get("resources")?.line ?? 1,
        unspecifiedEndpoints: unspecified?.line,
        transformations: transformations.line,
      },
    };
  }

  line(node: Node | Pair | null | undefined, fallback: number): number {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? this.lineCounter.linePos(range[0]).line : fallback;
  }

  /** Follows a YAML alias (`*ref_0`) to its anchored node. */
  deref(node: Node | null): Node | null {
    return node && this.yaml.isAlias(node) ? (node.resolve(this.document) ?? null) : node;
  }

  isEmpty(node: Node | null): boolean {
    return node === null || (this.yaml.isScalar(node) && node.value === null);
  }

  fail(line: number, message: string, hint: string): never {
    throw usageError(`${this.file}:${line}: ${message}`, hint);
  }

  /** The `key: value` pairs of a mapping (null = empty); anything else is an error. */
  entries(node: Node | null, where: string, line: number): Entry[] {
    const target = this.deref(node);
    if (this.isEmpty(target)) return [];
    if (!this.yaml.isMap(target)) {
      this.fail(
        line,
        `${where} must be a mapping of \`key: value\` lines`,
        "Write one `name: value` entry per line, indented under its key (not a `- item` list).",
      );
    }
    return target.items.map((pair) => {
      const key = pair.key as Node | null;
      const name = String(this.yaml.isScalar(key) ? key.value : key);
      return { key: name, line: this.line(key, line), value: pair.value as Node | null };
    });
  }

  /** The plain value of a node, aliases inside it resolved. */
  value(node: Node | null): unknown {
    const target = this.deref(node);
    return target === null ? null : target.toJS(this.document);
  }

  resources(entry: Entry | undefined, path: string[]): ConfigResource[] {
    if (!entry) return [];
    const where = path.join(".");
    return this.entries(entry.value, `\`${where}\``, entry.line).map((item) =>
      this.resource(item, [...path, item.key])
    );
  }

  resource(entry: Entry, yamlPath: string[]): ConfigResource {
    const resource = yamlPath.filter((_, i) => i % 2 === 1).join(".");
    const keys = new Map(
      this.entries(entry.value, `resource \`${resource}\``, entry.line).map((e) => [e.key, e]),
    );
    const methods = this.entries(
      keys.get("methods")?.value ?? null,
      `\`${resource}.methods\``,
      keys.get("methods")?.line ?? entry.line,
    ).map((method) => this.method(method, resource, yamlPath));
    const models = this.entries(
      keys.get("models")?.value ?? null,
      `\`${resource}.models\``,
      keys.get("models")?.line ?? entry.line,
    ).map((model) => this.model(model, resource, yamlPath));
    return {
      name: entry.key,
      resource,
      resourcePath: yamlPath,
      line: entry.line,
      methods,
      models,
      subresources: this.resources(keys.get("subresources"), [...yamlPath, "subresources"]),
    };
  }

  method(entry: Entry, resource: string, resourcePath: string[]): ConfigMethod {
    const where = `${resource}.methods.${entry.key}`;
    const value = this.value(entry.value);
    let endpoint: unknown = value;
    if (isRecord(value)) endpoint = value.endpoint;
    else if (typeof value !== "string") {
      this.fail(
        entry.line,
        `\`${where}\` must be an endpoint (\`post /path\`) or a mapping with \`endpoint:\``,
        "Write the method as `name: <verb> /path` or `name: {endpoint: <verb> /path, ...}`.",
      );
    }
    const method = { resource, resourcePath, name: entry.key, line: entry.line };
    if (endpoint === undefined || endpoint === null) return method; // e.g. `type: webhook_unwrap`
    return { ...method, endpoint: this.endpoint(endpoint, where, entry.line) };
  }

  endpoint(value: unknown, where: string, line: number): string {
    const parsed = typeof value === "string" ? parseEndpoint(value) : undefined;
    if (!parsed) {
      this.fail(
        line,
        `\`${where}\`: ${JSON.stringify(value)} is not an endpoint`,
        `Write it as "<verb> /path" with an HTTP verb (${
          HTTP_METHODS.join(", ")
        }), e.g. "post /call/start".`,
      );
    }
    return formatEndpoint(parsed);
  }

  model(entry: Entry, resource: string, resourcePath: string[]): ConfigModel {
    const value = this.value(entry.value);
    // A model is a schema name, a `#/components/schemas/...` reference, or `{type: <either>}`.
    const ref = isRecord(value) ? value.type : value;
    if (typeof ref !== "string" || ref === "") {
      this.fail(
        entry.line,
        `\`${resource}.models.${entry.key}\` must name a schema (\`Name\` or \`${SCHEMA_REF}Name\`)`,
        "Write the model as `model_name: SchemaName`.",
      );
    }
    const schema = ref.startsWith(SCHEMA_REF) ? ref.slice(SCHEMA_REF.length) : ref;
    return { resource, resourcePath, name: entry.key, schema, line: entry.line };
  }

  unspecified(entry: Entry | undefined): UnspecifiedEndpoint[] {
    const node = this.deref(entry?.value ?? null);
    if (!entry || this.isEmpty(node)) return [];
    if (!this.yaml.isSeq(node)) {
      this.fail(
        entry.line,
        "`unspecified_endpoints` must be a list of endpoints",
        'Write it as a list: `- "get /internal"`.',
      );
    }
    return (node.items as Node[]).map((item) => {
      const line = this.line(item, entry.line);
      return {
        endpoint: this.endpoint(this.value(item), "unspecified_endpoints", line),
        line,
      };
    });
  }

  transformations(openapi: Entry | undefined): { list: ConfigTransformation[]; line?: number } {
    if (!openapi) return { list: [] };
    const keys = new Map(
      this.entries(openapi.value, "`openapi`", openapi.line).map((e) => [
        e.key,
        e,
      ]),
    );
    const old = keys.get("transformations");
    const current = keys.get("transforms"); // the name in Stainless' newer docs
    if (old && current) {
      this.fail(
        current.line,
        "`openapi.transforms` and `openapi.transformations` are both set",
        "Keep one list (they are two names of the same setting).",
      );
    }
    const entry = old ?? current;
    const node = this.deref(entry?.value ?? null);
    if (!entry || this.isEmpty(node)) return { list: [], line: entry?.line };
    const where = `openapi.${entry.key}`;
    if (!this.yaml.isSeq(node)) {
      this.fail(entry.line, `\`${where}\` must be a list`, "Write each one as `- command: ...`.");
    }
    const list = (node.items as Node[]).map((item, index) => {
      const line = this.line(item, entry.line);
      const value = this.value(item);
      if (!isRecord(value) || typeof value.command !== "string") {
        this.fail(
          line,
          `\`${where}[${index}]\` must be a mapping with \`command:\` and \`args:\``,
          "Write it as `- command: update` with `args:` below it.",
        );
      }
      const args = value.args ?? {};
      if (!isRecord(args)) {
        this.fail(
          line,
          `\`${where}[${index}].args\` must be a mapping`,
          "Write the arguments as `key: value` lines under `args:` (e.g. `target:`).",
        );
      }
      const reason = typeof value.reason === "string" ? value.reason : undefined;
      return { index, command: value.command, reason, args, line };
    });
    return { list, line: entry.line };
  }

  targets(entry: Entry | undefined): ConfigTarget[] {
    if (!entry) return [];
    return this.entries(entry.value, "`targets`", entry.line).map((target) => {
      const value = this.value(target.value);
      const packageName = isRecord(value) && typeof value.package_name === "string"
        ? value.package_name
        : undefined;
      return { name: target.key, packageName, line: target.line };
    });
  }
}

function flatten(resources: ConfigResource[]): ConfigResource[] {
  return resources.flatMap((resource) => [resource, ...flatten(resource.subresources)]);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
