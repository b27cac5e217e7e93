/**
 * The Stainless config's `openapi.transformations`, applied locally to a copy of the spec, so that
 * local generators see the spec the hosted generator saw (the committed spec is never changed).
 *
 * Commands (Stainless "Transforms reference", stainless.com/docs/reference/transforms, and the
 * announcement "Stainless Transforms: the fast lane for fixing imperfect OpenAPI specs"):
 *   update, append, merge, remove, copy, move   the documented set;
 *   extractToRefs, mergeObject, renameKey       the older names Weave's config still uses.
 * Targets are JSONPath (JSONPath Plus, as Stainless uses) or `{matches_schema, ignore}`. A target
 * that matches nothing is reported in the outcome (lint warns about it); it does not stop the run,
 * as the hosted generator went on with such a config.
 */
import type { OpenApiDocument } from "../spec/openapi.ts";
import { usageError } from "../core/errors.ts";
import { closest } from "../core/suggest.ts";
import { type ConfigTransformation, isRecord } from "./stainless_config.ts";
import {
  deepMerge,
  destination,
  isDeepEqual,
  type Json,
  jsonPathSyntaxProblem,
  type Match,
  pointerSegments,
  renameKey,
  resolveTarget,
  writeAt,
} from "./json_nodes.ts";

export interface TransformOutcome {
  transformation: ConfigTransformation;
  /** How many nodes the transformation changed. */
  changed: number;
  /** Targets (as written in the config) that matched nothing. */
  unmatched: string[];
}

export interface TransformResult {
  spec: OpenApiDocument;
  outcomes: TransformOutcome[];
}

type Applied = Omit<TransformOutcome, "transformation">;
/**
 * A command reads and checks its arguments first (everything that needs no spec: names, types,
 * JSONPath syntax), then returns the edit of a document. `checkTransformations` runs only the
 * first part, so a config that cannot be applied to any spec is refused before a run writes one.
 */
type Command = (args: Args) => (doc: Json) => Promise<Applied>;

/** Reads one transformation's `args`; errors name the config file, line and argument. */
class Args {
  constructor(readonly t: ConfigTransformation, readonly file: string) {}

  fail(message: string): never {
    throw usageError(
      `${this.file}:${this.t.line}: transformation ${this.t.command}: ${message}`,
      "Fix this transformation in the Stainless config (Stainless' transforms reference gives " +
        "each command's arguments).",
    );
  }

  has(name: string): boolean {
    return this.t.args[name] !== undefined;
  }

  value(name: string): unknown {
    if (!(name in this.t.args)) this.fail(`\`args.${name}\` is missing`);
    return this.t.args[name];
  }

  record(name: string): Record<string, unknown> {
    const value = this.value(name);
    if (!isRecord(value)) this.fail(`\`args.${name}\` must be a mapping`);
    return value;
  }

  string(name: string, from: Record<string, unknown> = this.t.args): string {
    const value = from[name];
    if (typeof value !== "string" || value === "") this.fail(`\`args.${name}\` must be a string`);
    return value;
  }

  /** A JSONPath whose syntax is checked now (what it matches is known only with the spec). */
  path(path: string): string {
    const problem = jsonPathSyntaxProblem(path);
    if (problem) this.fail(`invalid JSONPath ${path}: ${problem}`);
    return path;
  }

  /** `target`: one JSONPath, a `{matches_schema}` selector, or a list of them. */
  targets(name = "target"): unknown[] {
    const value = this.value(name);
    const list = Array.isArray(value) ? value : [value];
    for (const item of list) {
      if (typeof item === "string") this.path(item);
      else if (isRecord(item) && typeof item.matches_schema === "string") {
        this.path(item.matches_schema);
        const ignored = [item.ignore ?? []].flat();
        if (ignored.some((path) => typeof path !== "string")) {
          this.fail("`ignore` must be a JSONPath or a list of them");
        }
        for (const path of ignored as string[]) this.path(path);
      } else {
        this.fail(`\`args.${name}\` must be a JSONPath, \`{matches_schema: ...}\`, or a list`);
      }
    }
    return list;
  }
}

function describe(target: unknown): string {
  return typeof target === "string" ? target : JSON.stringify(target);
}

