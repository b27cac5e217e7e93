/**
 * `codegen check`, the CI drift gate: is everything derived from the server's API in sync with it?
 *
 *   spec    the server's spec (fetched like get_openapi_spec, never written) has exactly the bytes
 *           of the saved spec; otherwise the operations that differ (spec diff), or "bytes only"
 *   pinned  the SDK commit pyproject.toml pins (`git+<url>@<sha>`, read from the SDK clone,
 *           fetched into it when missing, without touching its work tree) carries a stamp whose
 *           spec and config hashes are those of the current spec and config, and whose files are
 *           intact. A `==version` pin names no commit: its tag (`v<version>` or `<version>`) in
 *           the clone is checked when there is one; otherwise it cannot be checked (said so)
 *   main    the same for the SDK clone's local `main`
 *   (pinned and main for every target with a clone: a TypeScript SDK's pin is read from its
 *   package.json, `git+<url>#<sha>`)
 *   vendored  each vendored copy (`<vendor_dir>.origin.json`): its files are the ones its stamp
 *           lists (a hand edit, an added or a removed file is named), and the stamp's spec and
 *           config hashes and endpoint groups are the current ones. A stamp codegen did not write
 *           (Weave's own, without `codegen.vendor`) lists no files: the copy cannot be checked,
 *           which is said (not a failure) unless its input hashes differ (stale: a failure)
 *
 * A commit without a stamp (generated before stamps existed), and a pinned commit that cannot be
 * fetched (no read access), cannot be checked: a note, not a failure. Nothing is written anywhere
 * (a fetched commit only adds objects to the clone).
 */
import { CodegenError, messageOf } from "../core/errors.ts";
import { sha256Hex } from "../core/sha256.ts";
import { stripUrlCredentials } from "../core/redact.ts";
import { exists, readTextFile } from "../core/fs.ts";
import { resolveCommit, short, tokenForRemote } from "../git/git.ts";
import { fetchCommit, MAIN_REF } from "../git/main_branch.ts";
import { type PinnedSdk, readPinnedPackage, readPinnedSdk } from "../pin/read_pin.ts";
import type { GroupSelection } from "../inputs/groups.ts";
import { checkVendoredCopy, describeVendorCheck } from "../vendor/check.ts";
import { diffSpecs, type SpecDiff } from "../spec/diff.ts";
import { fetchSpec, type GetSpecOptions } from "../spec/get_spec.ts";
import { parseSpec } from "../spec/spec_input.ts";
import { stampPath } from "./inputs.ts";
import { type Sha256Ref, sha256Ref, STAMP_PATH } from "./stamp.ts";
import { generatedTreeHash } from "./tree.ts";
import { readStampAt } from "./up_to_date.ts";

export interface DriftCheckInput {
  /** Where the spec comes from; `outputFile` is the saved spec (read, never written). */
  spec: GetSpecOptions;
  configPath: string;
  /** The targets with an SDK clone (none: only the spec and vendored copies are checked). */
  sdks?: SdkCheckInput[];
  /** The vendored copies. */
  vendored?: VendoredCheckInput[];
  env?: Record<string, string | undefined>;
}

export interface SdkCheckInput {
  /** "python", "typescript". */
  target: string;
  clone: string;
  /** Where its pin is read from; none: only main is checked. */
  pin:
    | { kind: "pyproject"; pyprojectPath: string; packageName?: string; extra: string }
    | { kind: "package_json"; packageJsonPath: string; packageName?: string }
    | { kind: "none" };
  /** Paths the tree hash leaves out (`preserve` of local generators). */
  kept: readonly string[];
}

export interface VendoredCheckInput {
  target: string;
  /** Relative to the trace repository. */
  vendorDir: string;
  /** The endpoint groups of a run now (null: the whole spec), against the stamp's. */
  groups: GroupSelection | null;
}

/** A vendored copy against its stamp and the current inputs. */
export interface VendoredCheck {
  target: string;
  vendor_dir: string;
  status: StampStatus;
  /** One line per problem (hand edits, stale inputs), or what was found. */
  details: string[];
}

export type StampStatus = "in sync" | "differs" | "no stamp" | "not checked";

