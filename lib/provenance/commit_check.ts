/**
 * `check` for a target with an SDK clone: the commit the trace repository pins, and the clone's
 * local `main`, against the current inputs (drift.ts).
 *
 *   pinned  `git+<url>@<sha>` (or `#<sha>` in a package.json) is read from the clone, fetched
 *           into it from the pin's URL when missing (by sha; no ref, work tree or config change).
 *           When that fetch fails, the URL is probed (`git ls-remote`): a remote this job can read
 *           that does not give the commit means nothing can install the pin, which is drift; a
 *           remote it cannot read (a private SDK repository in CI without a token) leaves the pin
 *           not checked, with the reason. A `==version` pin is checked through the clone's tag
 *           `v<version>` (or `<version>`) when it has one.
 *   main    the clone's local `main`. It gates only when there is no pin to check (no pin, a pin
 *           naming no commit, a version without its tag, an unreadable remote, a commit without a
 *           stamp); next to a checked pin it is information: SDK main may well be generated from
 *           other inputs than this trace branch, and the pin is what the trace repository uses.
 *
 * A pinned commit read from the clone must also be on the pin's remote (pin_remote.ts): pushed
 * nowhere, nothing can install it, which is drift (`commit_on_remote: false`).
 *
 * A commit is in sync when its stamp's inputs key is the current one (up_to_date.ts
 * compareWithStamp, naming each input that differs) and it is intact (intact.ts).
 */
import { CodegenError } from "../core/errors.ts";
import { stripUrlCredentials } from "../core/redact.ts";
import { lsRemote, resolveCommit, short, tokenForRemote } from "../git/git.ts";
import { fetchCommit, MAIN_REF } from "../git/main_branch.ts";
import { type PinnedSdk, readPinnedPackage, readPinnedSdk } from "../pin/read_pin.ts";
import { describeReleases, intactness } from "./intact.ts";
import { gitReason, pinOnRemote, type PinRemote } from "./pin_remote.ts";
import { STAMP_PATH, type StampInputs } from "./stamp.ts";
import { compareWithStamp, readStampAt } from "./up_to_date.ts";

export type StampStatus = "in sync" | "differs" | "no stamp" | "not checked";

export interface SdkCheckInput {
  /** "python", "typescript". */
  target: string;
  clone: string;
  /** Where its pin is read from; none: only main is checked. */
  pin:
    | { kind: "pyproject"; pyprojectPath: string; packageName?: string; extra: string }
    | { kind: "package_json"; packageJsonPath: string; packageName?: string }
    | { kind: "none" };
  /** The current `preserve` (for stamps that do not record theirs). */
  kept: readonly string[];
}

export interface CommitCheck {
  /** The target ("python", "typescript"). */
  target: string;
  /** What was checked: "pinned" (the trace repository's pin) or "main". */
  name: "pinned" | "main";
  /**
   * `gate`: its drift fails the check. `information`: shown, never a failure (main next to a
   * pin that was checked).
   */
  role: "gate" | "information";
  status: StampStatus;
  commit?: string;
  /** The pin as written (pinned only). */
  entry?: string;
  /** One line: what was found. */
  detail: string;
  /** What could not be compared (a generator that cannot tell its version here). */
  notes?: string[];
  /**
   * Pinned commits: does the pin's remote have it (false: pushed nowhere, drift)? Absent when it
   * was not verified (a note says why).
   */
  commit_on_remote?: boolean;
  /**
   * True when the pinned commit is in sync and only its remote lacks it: a push fixes it, no
   * regeneration.
   */
  only_unpushed?: boolean;
}

type Found =
  & Pick<CommitCheck, "status" | "detail" | "notes" | "commit_on_remote" | "only_unpushed">
  & { commit?: string };

