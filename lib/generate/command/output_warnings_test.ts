import { assertEquals } from "../../../tests/helpers/assert.ts";
import { PROJECT_ROOT, VENV_BIN } from "../../../tests/helpers/cli.ts";
import { weaveFile } from "../../../tests/helpers/weave.ts";
import { withTempDir } from "../../../tests/helpers/temp_dir.ts";
import { run } from "../../os/process.ts";
import { COMMAND_PRESETS } from "../presets.ts";
import { openapiPythonClientWarnings, outputWarnings, warningLines } from "./output_warnings.ts";

/** openapi-python-client 0.29.1's stderr on the real Weave spec (its stdout has the blank line). */
const OPC_STDERR =
  `Warning(s) encountered while generating. Client was generated, but some pieces may be missing
WARNING parsing POST /v2/{entity}/{project}/evaluations within evaluations. Endpoint will not be generated.

Incorrect path templating for /v2/{entity}/{project}/evaluations (Path parameters do not match with path)


If you believe this was a mistake or this tool is missing a feature you need, please open an issue at https://github.com/openapi-generators/openapi-python-client/issues/new/choose
`;

const EVALUATIONS = {
  message:
    "parsing POST /v2/{entity}/{project}/evaluations within evaluations. Endpoint will not be generated.",
  detail:
    "Incorrect path templating for /v2/{entity}/{project}/evaluations (Path parameters do not match with path)",
};

Deno.test("openapi-python-client's warning block: one warning per problem, its detail, no data", () => {
  assertEquals(openapiPythonClientWarnings(OPC_STDERR), [EVALUATIONS]);
  // Colors (a terminal), streams merged, a second problem with its data as JSON.
  const colored = `\x1b[1m\x1b[93mWarning(s) encountered while generating.\x1b[0m\n\n` +
    `\x1b[33mWARNING parsing GET /a within a. Endpoint will not be generated.\x1b[0m\n\n` +
    `Unsupported content_type\n\n{\n  "a": 1\n}\n\n` +
    `Unable to parse this part of your OpenAPI document: \n\nbad schema X\n\n` +
    `If you believe this was a mistake\n`;
  assertEquals(openapiPythonClientWarnings(colored), [
    {
      message: "parsing GET /a within a. Endpoint will not be generated.",
      detail: "Unsupported content_type",
    },
    { message: "Unable to parse this part of your OpenAPI document:", detail: "bad schema X" },
  ]);
  assertEquals(openapiPythonClientWarnings("Generating out\n"), []);
});

Deno.test("other generators: `warning:` lines on either stream", () => {
  assertEquals(
    warningLines(
      "ok\nwarning: unrecognized top-level key 'x'\n  WARN: y  \n[warning] z\nwarnings: no\n",
    ),
    [{ message: "unrecognized top-level key 'x'" }, { message: "y" }, { message: "z" }],
  );
  assertEquals(outputWarnings("stainful", "", "warning: a\n"), [{ message: "a" }]);
  // openapi-python-client's own block wins; its other lines are not read as warnings.
  assertEquals(outputWarnings("openapi-python-client", "warning: no\n", OPC_STDERR), [
    EVALUATIONS,
  ]);
});

Deno.test("openapi-python-client on the real Weave spec: the skipped evaluations endpoint is found", async () => {
  await withTempDir("codegen-opc-", async (out) => {
    // With the preset's own config, as codegen runs it (JSON Lines as bytes).
    const config = COMMAND_PRESETS["openapi-python-client"].generatorConfig!("weave_server_sdk");
    await Deno.writeTextFile(`${out}/config.json`, config.content);
    const result = await run(
      `${VENV_BIN}/openapi-python-client`,
      [
        "generate",
        "--path",
        weaveFile("openapi.json"),
        "--output-path",
        `${out}/out`,
        "--config",
        `${out}/config.json`,
      ],
      {
        cwd: PROJECT_ROOT,
        env: { PATH: `${VENV_BIN}:${Deno.env.get("PATH")}` },
        what: "openapi-python-client",
      },
    );
    const warnings = outputWarnings("openapi-python-client", result.stdout, result.stderr);
    assertEquals(warnings, [EVALUATIONS]);
  });
});