export interface CommitCheck {
  /** The target ("python", "typescript"). */
  target: string;
  /** What was checked: "pinned" (the trace repository's pin) or "main". */
  name: "pinned" | "main";
  status: StampStatus;
  commit?: string;
  /** The pin as written (pinned only). */
  entry?: string;
  /** One line: what was found. */
  detail: string;
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
  const config: DriftReport["config"] = {
    path: stampPath(repoRoot, input.configPath),
    sha256: (await exists(input.configPath))
      ? await sha256Ref(await Deno.readFile(input.configPath))
      : null,
  };
  const expected: Record<string, Sha256Ref | null> = {
    [specRel]: `sha256:${server.summary.sha256}`,
    [config.path]: config.sha256,
  };
  const sdk: CommitCheck[] = [];
  for (const one of input.sdks ?? []) {
    sdk.push(...await checkSdk(one, expected, input.env ?? Deno.env.toObject()));
  }
  for (const check of sdk) {
    const which = check.target === "python" ? "" : `${check.target} `;
    if (check.status === "differs") problems.push(`${which}${check.name} SDK: ${check.detail}`);
  }
  const vendored: VendoredCheck[] = [];
  for (const copy of input.vendored ?? []) {
    const check = await checkVendored(repoRoot, copy, expected);
    if (check.status === "differs") problems.push(...check.details);
    vendored.push(check);
  }
  return { ok: problems.length === 0, problems, spec, config, sdk, vendored };
}

/** A vendored copy (see the module comment). */
async function checkVendored(
  repoRoot: string,
  copy: VendoredCheckInput,
  expected: Expected,
): Promise<VendoredCheck> {
  const inputs = Object.fromEntries(
    Object.entries(expected).filter((entry): entry is [string, Sha256Ref] => entry[1] !== null),
  );
  const check = await checkVendoredCopy({
    repoRoot,
    vendorDir: copy.vendorDir,
    inputs,
    codegen: { endpoint_groups: copy.groups as unknown as null },
  });
  const base = { target: copy.target, vendor_dir: copy.vendorDir };
  const details = describeVendorCheck(check, repoRoot);
  if (check.inSync) {
    return {
      ...base,
      status: "in sync",
      details: [`${copy.vendorDir} was vendored from the current spec and config; files intact`],
    };
  }
  if (check.stamp === "foreign" && check.inputs.length === 0) {
    return {
      ...base,
      status: "not checked",
      details: [
        `${copy.vendorDir}: its stamp (not written by codegen) lists no files, so they cannot be ` +
        "checked; its input hashes are current. `codegen vendor` replaces it with one that does",
      ],
    };
  }
  return { ...base, status: "differs", details };
}

/** "+ POST /x", "- GET /y", "~ DELETE /z": the operations a diff names. */
function operationNames(diff: SpecDiff): string[] {
  return [
    ...diff.added.map((op) => `+ ${op}`),
    ...diff.removed.map((op) => `- ${op}`),
    ...diff.changed.map((c) => `~ ${c.operation}`),
  ];
}

type Expected = Record<string, Sha256Ref | null>;

async function checkSdk(
  sdk: SdkCheckInput,
  expected: Expected,
  env: Record<string, string | undefined>,
): Promise<CommitCheck[]> {
  const checks: CommitCheck[] = [];
  const { target } = sdk;
  if (sdk.pin.kind !== "none" && sdk.pin.packageName) {
    checks.push({ target, ...await checkPinned(sdk, expected, env) });
  }
  const main = await resolveCommit(sdk.clone, MAIN_REF);
  checks.push(
    main
      ? {
        target,
        name: "main",
        commit: main,
        ...await checkCommit(sdk.clone, main, expected, sdk.kept),
      }
      : { target, name: "main", status: "not checked", detail: `${sdk.clone} has no local main` },
  );
  return checks;
}