/** The pinned commit (when there is a pin) and main of one clone, against `current`. */
export async function checkSdk(
  sdk: SdkCheckInput,
  current: StampInputs,
  env: Record<string, string | undefined>,
): Promise<CommitCheck[]> {
  const { target } = sdk;
  const checks: CommitCheck[] = [];
  let pinChecked = false;
  if (sdk.pin.kind !== "none" && sdk.pin.packageName) {
    const pinned = await checkPinned(sdk, current, env);
    pinChecked = pinned.status === "in sync" || pinned.status === "differs";
    checks.push({ target, name: "pinned", role: "gate", ...pinned });
  }
  const role = pinChecked ? "information" : "gate";
  const main = await resolveCommit(sdk.clone, MAIN_REF);
  checks.push(
    main
      ? {
        target,
        name: "main",
        role,
        commit: main,
        ...await checkCommit(sdk.clone, main, current, sdk.kept),
      }
      : { target, name: "main", role, status: "not checked", detail: `${sdk.clone} has no main` },
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
  current: StampInputs,
  env: Record<string, string | undefined>,
): Promise<Found & { entry?: string }> {
  const pin = await readPin(sdk);
  if (typeof pin === "string") return { status: "not checked", detail: `${pin}; main is checked` };
  const { entry } = pin;
  if (pin.kind === "other") {
    return {
      entry,
      status: "not checked",
      detail: "the pin names neither a commit nor a version; main is checked",
    };
  }
  if (pin.kind === "version") {
    const tagged = await taggedCommit(sdk.clone, pin.version);
    if (!tagged) {
      return {
        entry,
        status: "not checked",
        detail: `==${pin.version} is a released version: which commit it is cannot be read from ` +
          `the pin, and the SDK clone has no tag v${pin.version} or ${pin.version}; ` +
          `main is checked`,
      };
    }
    return { entry, commit: tagged, ...await checkCommit(sdk.clone, tagged, current, sdk.kept) };
  }
  const local = await resolveCommit(sdk.clone, pin.commit);
  const found = local ?? await fetchPinned(sdk.clone, pin, env);
  if (typeof found !== "string") return { entry, commit: pin.commit, ...found };
  const checked = await checkCommit(sdk.clone, found, current, sdk.kept);
  // Fetched from the pin's URL: the remote has it.
  const remote: PinRemote = local ? await pinOnRemote(sdk.clone, pin, env) : { onRemote: true };
  const installer = sdk.pin.kind === "package_json" ? "npm install" : "pip install";
  return { entry, commit: found, ...withRemote(checked, remote, found, installer) };
}

/** Is the pin's only problem that its remote lacks the commit (its stamp is in sync)? */
export function onlyUnpushed(check: CommitCheck): boolean {
  return check.only_unpushed === true;
}

/**
 * A pinned commit's check, with whether its remote has it (pushed nowhere: drift). A commit
 * without a stamp keeps "no stamp" (main is then checked), the unpushed line as a note.
 */
function withRemote(found: Found, remote: PinRemote, commit: string, installer: string): Found {
  const notes = found.notes ?? [];
  if ("notVerified" in remote) return { ...found, notes: [...notes, remote.notVerified] };
  if (remote.onRemote) {
    return {
      ...found,
      commit_on_remote: true,
      ...remote.note ? { notes: [...notes, remote.note] } : {},
    };
  }
  const line = `pinned commit ${short(commit)} is not on ${remote.remote} (pushed nowhere): ` +
    `${installer} will fail`;
  if (found.status !== "in sync") {
    return { ...found, commit_on_remote: false, notes: [...notes, line] };
  }
  return {
    status: "differs",
    detail: line,
    notes: [found.detail, ...notes],
    commit_on_remote: false,
    only_unpushed: true,
  };
}

/**
 * Fetches the pinned commit into the clone; when it cannot, says whether the remote lacks it
 * (drift) or cannot be read (not checked). See the module comment.
 */
async function fetchPinned(
  clone: string,
  pin: { url: string; commit: string },
  env: Record<string, string | undefined>,
): Promise<string | Found> {
  const token = await tokenForRemote(clone, pin.url, env.GITHUB_TOKEN || undefined);
  const url = stripUrlCredentials(pin.url);
  let fetchError: CodegenError;
  try {
    return await fetchCommit(clone, pin.url, pin.commit, { target: "pinned", token });
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    fetchError = error;
  }
  try {
    await lsRemote(clone, pin.url, ["HEAD"], { token, timeoutMs: 60_000 });
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    // No access (a private SDK repository in CI) is no proof of drift: said, not failed.
    return {
      status: "not checked",
      detail: `the pinned commit ${short(pin.commit)} could not be fetched: ${url} cannot be ` +
        `read here (${gitReason(error)}); give the job read access to check it; main is checked`,
    };
  }
  return {
    status: "differs",
    detail: `the pinned commit ${short(pin.commit)} is not in ${url} (which can be read: ` +
      `${gitReason(fetchError)}), so nothing can install it`,
  };
}

/** The commit of tag `v<version>` or `<version>` in the clone, if there is one. */
async function taggedCommit(clone: string, version: string): Promise<string | undefined> {
  for (const tag of [`v${version}`, version]) {
    const commit = await resolveCommit(clone, `refs/tags/${tag}`);
    if (commit) return commit;
  }
  return undefined;
}

/** The stamp on `commit` against the current inputs, and whether the commit is intact. */
export async function checkCommit(
  clone: string,
  commit: string,
  current: StampInputs,
  kept: readonly string[],
): Promise<Found> {
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
  const { changes, notes } = await compareWithStamp(stamp, current);
  const noted = notes.length ? { notes } : {};
  if (changes.length > 0) {
    return {
      status: "differs",
      detail: `${short(commit)}: it was generated from other inputs: ${changes.join(", ")}`,
      ...noted,
    };
  }
  const intact = await intactness(clone, commit, stamp, kept);
  if (!intact.intact) {
    return {
      status: "differs",
      detail: `${short(commit)}: its files were changed after it was generated`,
      ...noted,
    };
  }
  const generator = `${stamp.codegen.generator}${
    stamp.codegen.generator_version ? ` ${stamp.codegen.generator_version}` : ""
  }`;
  return {
    status: "in sync",
    detail: `${short(commit)} was generated from the current inputs (${generator}) and is ` +
      `intact${describeReleases(intact)}`,
    ...noted,
  };
}
