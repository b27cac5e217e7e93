/**
 * A TypeScript SDK's own name against its target's `package_name`. stainful's `generate-ts`
 * writes `"name": "<Python package name>"` (`weave_server_sdk`) into the package.json at the root
 * of the tree, whatever `targets.typescript.package_name` says; a trace repository that pins
 * `"weave-server-sdk": "git+...#<sha>"` would then install a package that calls itself otherwise.
 * codegen does not rewrite generated files behind the user's back: it warns (a warning of the run,
 * so `--fail-on warnings` stops before local main moves) and names the hook that fixes it,
 * `post_generate: [[npm, pkg, set, "name={package}"]]` (docs/targets.md).
 */
import { messageOf } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { join } from "../core/paths.ts";
import { packageNameFor } from "./command/argv.ts";
import type { GenerateInput, GenerationTarget } from "./types.ts";

/** The hook that sets package.json's name to the target's package name. */
export const NAME_HOOK = '[npm, pkg, set, "name={package}"]';

/** Warns when the package.json at the root of `tree` names another package than the target's. */
export async function checkPackageJsonName(
  tree: string,
  target: GenerationTarget,
  input: GenerateInput<GenerationTarget>,
): Promise<void> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(tree, "package.json"));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return; // no package at the root: nothing named
    throw error;
  }
  let name: unknown;
  try {
    name = (JSON.parse(text) as { name?: unknown }).name;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    log.verbose(`${target.target}: the generated package.json is not JSON: ${messageOf(error)}`);
    return;
  }
  // The generator was given this name already ({package}): a failure now is news, not noise.
  const expected = await packageNameFor(target, input);
  if (name === expected) return;
  input.warnings?.add({
    source: "codegen",
    target: target.target,
    message: `the generated package.json calls the package ${JSON.stringify(name)}, not ${
      JSON.stringify(expected)
    } (its package_name): add the post_generate hook ${NAME_HOOK} to this target`,
  });
}
