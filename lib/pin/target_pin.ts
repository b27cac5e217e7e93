/**
 * A target's pin in the trace repository, whatever the file: the Python SDK in pyproject.toml
 * (pin.ts: `pkg @ git+<url>@<sha>` or `pkg==X.Y.Z`), a TypeScript SDK in a package.json
 * (package_json.ts: `"pkg": "git+<url>#<sha>"` or `"X.Y.Z"`), or nothing (`pin: none`). Both
 * files are checked when the pin is prepared and written once, atomically, editing only the
 * SDK's entry; a release pin reads the version from the SDK at the commit pinned
 * (`[project].version` of pyproject.toml, else setup.py's literal `version=`; `"version"` of
 * package.json).
 */
import { usageError } from "../core/errors.ts";
import { readTextFile } from "../core/fs.ts";
import { git, originUrl } from "../git/git.ts";
import { type CheckedClone, type CloneSetting, ensureClone } from "../git/clone.ts";
import {
  editPackageJson,
  isValidNpmPackageName,
  npmGitSpec,
  packageVersionOf,
  pinPackageJson,
} from "./package_json.ts";
import {
  installableUrl,
  type PinResult,
  type PinSpec,
  type PreparedPin,
  preparePin,
  writePin,
} from "./pin.ts";
import { NoSdkVersionError, sdkVersion } from "./sdk_version.ts";

/** What to pin, and where. */
export type TargetPinOptions =
  | {
    kind: "pyproject";
    pyprojectPath: string;
    packageName: string;
    extra?: string;
    release?: boolean;
  } & CloneSetting
  | {
    kind: "package_json";
    packageJsonPath: string;
    packageName: string;
    release?: boolean;
  } & CloneSetting
  | { kind: "none" };

/** A pin checked and ready to write (or none). */
export type PreparedTargetPin =
  | { kind: "pyproject"; release: boolean; pin: PreparedPin }
  | {
    kind: "package_json";
    release: boolean;
    packageJsonPath: string;
    packageName: string;
    sdkRepo: string;
    /** The clone's origin (commit pins only). */
    remote?: string;
  }
  | { kind: "none"; release: false };

/** What a pin wrote (or, in a dry run, would write). */
export interface TargetPinResult {
  kind: "pyproject" | "package_json";
  /** The file: pyproject.toml or the package.json. */
  file: string;
  /** The first entry, as text (`"weave-server-sdk": "git+...#<sha>"`). */
  entry: string;
  entries: string[];
  /** The values it replaced. */
  replaced: string[];
  changed: boolean;
  /**
   * Warnings about the pin (an SDK needing a newer Python than the project allows; a pinned
   * commit that no remote has).
   */
  warnings?: string[];
  /** False when the pinned commit is only in the local clone (--no-auto-merge). */
  commitOnRemote?: boolean;
  /** The pyproject pin's own result (Python). */
  pyproject?: PinResult & { commitOnRemote?: boolean };
}

/** Checks everything a pin needs apart from the commit or version (see pin.ts preparePin). */
export async function prepareTargetPin(
  options: TargetPinOptions,
  sdkRepo: string | CheckedClone,
): Promise<PreparedTargetPin> {
  if (options.kind === "none") return { kind: "none", release: false };
  if (options.kind === "pyproject") {
    const pin = await preparePin({ ...options, sdkRepo });
    return { kind: "pyproject", release: pin.release, pin };
  }
  const { packageJsonPath, packageName } = options;
  if (!isValidNpmPackageName(packageName)) {
    throw usageError(
      `invalid npm package name ${JSON.stringify(packageName)}`,
      "Set the TypeScript target's package_name to the SDK's npm name, e.g. weave-server-sdk.",
    );
  }
  // Parsed (and the entry edited) now, so that a broken file fails before anything is pushed.
  const text = await readTextFile(
    packageJsonPath,
    "package.json",
    "Set the TypeScript target's package_json to the trace repository's package.json.",
  );
  editPackageJson(text, { packageName, spec: "0.0.0" }, packageJsonPath);
  const release = options.release ?? false;
  const repo = typeof sdkRepo === "string"
    ? (await ensureClone(sdkRepo, {
      target: "typescript",
      key: options.cloneKey,
      source: options.cloneSource,
    })).path
    : sdkRepo.path;
  return {
    kind: "package_json",
    release,
    packageJsonPath,
    packageName,
    sdkRepo: repo,
    remote: release ? undefined : await originUrl(repo),
  };
}

/**
 * Writes the pin (dryRun: computes it); undefined for `none`. `sdkCommit`: the commit a version
 * pin stands for (pin.ts checks its Python against the project's).
 */
export async function writeTargetPin(
  prepared: PreparedTargetPin,
  spec: PinSpec,
  options: { dryRun?: boolean; sdkCommit?: string } = {},
): Promise<TargetPinResult | undefined> {
  if (prepared.kind === "none") return undefined;
  if (prepared.kind === "pyproject") {
    const result = await writePin(prepared.pin, spec, options);
    return {
      kind: "pyproject",
      file: result.pyprojectPath,
      entry: result.entry,
      entries: result.entries,
      replaced: result.replaced,
      changed: result.changed,
      ...(result.warnings ? { warnings: result.warnings } : {}),
      pyproject: result,
    };
  }
  const { packageJsonPath, packageName } = prepared;
  const value = "version" in spec
    ? spec.version
    : /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(spec.commit)
    ? npmGitSpec(prepared.remote!, spec.commit, prepared.sdkRepo)
    : `git+${installableUrl(prepared.remote!, prepared.sdkRepo)}#${spec.commit}`; // a dry run's placeholder
  const pinned = await pinPackageJson({
    packageJsonPath,
    packageName,
    spec: value,
    dryRun: options.dryRun,
  });
  return {
    kind: "package_json",
    file: packageJsonPath,
    entry: `${JSON.stringify(packageName)}: ${JSON.stringify(value)}`,
    entries: pinned.entries.map((e) =>
      `${e.section}: ${JSON.stringify(packageName)}: ${JSON.stringify(e.value)}`
    ),
    replaced: pinned.entries.flatMap((e) => e.previous === undefined ? [] : [e.previous]),
    changed: pinned.changed,
  };
}

/** The SDK's version at `commit` of its clone, for a release pin. */
export async function releaseVersion(
  prepared: PreparedTargetPin,
  sdkRepo: string,
  commit: string,
): Promise<string> {
  if (prepared.kind !== "package_json") return await sdkVersion(sdkRepo, commit);
  const shown = await git(sdkRepo, ["show", `${commit}:package.json`], { check: false });
  if (shown.code !== 0) {
    throw new NoSdkVersionError(`${commit.slice(0, 12)} of ${sdkRepo} has no package.json`, {
      hint: "--release pins the SDK's version from its package.json; pin a commit instead.",
    });
  }
  return packageVersionOf(shown.stdout, `package.json of ${commit.slice(0, 12)} in ${sdkRepo}`);
}
