/**
 * The public API of a generated Python SDK, as lib/sdk_api/extract.py reads it from the source.
 * Lists are sorted by name (parameters keep their declaration order: it matters for positional
 * ones), so two extractions of the same tree are byte-identical JSON.
 */

/** Where the package is and which generator's shape it has (detected, never configured). */
export type SdkLayout =
  /** Hosted Stainless: src/<pkg>/_client.py, src/<pkg>/resources/, src/<pkg>/types/. */
  | "stainless"
  /** stainful: the same shape with the package at <pkg>/ (no src/). */
  | "stainful"
  /** openapi-python-client: <pkg>/client.py, <pkg>/api/<tag>/<operation>.py, <pkg>/models/. */
  | "openapi-python-client";

export const SDK_LAYOUTS: readonly SdkLayout[] = ["stainless", "stainful", "openapi-python-client"];

export interface SdkParam {
  name: string;
  /** positional: can be passed by position (or name); keyword: keyword-only; var-*: *args/**kwargs. */
  kind: "positional" | "keyword" | "var-positional" | "var-keyword";
  /** No default value. */
  required: boolean;
  /** The annotation's source text (`Optional[str] | Omit`), or null when there is none. */
  annotation: string | null;
}

export interface SdkMethod {
  /** `start` for `client.calls.start(...)`; the operation module name for openapi-python-client. */
  name: string;
  /** Exists on the sync resource class (openapi-python-client: a `sync`/`sync_detailed` function). */
  sync: boolean;
  /** Exists on the async resource class (openapi-python-client: `asyncio`/`asyncio_detailed`). */
  async: boolean;
  /**
   * Without `self`, the per-request options every Stainless-style method has (`extra_headers`,
   * `extra_query`, `extra_body`, `timeout`) and openapi-python-client's `client` argument.
   */
  params: SdkParam[];
  returns: string | null;
}

export interface SdkResource {
  /**
   * Stainless/stainful: the module under resources/ (`calls`; `calls.batch` for a subresource in
   * resources/calls/batch.py). openapi-python-client: the tag folder under api/ (`calls`).
   */
  name: string;
  methods: SdkMethod[];
}

export interface SdkClient {
  name: string;
  /** openapi-python-client has client classes that serve both sync and async functions. */
  kind: "sync" | "async" | "sync+async";
  /**
   * Parameters of the class's own `__init__` (auth and client options: `username`, `password`,
   * `base_url`...), or null when it has none in the source (openapi-python-client's attrs classes).
   */
  params: SdkParam[] | null;
}

export interface SdkApi {
  layout: SdkLayout;
  /** Import name of the package (`weave_server_sdk`). */
  package: string;
  /** The package directory relative to the tree's root (`src/weave_server_sdk`). */
  packageDir: string;
  clients: SdkClient[];
  resources: SdkResource[];
  /** Names exported by <pkg>/types/__init__.py (openapi-python-client: <pkg>/models/). */
  types: string[];
}

/** Counts for summaries and measurements. */
export function countSdkApi(api: SdkApi): { resources: number; methods: number; types: number } {
  return {
    resources: api.resources.length,
    methods: api.resources.reduce((sum, resource) => sum + resource.methods.length, 0),
    types: api.types.length,
  };
}

/** `calls.start` for every method, sorted. */
export function methodNames(api: SdkApi): string[] {
  return api.resources.flatMap((r) => r.methods.map((m) => `${r.name}.${m.name}`)).sort();
}
