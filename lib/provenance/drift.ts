/**
 * `codegen check`, the CI drift gate: is everything derived from the server's API in sync with it?
 *
 *   spec      the server's spec (fetched like get_openapi_spec, never written) has exactly the
 *             bytes of the saved spec; otherwise the operations that differ (spec diff), or "bytes
 *             only"
 *   pinned    the SDK commit the trace repository pins, and
 *   main      the SDK clone's local main (the gate only when there is no pin to check):
 *             commit_check.ts
 *   vendored  each vendored copy: vendored_check.ts
 *
 * The SDKs are compared with the **current inputs** of their target, as a generation would make
 * them now (the caller gives each target's generator identity, lib/generate/current_identity.ts:
 * generator, version, argv, generator config, package name, hooks, preserve; and the groups), with
 * the server's spec as the spec: the whole inputs key, each input that differs named. Nothing is
 * written anywhere (a fetched commit only adds objects to the clone).
 */
import { sha256Hex } from "../core/sha256.ts";
import { exists, readTextFile } from "../core/fs.ts";
import { short } from "../git/git.ts";
import type { GroupSelection } from "../inputs/groups.ts";
import { diffSpecs, type SpecDiff } from "../spec/diff.ts";
import { fetchSpec, type GetSpecOptions } from "../spec/get_spec.ts";
import { parseSpec } from "../spec/spec_input.ts";
import { checkSdk, type CommitCheck, type SdkCheckInput } from "./commit_check.ts";
import { hashConfigFile, stampInputs, stampPath } from "./inputs.ts";
import type { GeneratorIdentity, Sha256Ref, StampInputs } from "./stamp.ts";
import { checkVendored, type VendoredCheck, type VendoredCheckInput } from "./vendored_check.ts";

export interface DriftCheckInput {
  /** Where the spec comes from; `outputFile` is the saved spec (read, never written). */
  spec: GetSpecOptions;
  configPath: string;
  /** The targets with an SDK clone (none: only the spec and vendored copies are checked). */
  sdks?: (SdkCheckInput & CurrentGenerator)[];
  /** The vendored copies. */
  vendored?: (VendoredCheckInput & CurrentGenerator)[];
  /** The endpoint groups a generation would select now (null: the whole spec). */
  groups: GroupSelection | null;
  env?: Record<string, string | undefined>;
}

/** Who would generate a target now (Generator.identity), for its current stamp inputs. */
export interface CurrentGenerator {
  identity: GeneratorIdentity;
}

export interface DriftReport {
  ok: boolean;
  /** One line per drift found (what makes `ok` false). */
  problems: string[];
  spec: {
    path: string;
    status: "in sync" | "differs" | "missing";
    saved_sha256?: string;
    server_sha256: string;
    operations: number;
    /** When it differs: the saved spec (before) against the server's (after). */
    diff?: SpecDiff;
    /** It differs, but no operation does. */
    bytes_only?: boolean;
  };
  config: { path: string; sha256: Sha256Ref | null };
  sdk: CommitCheck[];
  vendored: VendoredCheck[];
}

export async function checkDrift(input: DriftCheckInput): Promise<DriftReport> {
  const { repoRoot, outputFile } = input.spec;
  const server = await fetchSpec(input.spec);
  const problems: string[] = [];
  const specRel = stampPath(repoRoot, outputFile);
  const spec: DriftReport["spec"] = {
    path: specRel,
    status: "in sync",
    server_sha256: server.summary.sha256,
    operations: server.summary.operations,
  };
  if (!(await exists(outputFile))) {
    spec.status = "missing";
    problems.push(`${specRel} does not exist: run \`codegen get_openapi_spec\` and commit it`);
  } else {
    const saved = await readTextFile(outputFile, "OpenAPI spec");
    spec.saved_sha256 = await sha256Hex(saved);
    if (saved !== server.text) {
      spec.status = "differs";
      const diff = await diffSpecs(parseSpec(saved, specRel), server.document, {
        before: specRel,
        after: "the server's spec",
      });
      spec.diff = diff;
      const operations = diff.counts.added + diff.counts.removed + diff.counts.changed;
      spec.bytes_only = operations === 0;
      problems.push(
        operations > 0
          ? `${specRel} is not the server's spec: ${operationNames(diff).join(", ")}`
          : `${specRel} differs from the server's spec in its bytes, but no operation differs (${
            diff.other.length
              ? `${diff.other.length} change(s) outside operations`
              : "formatting, key order or number forms"
          }): save the server's spec again`,
      );
    }
  }
  const hashes = {
    spec: { path: specRel, sha256: `sha256:${server.summary.sha256}` as Sha256Ref },
    ...await hashConfigFile(repoRoot, input.configPath),
  };
  const currentOf = (target: string, identity: GeneratorIdentity): StampInputs =>
    stampInputs(hashes, target, identity, input.groups);
  const sdk: CommitCheck[] = [];
  for (const one of input.sdks ?? []) {
    const current = currentOf(one.target, one.identity);
    sdk.push(...await checkSdk(one, current, input.env ?? Deno.env.toObject()));
  }
  for (const check of sdk) {
    const which = check.target === "python" ? "" : `${check.target} `;
    if (check.status === "differs" && check.role === "gate") {
      problems.push(`${which}${check.name} SDK: ${check.detail}`);
    } else if (check.commit_on_remote === false) {
      // Not "differs" (no stamp: main is checked instead), yet nothing can install the pin.
      problems.push(
        `${which}${check.name} SDK: pinned commit ${short(check.commit)} is not on the pin's ` +
          `remote (pushed nowhere): nothing can install it`,
      );
    }
  }
  const vendored: VendoredCheck[] = [];
  for (const copy of input.vendored ?? []) {
    const check = await checkVendored(repoRoot, copy, currentOf(copy.target, copy.identity));
    if (check.status === "differs") problems.push(...check.details);
    vendored.push(check);
  }
  return { ok: problems.length === 0, problems, spec, config: hashes.config, sdk, vendored };
}

/** "+ POST /x", "- GET /y", "~ DELETE /z": the operations a diff names. */
function operationNames(diff: SpecDiff): string[] {
  return [
    ...diff.added.map((op) => `+ ${op}`),
    ...diff.removed.map((op) => `- ${op}`),
    ...diff.changed.map((c) => `~ ${c.operation}`),
  ];
}
