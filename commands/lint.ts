/** `lint`: the Stainless config against the OpenAPI spec, offline, with the config's line numbers. */
import { defineCommand } from "../lib/cli/command.ts";
import { OPTIONS } from "./options.ts";

export const lintCommand = defineCommand({
  name: "lint",
  aliases: [],
  summary:
    "Check openapi.stainless.yml against the OpenAPI spec: endpoints, models and transformations that drifted",
  options: {
    openapiOutput: OPTIONS.openapiOutput,
    stainlessConfig: OPTIONS.stainlessConfig,
    json: OPTIONS.json,
  },
  notes:
    `Findings, each with the config's line (the config's openapi.transformations are applied to a copy
of the spec first, as a generator sees it):
  error    a config method whose endpoint is not in the spec (endpoint-not-in-spec)
  error    a model whose schema is not in the spec (model-not-in-spec)
  error    a transformation that cannot be applied: unknown command, bad arguments, malformed
           JSONPath (transformation-failed)
  warning  a spec operation no method maps and unspecified_endpoints does not list
           (unmapped-operation)
  warning  a transformation target that matches nothing (transformation-matches-nothing)
Exit code 1 when there is an error, 0 with warnings only. \`all\` runs the same lint in its check
stage and shows the findings without failing. (--config is the global codegen config file; the
Stainless config is --stainless-config.)`,
  examples: [
    "codegen lint                                            the trace repository's spec and config",
    "codegen lint --spec /tmp/openapi.json --stainless-config ../stainless.yml",
    "codegen lint --json > lint.json                         findings as JSON",
  ],
  load: () => import("./run/lint.ts"),
});
