/**
 * A hosted build's revision with endpoint groups: the hosted service generates from the spec and
 * config it is sent, so the part of the API a run selects is what it sends. The spec keeps the
 * selected operations and the components they reach; the config loses the methods (and models)
 * of what was left out, and the references to removed endpoints (`readme.example_requests`), as
 * a local generator's copy does (lib/inputs/groups.ts), decided on the filtered spec with the
 * transformations applied (what Stainless will see: Weave's `Expr` exists only then). The spec is
 * filtered as committed, without the config's transformations (Stainless applies them); a
 * transformation aimed at a removed part then matches nothing, which Stainless reports as a
 * diagnostic. The committed files are never changed.
 */
import { filterConfig, filterSpec, type GroupSelection } from "../../inputs/groups.ts";
import { lintConfig } from "../../inputs/lint.ts";
import { readSpecFile } from "../../inputs/operations.ts";
import { readStainlessConfig } from "../../inputs/stainless_config.ts";
import { log } from "../../core/log.ts";
import { revisionNames } from "./build_options.ts";

export async function filteredRevision(
  specPath: string,
  configPath: string,
  selection: GroupSelection,
): Promise<Record<string, { content: string }>> {
  const [spec, config] = await Promise.all([
    readSpecFile(specPath),
    readStainlessConfig(configPath),
  ]);
  const filtered = filterSpec(spec, selection);
  // What to drop from the config is decided on the spec Stainless will see, transformed.
  const { transformedSpec } = await lintConfig(config, spec, specPath);
  const transformed = filterSpec(transformedSpec, selection).spec;
  log.info(
    `endpoint groups: the build gets ${filtered.kept.length} of ${
      filtered.kept.length + filtered.removed.length
    } operations (${filtered.removedComponents.length} component(s) pruned) and the config ` +
      "without the other operations' methods",
  );
  const [specName, configName] = revisionNames(specPath, configPath);
  return {
    [specName]: { content: JSON.stringify(filtered.spec, null, 2) },
    [configName]: { content: await filterConfig(config, transformed) },
  };
}
