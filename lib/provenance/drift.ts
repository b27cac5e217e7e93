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
import { readPinnedSdk } from "../pin/read_pin.ts";
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
  /** The SDK side; undefined when no SDK clone is configured (then only the spec is checked). */
  sdk?: {
    clone: string;
    packageName?: string;
    pyprojectPath: string;
    extra: string;
    /** Paths the tree hash leaves out (`preserve` of local generators). */
    kept: readonly string[];
  };
  env?: Record<string, string | undefined>;
}

export type StampStatus = "in sync" | "differs" | "no stamp" | "not checked";

export interface CommitCheck {
  /** What was checked: "pinned" (pyproject.toml's pin) or "main". */
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
  const sdk = input.sdk
    ? await checkSdk(input.sdk, expected, input.env ?? Deno.env.toObject())
    : [];
  for (const check of sdk) {
    if (check.status === "differs") problems.push(`${check.name} SDK: ${check.detail}`);
  }
  return { ok: problems.length === 0, problems, spec, config, sdk };
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
  sdk: NonNullable<DriftCheckInput["sdk"]>,
  expected: Expected,
  env: Record<string, string | undefined>,
): Promise<CommitCheck[]> {
  const checks: CommitCheck[] = [];
  if (sdk.packageName) checks.push(await checkPinned(sdk, expected, env));
  const main = await resolveCommit(sdk.clone, MAIN_REF);
  checks.push(
    main
      ? { name: "main", commit: main, ...await checkCommit(sdk.clone, main, expected, sdk.kept) }
      : { name: "main", status: "not checked", detail: `${sdk.clone} has no local main` },
  );
  return checks;
}

async function checkPinned(
  sdk: NonNullable<DriftCheckInput["sdk"]>,
  expected: Expected,
  env: Record<string, string | undefined>,
): Promise<CommitCheck> {
  const pin = await readPinnedSdk(sdk.pyprojectPath, sdk.packageName!, sdk.extra);
  if (!pin) {
    return {
      name: "pinned",
      status: "not checked",
      detail:
        `pyproject.toml has no ${sdk.packageName} entry in [project.optional-dependencies].${sdk.extra}`,
    };
  }
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
          `pyproject.toml, and the SDK clone has no tag v${pin.version} or ${pin.version}; ` +
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
