/**
 * The origin stamp `.codegen/origin.json`: what a generated tree was generated from. Every
 * generation writes it into the tree it commits on local `main` (so the mirror branch carries it
 * too); `all`/`generate_code` compare it to skip an unchanged generation, `codegen check` to find
 * drift.
 *
 * It extends the stamp the Weave repository writes for its vendored SDK: the top-level keys are
 * the repo-relative paths of the spec and the Stainless config with `"sha256:<hex>"` of their
 * exact bytes (null for a config that does not exist), plus a `codegen` object:
 *
 *   stamp_version         1
 *   target                python | node | typescript
 *   generator             name, as in `--generator`
 *   generator_version     what the generator says (`--version`); hosted: the project and branch
 *   generator_command     the argv template of a local generator (null for the hosted one)
 *   generator_config      sha256 of the effective generator config (the preset's or the user's)
 *   package_name          the package a local generator is told to write
 *   post_generate         the post_generate hooks run in the generated tree (argv templates, in
 *                         order); null for a generator that runs none (hosted)
 *   preserve              the paths kept from main instead of generated (clean, sorted); absent
 *                         when none, so that a generation without `preserve` has the key it had
 *                         before the field existed. The tree hash leaves them out
 *   endpoint_groups       the endpoint group selection (null: the whole spec)
 *   codegen_version       this tool's version (deno.json)
 *   configured_endpoints  methods the Stainless config maps to an endpoint (like `.stats.yml`)
 *   inputs                sha256 over everything above (canonical JSON): the skip key
 *   tree                  sha256 over the committed tree without the stamp (tree.ts): "intact"
 *
 * Only inputs, never the time or the trace commit: the same inputs give the same bytes, so a
 * regeneration from the same inputs gives the same tree. The trace commit goes into the mirror
 * commit's trailers instead. Bytes: fixed key order, 2-space JSON, a trailing newline.
 *
 * Beside it, `.codegen/openapi.json` holds the exact bytes of the spec the tree was generated from
 * (the committed file, not a generator's transformed copy), so that a pull request or a release
 * can tell what changed in the API between two SDK commits without the trace repository. Its
 * sha256 is the stamp's spec hash.
 */
import { CodegenError } from "../core/errors.ts";
import { sha256Hex } from "../core/sha256.ts";
import type { GroupSelection } from "../inputs/groups.ts";

/** Where the stamp lives in every generated tree. */
export const STAMP_PATH = ".codegen/origin.json";
/** The spec the tree was generated from, beside the stamp (its exact bytes). */
export const SPEC_COPY_PATH = ".codegen/openapi.json";
export const STAMP_VERSION = 1;

/** A `"sha256:<hex>"` value. */
export type Sha256Ref = `sha256:${string}`;

/** The generator part of the stamp (asked from the generator backend). */
export interface GeneratorIdentity {
  generator: string;
  generator_version: string | null;
  generator_command: string[] | null;
  generator_config: Sha256Ref | null;
  package_name: string | null;
  /** The post_generate hooks it runs in the generated tree (argv templates); null: none can run. */
  post_generate: string[][] | null;
  /**
   * The paths a generation keeps from main (`preserve`, cleaned and sorted); absent when none
   * (not `[]`: an absent field leaves the inputs key as it was before the field existed).
   */
  preserve?: string[];
}

/** The `codegen` object without its two derived fields. */
export interface StampFields extends GeneratorIdentity {
  stamp_version: number;
  target: string;
  endpoint_groups: GroupSelection | null;
  codegen_version: string;
  configured_endpoints: number | null;
}

/** Everything a generation is made from: the two files and the fields. */
export interface StampInputs {
  /** Repo-relative path of the spec (the stamp's first key) and the sha256 of its bytes. */
  spec: { path: string; sha256: Sha256Ref };
  /** Repo-relative path of the Stainless config; sha256 null when there is no such file. */
  config: { path: string; sha256: Sha256Ref | null };
  fields: StampFields;
}

