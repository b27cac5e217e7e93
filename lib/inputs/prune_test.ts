import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
  assertThrows,
} from "../../tests/helpers/assert.ts";
import { VENV_BIN } from "../../tests/helpers/cli.ts";
import { weaveFile } from "../../tests/helpers/weave.ts";
import { CodegenError } from "../core/errors.ts";
import { run } from "../os/process.ts";
import type { OpenApiDocument } from "../spec/openapi.ts";
import { lintConfig } from "./lint.ts";
import { readSpecFile } from "./operations.ts";
import { pruneDrift, removeFromConfig } from "./prune.ts";
import { parseStainlessConfig, readStainlessConfig } from "./stainless_config.ts";

async function weave() {
  const config = await readStainlessConfig(weaveFile("openapi.stainless.yml"));
  const spec = await readSpecFile(weaveFile("openapi.json"));
  return { config, lint: await lintConfig(config, spec, "openapi.json") };
}

Deno.test("the real Weave config: exactly the six drifted methods are removed, each a warning", async () => {
  const { config, lint } = await weave();
  const pruned = pruneDrift(config, lint);
  const removedLines = [211, 212, 219, 220, 227, 228];
  const expected = config.text.split("\n").filter((_, i) => !removedLines.includes(i + 1));
  // Everything else, comments and blank lines included, is byte for byte the same.
  assertEquals(pruned.text.split("\n"), expected);
  assertEquals(
    pruned.warnings.map((w) => [w.severity, w.resource, w.method, w.endpoint]),
    [
      [
        "warning",
        "v2_evaluation_runs",
        "read",
        "get /v2/{entity}/{project}/evaluation_runs/{evaluation_run_id}/versions/{digest}",
      ],
      [
        "warning",
        "v2_evaluation_runs",
        "delete",
        "delete /v2/{entity}/{project}/evaluation_runs/{evaluation_run_id}",
      ],
      [
        "warning",
        "v2_predictions",
        "read",
        "get /v2/{entity}/{project}/predictions/{prediction_id}/versions/{digest}",
      ],
      [
        "warning",
        "v2_predictions",
        "delete",
        "delete /v2/{entity}/{project}/predictions/{prediction_id}",
      ],
      [
        "warning",
        "v2_scores",
        "read",
        "get /v2/{entity}/{project}/scores/{score_id}/versions/{digest}",
      ],
      ["warning", "v2_scores", "delete", "delete /v2/{entity}/{project}/scores/{score_id}"],
    ],
  );
  assertMatch(pruned.warnings[0].message, /; removed from the generator's copy of the config$/);
  const reparsed = await parseStainlessConfig(pruned.text, "pruned.yml");
  assertEquals(reparsed.methods.length, 60);
});

Deno.test("strict: drift is an error (exit 1) that lists every entry", async () => {
  const { config, lint } = await weave();
  const error = assertThrows(() => pruneDrift(config, lint, { strict: true }));
  assert(error instanceof CodegenError && error.exitCode === 1, String(error));
  assertMatch(error.message, /6 entries do not match the spec \(strict_config\)$/);
  assertEquals(error.details?.split("\n").length, 6);
  assertStringIncludes(error.details ?? "", "openapi.stainless.yml:228: v2_scores.delete:");
  assertStringIncludes(error.hint ?? "", "--strict-config");
});

const SPEC: OpenApiDocument = {
  openapi: "3.1.0",
  paths: { "/a": { get: { responses: {} } } },
  components: { schemas: { A: { type: "object" } } },
};

Deno.test("nothing to prune: the config text is handed over untouched", async () => {
  const text = "resources:\n  a:\n    methods:\n      list: get /a # keep\n";
  const config = await parseStainlessConfig(text, "s.yml");
  const pruned = pruneDrift(config, await lintConfig(config, SPEC, "spec.json"));
  assertEquals([pruned.text, pruned.warnings, pruned.entries], [text, [], []]);
});

Deno.test("missing models go too, and a resource (or parent) left empty is dropped", async () => {
  const config = await parseStainlessConfig(
    `# header comment
resources:
  a:
    methods:
      list: get /a # kept
      gone: post /gone
    models:
      a: A
      b: B
  b:
    # b only has methods the spec lacks
    methods:
      create: post /b
  v2:
    subresources:
      ops:
        methods:
          list: get /v2/ops
  c:
    description: kept because of its subresource
    subresources:
      d:
        models:
          a: A
`,
    "s.yml",
  );
  const pruned = pruneDrift(config, await lintConfig(config, SPEC, "spec.json"));
  assertEquals(
    pruned.warnings.map((w) => [w.line, w.code, w.resource, w.method ?? w.model]),
    [
      [6, "endpoint-not-in-spec", "a", "gone"],
      [9, "model-not-in-spec", "a", "b"],
      [13, "endpoint-not-in-spec", "b", "create"],
      [18, "endpoint-not-in-spec", "v2.ops", "list"],
    ],
  );
  assertEquals(
    pruned.text,
    `# header comment
resources:
  a:
    methods:
      list: get /a # kept
    models:
      a: A
  c:
    description: kept because of its subresource
    subresources:
      d:
        models:
          a: A
`,
  );
});

Deno.test("removeFromConfig deletes only what it is given", async () => {
  const config = await parseStainlessConfig(
    "resources:\n  a:\n    methods:\n      x: get /x\n      y: get /y\n",
    "s.yml",
  );
  assertEquals(
    removeFromConfig(config, [{ resourcePath: ["resources", "a"], kind: "methods", name: "x" }]),
    "resources:\n  a:\n    methods:\n      y: get /y\n",
  );
  assertEquals(removeFromConfig(config, []), config.text);
});

Deno.test("an entry reached through an alias is removed from the anchored mapping", async () => {
  const config = await parseStainlessConfig(
    "resources:\n  a:\n    methods: &m\n      x: get /x\n      y: get /y\n  b:\n    methods: *m\n",
    "s.yml",
  );
  const pruned = pruneDrift(config, await lintConfig(config, SPEC, "spec.json"));
  assertEquals(pruned.warnings.map((w) => `${w.resource}.${w.method}`), [
    "a.x",
    "b.x", // lines of the anchored mapping
    "a.y",
    "b.y",
  ]);
  assertEquals(pruned.text, "resources:\n  a:\n    methods: &m {}\n  b:\n    methods: *m\n");
});

Deno.test({
  name:
    "stainful on the real Weave files: fails on the drifted config, succeeds once transformed and pruned",
  permissions: "inherit",
  fn: async () => {
    const { config, lint } = await weave();
    const dir = await Deno.makeTempDir({ prefix: "codegen-inputs-" });
    try {
      const spec = `${dir}/openapi.json`;
      const pruned = `${dir}/openapi.stainless.yml`;
      await Deno.writeTextFile(spec, JSON.stringify(lint.transformedSpec, null, 2));
      await Deno.writeTextFile(pruned, pruneDrift(config, lint).text);
      const stainful = (configFile: string, out: string) =>
        run(`${VENV_BIN}/stainful`, [
          "generate",
          "--spec",
          spec,
          "--config",
          configFile,
          "--out",
          `${dir}/${out}`,
        ], { check: false, timeoutMs: 120_000 });

      const unpruned = await stainful(config.file, "unpruned");
      assertEquals(unpruned.code, 1, unpruned.stderr);
      assertMatch(
        unpruned.stderr,
        /config method 'read' -> 'get \/v2\/.*' has no matching operation/,
      );

      const ok = await stainful(pruned, "sdk");
      assertEquals(ok.code, 0, ok.stderr);
      const shared = await Deno.readTextFile(`${dir}/sdk/weave_server_sdk/types/shared.py`);
      // The shared models exist only thanks to the transformations (extractToRefs).
      assertMatch(shared, /^Operation = Union\[AndOperation, /m);
      assertMatch(shared, /^Expr = Union\[AndOperation, /m);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
