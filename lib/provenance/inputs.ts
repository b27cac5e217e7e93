/**
 * The stamp's inputs for one generation: the spec and config bytes as they are on disk now, the
 * generator's identity (from its backend), the endpoint groups, this tool's version and the
 * number of endpoints the Stainless config maps.
 *
 * New inputs of a generation (anything that changes the generated tree for the same files) belong
 * in `StampFields` (stamp.ts) and here, so that the skip key changes with them.
 */
import denoJson from "../../deno.json" with { type: "json" };
import { CodegenError, messageOf } from "../core/errors.ts";
import { exists } from "../core/fs.ts";
import { log } from "../core/log.ts";
import { relative } from "../core/paths.ts";
import type { GroupSelection } from "../inputs/groups.ts";
import { readStainlessConfig } from "../inputs/stainless_config.ts";
import { type GeneratorIdentity, sha256Ref, STAMP_VERSION, type StampInputs } from "./stamp.ts";

export const CODEGEN_VERSION: string = denoJson.version;

/** The sha256 of each input file, by repo-relative path, read once per call. */
export interface FileHashes {
  spec: StampInputs["spec"];
  config: StampInputs["config"];
  configuredEndpoints: number | null;
}

/** A path as the stamp names it: relative to the trace repository. */
export function stampPath(repoRoot: string, path: string): string {
  return relative(repoRoot, path);
}

/** The config part of FileHashes: its sha256 (null when missing) and its endpoints. */
export type ConfigHashes = Pick<FileHashes, "config" | "configuredEndpoints">;

/** Hashes the Stainless config (which may not exist) and counts its endpoints. */
export async function hashConfigFile(repoRoot: string, configPath: string): Promise<ConfigHashes> {
  const path = stampPath(repoRoot, configPath);
  if (!(await exists(configPath))) {
    return { config: { path, sha256: null }, configuredEndpoints: null };
  }
  return {
    config: { path, sha256: await sha256Ref(await Deno.readFile(configPath)) },
    configuredEndpoints: await configuredEndpoints(configPath),
  };
}

/** Hashes the spec (which must exist). */
export async function hashSpecFile(
  repoRoot: string,
  specPath: string,
): Promise<FileHashes["spec"]> {
  return {
    path: stampPath(repoRoot, specPath),
    sha256: await sha256Ref(await Deno.readFile(specPath)),
  };
}

/**
 * Methods of the Stainless config that name an endpoint (Stainless' `configured_endpoints`);
 * null when the config cannot be read (its hash is in the stamp all the same).
 */
export async function configuredEndpoints(configPath: string): Promise<number | null> {
  try {
    const config = await readStainlessConfig(configPath);
    return config.methods.filter((method) => method.endpoint !== undefined).length;
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    log.verbose(`configured endpoints not counted: ${messageOf(error)}`);
    return null;
  }
}

/** The stamp inputs of one target. */
export function stampInputs(
  hashes: FileHashes,
  target: string,
  identity: GeneratorIdentity,
  groups: GroupSelection | null = null,
): StampInputs {
  return {
    spec: hashes.spec,
    config: hashes.config,
    fields: {
      stamp_version: STAMP_VERSION,
      target,
      ...identity,
      endpoint_groups: groups,
      codegen_version: CODEGEN_VERSION,
      configured_endpoints: hashes.configuredEndpoints,
    },
  };
}
