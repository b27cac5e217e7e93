/**
 * `strict_config` whatever the skip decision. The stamp's inputs key holds the spec and config
 * bytes but not `strict_config` (a check, not an input: it changes no generated file), so a target
 * generated without it is up to date with it too, and its generation, which would have stopped
 * on the drift, never runs. The drift check is offline and cheap: it runs here, before the skip
 * decision, for every target whose generator reads the Stainless config (`{config}` in its argv;
 * the hosted generator and openapi-python-client do not), against the spec a generation would
 * read. A target that is generated gets the same check again when its inputs are prepared.
 *
 * Loaded only when `strict_config` is on (it pulls in the YAML and JSONPath libraries).
 */
import { exists } from "../core/fs.ts";
import { prepareInputs } from "../inputs/prepare.ts";
import { readSpecFile } from "../inputs/operations.ts";
import { readStainlessConfig } from "../inputs/stainless_config.ts";
import type { SdkTarget } from "../config/structured_keys.ts";
import type { StampInputs } from "../provenance/stamp.ts";
import { readsConfig } from "./local_inputs.ts";
import type { GenerateInput, GenerationTarget } from "./types.ts";

/** Throws the strict_config error (lib/inputs/prune.ts) when the config drifted from the spec. */
export async function assertNoConfigDrift(
  input: GenerateInput<GenerationTarget>,
  stamps: Partial<Record<SdkTarget, StampInputs>>,
): Promise<void> {
  const readers = input.targets.filter((t) =>
    readsConfig(stamps[t.target]?.fields.generator_command ?? [])
  );
  // Without a config, a generator that reads it fails when it runs (nothing to check here).
  if (readers.length === 0 || !(await exists(input.stainlessConfigPath))) return;
  const spec = await readSpecFile(input.specPath);
  const config = await readStainlessConfig(input.stainlessConfigPath);
  await prepareInputs(spec, input.specPath, config, {
    readsConfig: true,
    strictConfig: true,
    selection: input.groups,
  });
}
