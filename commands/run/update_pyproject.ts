/**
 * `update_pyproject`: pin each target's SDK clone at its HEAD commit (or its version): the Python
 * SDK in pyproject.toml, a TypeScript SDK in its package.json (`pin: package_json`); targets
 * without a pin are left out. A pinned commit that origin does not have (as far as the clone's
 * remote-tracking refs know; nothing is fetched) is warned about: nobody could install it.
 */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { type Context, createContext } from "../../lib/config/context.ts";
import { CodegenError } from "../../lib/core/errors.ts";
import { basename, displayPath, join } from "../../lib/core/paths.ts";
import { log } from "../../lib/core/log.ts";
import { short } from "../../lib/git/git.ts";
import { onRemote } from "../../lib/git/remote_refs.ts";
import { pinSdk, sdkHead } from "../../lib/pin/pin.ts";
import { readPackageVersion } from "../../lib/pin/package_json.ts";
import { nameMismatchWarning, sdkDistributionName } from "../../lib/pin/sdk_name.ts";
import { prepareTargetPin, writeTargetPin } from "../../lib/pin/target_pin.ts";
import { pinInputs, targetLabel, type TargetPinInputs } from "./pin_inputs.ts";
import type { Input } from "../options.ts";
import { lockTrace } from "./trace_lock.ts";

interface Pinned {
  file: string;
  entries: string[];
  replaced: string[];
  changed: boolean;
  json: Record<string, unknown>;
  /** The commit pinned (a commit pin). */
  commit?: string;
}

async function pinOne(
  { sdkRepo, pin }: TargetPinInputs,
  dryRun: boolean,
): Promise<Pinned | undefined> {
  if (pin.kind === "none") return undefined;
  if (pin.kind === "pyproject") {
    // Read before the pin is written, and never a reason to fail: the name check is advice.
    const sdkName = await sdkNameForCheck(sdkRepo);
    const result = await pinSdk({ ...pin, sdkRepo, dryRun });
    // A warning, not an error: the clone's work tree may hold an older generation (a rename the
    // next generation brings), and installing is where a wrong name fails for certain (pip and uv
    // check it); the pin itself is still what was asked for.
    const mismatch = nameMismatchWarning(
      pin.packageName,
      sdkName,
      sdkRepo,
      result.replaced.length === 0,
    );
    if (mismatch) log.warn(mismatch);
    const commit = pin.release ? undefined : await sdkHead(sdkRepo);
    return { ...result, file: result.pyprojectPath, json: { ...result }, commit };
  }
  const prepared = await prepareTargetPin(pin, sdkRepo);
  // As for Python: a release pin reads the clone's work tree, a commit pin its HEAD.
  const spec = pin.release
    ? { version: await readPackageVersion(join(sdkRepo, "package.json")) }
    : { commit: await sdkHead(sdkRepo) };
  const result = (await writeTargetPin(prepared, spec, { dryRun }))!;
  return { ...result, json: { ...result }, commit: "commit" in spec ? spec.commit : undefined };
}

/**
 * The SDK clone's own distribution name for the mismatch warning; undefined (and why, in verbose
 * output) when its pyproject.toml or setup.py cannot be read or parsed: that is the SDK's problem,
 * not the pin's, so the name is not checked rather than the command failed.
 */
async function sdkNameForCheck(sdkRepo: string): Promise<string | undefined> {
  try {
    return await sdkDistributionName(sdkRepo);
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    log.verbose(`the package name was not checked against the SDK's own: ${error.message}`);
    return undefined;
  }
}

/**
 * Whether origin has the pinned commit (as far as the clone knows: no fetch); warned about when it
 * does not. Undefined for a version pin.
 */
async function commitOnRemote(sdkRepo: string, pinned: Pinned): Promise<boolean | undefined> {
  if (!pinned.commit) return undefined;
  if (await onRemote(sdkRepo, pinned.commit, "origin")) return true;
  log.warn(
    `${basename(pinned.file)} pins ${short(pinned.commit)}, which no branch of origin has (as ` +
      `far as the SDK clone ${sdkRepo} knows: git branch -r --contains ${short(pinned.commit)}): ` +
      `installing the trace repository fails until it is pushed. Push it first ` +
      `(git -C ${sdkRepo} push origin <branch>). After merge_generated_code, update_pyproject ` +
      `is not needed: merge_generated_code pushes the mirror branch and pins its commit.`,
  );
  return false;
}

export async function run(input: Input<"dryRun" | "noWait">): Promise<CommandOutput> {
  const context = await createContext(input);
  // Held from before the first prompt (an answer may be saved) through the last pin.
  const release = await lockTrace(context, input.options);
  try {
    return await pinTargets(context, input.options.dryRun ?? false);
  } finally {
    await release();
  }
}

async function pinTargets(context: Context, dryRun: boolean): Promise<CommandOutput> {
  const targets = await pinInputs(context);
  const lines: string[] = [];
  const results: Record<string, Record<string, unknown>> = {};
  for (const target of targets) {
    const label = targetLabel(target.spec.target, targets.length);
    const result = await pinOne(target, dryRun);
    if (!result) {
      lines.push(`${label}not pinned (pin: none)`);
      continue;
    }
    for (const old of result.replaced) log.verbose(`replaced: ${old}`);
    const state = !result.changed
      ? " (already pinned; unchanged)"
      : dryRun
      ? " (dry run; not written)"
      : "";
    const file = displayPath(result.file, context.cwd);
    lines.push(`${label}${file}: ${result.entries.join(", ")}${state}`);
    const onOrigin = await commitOnRemote(target.sdkRepo, result);
    results[target.spec.target] = {
      ...result.json,
      written: !dryRun && result.changed,
      ...(onOrigin === undefined ? {} : { commitOnRemote: onOrigin }),
    };
  }
  const first = results[targets[0].spec.target] ?? {};
  return { json: { dryRun, ...first, targets: results }, lines };
}
