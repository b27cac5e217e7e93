/** The local generators the tool knows by name: an argv template per target (data only). */
import { SDK_TARGETS } from "../config/structured_keys.ts";
import type { CommandPreset } from "./types.ts";

export const COMMAND_PRESETS: Record<string, CommandPreset> = {
  "openapi-python-client": {
    name: "openapi-python-client",
    maturity: "mature",
    summary:
      "openapi-python-client (pinned in the project's Python environment); ignores openapi.stainless.yml",
    argv: {
      // `--meta setup`: a setuptools project that pip installs offline (no build backend download).
      python: [
        "openapi-python-client",
        "generate",
        "--path",
        "{oas}",
        "--output-path",
        "{out}",
        "--meta",
        "setup",
        "--config",
        "{generator_config}",
      ],
    },
    versionArgs: ["--version"],
    generatorConfig: (packageName) => ({
      name: "openapi-python-client.json",
      content: JSON.stringify(
        {
          project_name_override: packageName,
          package_name_override: packageName,
          // The trace server streams JSON Lines; unknown content types would drop the endpoint.
          content_type_overrides: { "application/jsonl": "application/octet-stream" },
        },
        null,
        2,
      ),
    }),
  },
  stainful: {
    name: "stainful",
    maturity: "alpha",
    summary: "stainful (alpha): reads openapi.stainless.yml; known gaps, see docs/generators.md",
    versionArgs: ["--version"],
    argv: {
      python: ["stainful", "generate", "--spec", "{oas}", "--config", "{config}", "--out", "{out}"],
      typescript: [
        "stainful",
        "generate-ts",
        "--spec",
        "{oas}",
        "--config",
        "{config}",
        "--out",
        "{out}",
      ],
    },
    // generate-ts writes {out}/<package>/ (package.json, tsconfig.json, src/): that is the tree.
    treeRoot: { typescript: "only-directory" },
  },
  stlc: {
    name: "stlc",
    maturity: "self-hosted",
    summary:
      "Stainless' self-hosted generator, for teams that have it; set generator_command to its argv",
    // Not available publicly: the default follows the `stl` flag names; override it with
    // `generator_command` to match your stlc release.
    argv: Object.fromEntries(
      SDK_TARGETS.map((
        t,
      ) => [t, [
        "stlc",
        "generate",
        "--oas",
        "{oas}",
        "--config",
        "{config}",
        "--target",
        "{target}",
        "--out",
        "{out}",
      ]]),
    ),
  },
};