/** Runs `each` on every node the targets match; counts changes and unmatched targets. */
async function eachMatch(
  doc: Json,
  args: Args,
  targets: unknown[],
  each: (match: Match) => boolean | void,
): Promise<Omit<TransformOutcome, "transformation">> {
  let changed = 0;
  const unmatched: string[] = [];
  for (const target of targets) {
    const matches = await resolveTarget(doc, target, (why) => args.fail(why));
    if (matches.length === 0) unmatched.push(describe(target));
    // Deepest and last first, so that removing array items keeps the other indexes valid.
    for (const match of matches.reverse()) if (each(match) !== false) changed++;
  }
  return { changed, unmatched };
}

/** Takes a matched node out of its parent (an array closes the gap). */
function detach(match: Match, args: Args): void {
  if (match.parent === null) args.fail("cannot remove or move the document root");
  if (Array.isArray(match.parent)) match.parent.splice(Number(match.key), 1);
  else delete (match.parent as Record<string, Json>)[match.key];
}

function replace(match: Match, value: Json, args: Args): void {
  if (match.parent === null) args.fail("cannot replace the document root");
  (match.parent as Record<string, Json>)[match.key] = value;
}

const COMMANDS: Record<string, Command> = {
  update: (args: Args) => {
    const value = args.value("value");
    const template = args.t.args.template === true;
    if (template && (typeof value !== "string" || !value.includes("{{value}}"))) {
      args.fail("with `template: true`, `args.value` must be a string containing {{value}}");
    }
    const targets = args.targets();
    return (doc) =>
      eachMatch(doc, args, targets, (match) => {
        if (!template) return replace(match, structuredClone(value as Json), args);
        if (typeof match.value !== "string") {
          args.fail(`with \`template: true\`, ${match.path} must be a string`);
        }
        replace(match, (value as string).replaceAll("{{value}}", match.value), args);
      });
  },

  append: (args: Args) => {
    const value = args.value("value");
    const targets = args.targets();
    return (doc) =>
      eachMatch(doc, args, targets, (match) => {
        if (Array.isArray(match.value)) {
          match.value.push(...structuredClone(Array.isArray(value) ? value : [value]) as Json[]);
          return;
        }
        if (!isRecord(match.value) || !isRecord(value)) {
          args.fail(
            `${match.path} is not an array, or \`args.value\` and it are not both mappings`,
          );
        }
        for (const [key, item] of Object.entries(value)) {
          if (key in match.value) args.fail(`${match.path} already has \`${key}\``);
          match.value[key] = structuredClone(item);
        }
      });
  },

  merge: (args: Args) => merge(args, "value"),

  remove: (args: Args) => {
    const keys = args.has("keys") ? args.value("keys") : undefined;
    if (keys !== undefined && !(Array.isArray(keys) && keys.every((k) => typeof k === "string"))) {
      args.fail("`args.keys` must be a list of key names");
    }
    const targets = args.targets();
    return (doc) =>
      eachMatch(doc, args, targets, (match) => {
        if (keys === undefined) return detach(match, args);
        if (!isRecord(match.value)) args.fail(`${match.path} is not a mapping`);
        const present = (keys as string[]).filter((key) => key in (match.value as object));
        for (const key of present) delete (match.value as Record<string, Json>)[key];
        return present.length > 0;
      });
  },

  copy: (args: Args) => copyOrMove(args, false),
  move: (args: Args) => copyOrMove(args, true),

  extractToRefs: (args: Args) => {
    const ref = args.record("ref");
    const name = args.string("name", ref);
    const segments = pointerSegments(name);
    if (!segments || segments[0] !== "components" || segments.length !== 3) {
      args.fail(`\`args.ref.name\` must be a reference like "#/components/schemas/Name"`);
    }
    const target = args.path(args.string("target", ref));
    return (doc) => {
      let extracted: Json | undefined;
      return eachMatch(doc, args, [target], (match) => {
        if (extracted === undefined) {
          extracted = structuredClone(match.value);
          const place = destination(doc, segments);
          if (place === undefined) args.fail(`cannot create ${name}`);
          if (place.key in place.parent && !isDeepEqual(place.parent[place.key], extracted)) {
            args.fail(`${name} already exists with another schema`);
          }
          place.parent[place.key] = extracted;
        }
        replace(match, { $ref: name }, args);
      });
    };
  },

  mergeObject: (args: Args) => merge(args, "object"),

  renameKey: (args: Args) => {
    const to = args.string("to");
    const targets = args.targets();
    return (doc) =>
      eachMatch(doc, args, targets, (match) => {
        if (!isRecord(match.parent)) args.fail(`${match.path} is not a key of a mapping`);
        if (to in match.parent && match.key !== to) args.fail(`${match.path}: \`${to}\` exists`);
        renameKey(match.parent, match.key, to);
      });
  },
};