export interface CodegenStamp extends StampFields {
  inputs: Sha256Ref;
  tree: Sha256Ref;
}

/** A stamp as read back: the file hashes by path, and the codegen object. */
export interface OriginStamp {
  files: Record<string, Sha256Ref | null>;
  codegen: CodegenStamp;
}

/** Field order of the `codegen` object in the file. */
const FIELD_ORDER: (keyof CodegenStamp)[] = [
  "stamp_version",
  "target",
  "generator",
  "generator_version",
  "generator_command",
  "generator_config",
  "package_name",
  "post_generate",
  "preserve",
  "endpoint_groups",
  "codegen_version",
  "configured_endpoints",
  "inputs",
  "tree",
];

export async function sha256Ref(data: string | Uint8Array<ArrayBuffer>): Promise<Sha256Ref> {
  return `sha256:${await sha256Hex(data)}`;
}

/**
 * JSON with object keys sorted (by UTF-16 code units) and no whitespace: equal values give equal
 * text whatever order their keys were built in. Arrays keep their order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${
    entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")
  }}`;
}

/** The skip key: sha256 over the canonical JSON of the file hashes and every field. */
export async function inputsKey(inputs: StampInputs): Promise<Sha256Ref> {
  return await sha256Ref(canonicalJson({
    files: { [inputs.spec.path]: inputs.spec.sha256, [inputs.config.path]: inputs.config.sha256 },
    codegen: inputs.fields,
  }));
}

/** The stamp's bytes for `inputs` and the tree hash of the files beside it. */
export async function renderStamp(inputs: StampInputs, tree: Sha256Ref): Promise<string> {
  const codegen: CodegenStamp = { ...inputs.fields, inputs: await inputsKey(inputs), tree };
  const ordered = Object.fromEntries(FIELD_ORDER.map((key) => [key, codegen[key]]));
  const stamp = {
    [inputs.spec.path]: inputs.spec.sha256,
    [inputs.config.path]: inputs.config.sha256,
    codegen: ordered,
  };
  return JSON.stringify(stamp, null, 2) + "\n";
}

const SHA256_REF = /^sha256:[0-9a-f]{64}$/;

function isSha256Ref(value: unknown): value is Sha256Ref {
  return typeof value === "string" && SHA256_REF.test(value);
}

/**
 * Reads a stamp's text; `where` names it in errors ("main:.codegen/origin.json of <clone>"). A
 * stamp that is not JSON or lacks the `codegen` object, its `inputs` or its `tree` is an error.
 */
export function parseStamp(text: string, where: string): OriginStamp {
  const fail = (why: string) =>
    new CodegenError(`${where} is not a codegen origin stamp: ${why}`, {
      hint:
        `It is written by codegen on every generation; regenerate (--regenerate) to replace it.`,
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw fail(`not JSON (${error.message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw fail("not a JSON object");
  }
  const { codegen, ...rest } = parsed as Record<string, unknown>;
  if (typeof codegen !== "object" || codegen === null || Array.isArray(codegen)) {
    throw fail("no `codegen` object");
  }
  const fields = codegen as Record<string, unknown>;
  if (!isSha256Ref(fields.inputs)) throw fail("no `codegen.inputs` sha256");
  if (!isSha256Ref(fields.tree)) throw fail("no `codegen.tree` sha256");
  const { preserve } = fields;
  if (
    preserve !== undefined &&
    !(Array.isArray(preserve) && preserve.every((path) => typeof path === "string"))
  ) {
    throw fail("`codegen.preserve` is not a list of paths");
  }
  const files: OriginStamp["files"] = {};
  for (const [key, value] of Object.entries(rest)) {
    // Weave's own stamps also carry e.g. `core_commit`: only file hashes are kept here.
    if (value === null || isSha256Ref(value)) files[key] = value;
  }
  return { files, codegen: fields as unknown as CodegenStamp };
}