/** The pin as the trace repository writes it; a "not checked" detail when there is none. */
async function readPin(sdk: SdkCheckInput): Promise<PinnedSdk | string> {
  const { pin } = sdk;
  if (pin.kind === "pyproject") {
    return await readPinnedSdk(pin.pyprojectPath, pin.packageName!, pin.extra) ??
      `pyproject.toml has no ${pin.packageName} entry in [project.optional-dependencies].${pin.extra}`;
  }
  if (pin.kind === "package_json") {
    return await readPinnedPackage(pin.packageJsonPath, pin.packageName!) ??
      `${pin.packageJsonPath} does not depend on ${pin.packageName}`;
  }
  return "not pinned";
}

async function checkPinned(
  sdk: SdkCheckInput,
  expected: Expected,
  env: Record<string, string | undefined>,
): Promise<Omit<CommitCheck, "target">> {
  const pin = await readPin(sdk);
  if (typeof pin === "string") return { name: "pinned", status: "not checked", detail: pin };
  const base = { name: "pinned" as const, entry: pin.entry };
  if (pin.kind === "other") {
    return {
      ...base,
      status: "not checked",
      detail: "the pin names neither a commit nor a version",
    };
  }
  if (pin.kind === "version") {
    const tagged = await taggedCommit(sdk.clone, pin.version);
    if (!tagged) {
      return {
        ...base,
        status: "not checked",
        detail: `==${pin.version} is a released version: which commit it is cannot be read from ` +
          `the pin, and the SDK clone has no tag v${pin.version} or ${pin.version}; ` +
          `only main is checked`,
      };
    }
    return { ...base, commit: tagged, ...await checkCommit(sdk.clone, tagged, expected, sdk.kept) };
  }
  let commit = await resolveCommit(sdk.clone, pin.commit);
  if (!commit) {
    try {
      const token = await tokenForRemote(sdk.clone, pin.url, env.GITHUB_TOKEN || undefined);
      commit = await fetchCommit(sdk.clone, pin.url, pin.commit, { target: "pinned", token });
    } catch (error) {
      if (!(error instanceof CodegenError)) throw error;
      // No access (a private SDK repository in CI) is no proof of drift: said, not failed.
      return {
        ...base,
        commit: pin.commit,
        status: "not checked",
        detail: `the pinned commit ${short(pin.commit)} could not be fetched from ${
          stripUrlCredentials(pin.url)
        } (${messageOf(error).split("\n")[0]}); give the job read access to check it`,
      };
    }
  }
  return { ...base, commit, ...await checkCommit(sdk.clone, commit, expected, sdk.kept) };
}

/** The commit of tag `v<version>` or `<version>` in the clone, if there is one. */
async function taggedCommit(clone: string, version: string): Promise<string | undefined> {
  for (const tag of [`v${version}`, version]) {
    const commit = await resolveCommit(clone, `refs/tags/${tag}`);
    if (commit) return commit;
  }
  return undefined;
}

/** The stamp on `commit` against the expected file hashes, and its tree against the stamp. */
async function checkCommit(
  clone: string,
  commit: string,
  expected: Expected,
  kept: readonly string[],
): Promise<Pick<CommitCheck, "status" | "detail">> {
  const found = await readStampAt(clone, commit);
  if (found.kind === "missing") {
    return {
      status: "no stamp",
      detail: `${short(commit)} has no ${STAMP_PATH} (generated before codegen stamped its ` +
        `output?): it cannot be checked; regenerate to stamp it`,
    };
  }
  if (found.kind === "invalid") return { status: "differs", detail: found.problem };
  const { stamp } = found;
  const differences: string[] = [];
  for (const [path, sha] of Object.entries(expected)) {
    if (!(path in stamp.files)) differences.push(`its stamp does not name ${path}`);
    else if (stamp.files[path] !== sha) differences.push(`it was generated from another ${path}`);
  }
  if (differences.length === 0) {
    const tree = await generatedTreeHash(clone, commit, kept);
    if (tree !== stamp.codegen.tree) {
      differences.push("its files were changed after it was generated");
    }
  }
  if (differences.length > 0) {
    return { status: "differs", detail: `${short(commit)}: ${differences.join("; ")}` };
  }
  return {
    status: "in sync",
    detail: `${
      short(commit)
    } was generated from the current spec and config (${stamp.codegen.generator}${
      stamp.codegen.generator_version ? ` ${stamp.codegen.generator_version}` : ""
    })`,
  };
}