/** The commands this tool applies: Stainless' documented set, then the older names. */
export const TRANSFORMATION_COMMANDS: readonly string[] = Object.keys(COMMANDS);

function merge(args: Args, name: "value" | "object") {
  const value = args.value(name);
  if (!isRecord(value)) args.fail(`\`args.${name}\` must be a mapping`);
  const targets = args.targets();
  return (doc: Json) =>
    eachMatch(doc, args, targets, (match) => {
      if (!isRecord(match.value)) args.fail(`${match.path} is not a mapping`);
      deepMerge(match.value, value);
    });
}

function copyOrMove(args: Args, move: boolean) {
  const from = args.path(args.string("from"));
  const to = args.value("to");
  const destinations = Array.isArray(to) ? to : [to];
  if (destinations.length === 0 || destinations.some((d) => typeof d !== "string")) {
    args.fail("`args.to` must be a JSONPath or a list of them");
  }
  if (move && destinations.length !== 1) args.fail("`args.to` must be one JSONPath for move");
  for (const path of destinations as string[]) args.path(path);
  return async (doc: Json): Promise<Applied> => {
    const sources = await resolveTarget(doc, from, (why) => args.fail(why));
    if (sources.length === 0) return { changed: 0, unmatched: [from] };
    if (sources.length > 1) args.fail(`\`args.from\` matches ${sources.length} nodes, not one`);
    const [source] = sources;
    const unmatched: string[] = [];
    let changed = 0;
    for (const path of destinations as string[]) {
      if (writeAt(doc, path, structuredClone(source.value), (why) => args.fail(why))) changed++;
      else unmatched.push(path);
    }
    if (move && changed > 0) detach(source, args);
    return { changed, unmatched };
  };
}

/**
 * One transformation's command and arguments, checked: its edit of a document. Throws (naming the
 * config line and the command, with the closest known command) when it cannot be applied to any
 * spec.
 */
function parseTransformation(
  transformation: ConfigTransformation,
  file: string,
): (doc: Json) => Promise<Applied> {
  const command = Object.hasOwn(COMMANDS, transformation.command)
    ? COMMANDS[transformation.command]
    : undefined;
  if (!command) {
    const suggestion = closest(transformation.command, TRANSFORMATION_COMMANDS);
    throw usageError(
      `${file}:${transformation.line}: unknown transformation command \`${transformation.command}\`${
        suggestion ? ` (did you mean \`${suggestion}\`?)` : ""
      }`,
      `Supported commands: ${TRANSFORMATION_COMMANDS.join(", ")}.`,
    );
  }
  return command(new Args(transformation, file));
}

/**
 * Checks every transformation's command and arguments without a spec (what they match needs the
 * spec, and is left to the run): throws the first that no spec could take.
 */
export function checkTransformations(
  transformations: readonly ConfigTransformation[],
  file: string,
): void {
  for (const transformation of transformations) parseTransformation(transformation, file);
}

/** Applies one transformation to `doc` in place (callers pass a copy). */
export async function applyTransformation(
  doc: Json,
  transformation: ConfigTransformation,
  file: string,
): Promise<TransformOutcome> {
  return { transformation, ...await parseTransformation(transformation, file)(doc) };
}

/** Applies every transformation, in order, to a copy of `spec`; `spec` itself is not changed. */
export async function applyTransformations(
  spec: OpenApiDocument,
  transformations: readonly ConfigTransformation[],
  file: string,
): Promise<TransformResult> {
  const doc = structuredClone(spec);
  const outcomes: TransformOutcome[] = [];
  for (const transformation of transformations) {
    outcomes.push(await applyTransformation(doc, transformation, file));
  }
  return { spec: doc, outcomes };
}
