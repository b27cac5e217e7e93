/**
 * The `targets` map and `endpoint_groups`: read from the config file with each field's line,
 * from CODEGEN_TARGETS (JSON) and from `--target TARGET.FIELD=VALUE`; merged per field; the
 * shorthands folded in; pins, defaults and conflicts.
 */
import { assert, assertEquals, assertRejects, assertThrows } from "../../tests/helpers/assert.ts";
import { type Given, settingsFor, withSettings } from "../../tests/helpers/target_settings.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { Settings } from "./settings.ts";
import { loadConfigFile } from "./config_file.ts";
import type { ConfigKey } from "./keys.ts";
import type { CodegenError } from "../core/errors.ts";
import { requireTargets, resolveTargets } from "./targets.ts";

const TWO_TARGETS = `generator: openapi-python-client
targets:
  python:
    output: ../py
    package_name: weave_server_sdk
  typescript:
    output: ../ts
    package_name: weave-server-sdk
    generator: stainful
    package_json: sdks/node/package.json
    post_generate:
      - [npm, pkg, set, "name={package}"]
`;

Deno.test("a targets map: each target's fields, its defaults and pins", async () => {
  await withSettings({ file: TWO_TARGETS }, (settings, dir) => {
    const [python, ts] = resolveTargets(settings);
    const parent = dir.replace(/\/[^/]+$/, "");
    assertEquals(python.target, "python");
    assertEquals(python.output, `${parent}/py`);
    assertEquals(python.outputKey, "targets.python.output");
    assertEquals([python.generator, python.pin, python.packageName], [
      "openapi-python-client",
      "pyproject",
      "weave_server_sdk",
    ]);
    assertEquals(python.origins.output, `${dir}/generate_config.yaml:4`);
    assertEquals(ts.language, "typescript");
    assertEquals([ts.generator, ts.pin], ["stainful", "package_json"]);
    assertEquals(ts.packageJson, `${dir}/sdks/node/package.json`);
    assertEquals(ts.postGenerate, [["npm", "pkg", "set", "name={package}"]]);
    assertEquals(python.postGenerate, [], "a target's own hooks are its own");
  });
});

Deno.test("errors name the file, the field's line and the closest valid name", async () => {
  const cases: [string, RegExp][] = [
    [
      "targets:\n  pyton:\n    output: x\n",
      /:2: unknown targets entry `pyton` \(did you mean `python`\?\)/,
    ],
    [
      "targets:\n  python:\n    outptu: x\n",
      /:3: unknown field of targets.python `outptu` \(did you mean `output`\?\)/,
    ],
    [
      "targets:\n  python:\n    output: x\n    preserve: 3\n",
      /:4: `targets.python.preserve` must be a list of strings/,
    ],
    [
      "targets:\n  typescript:\n    pin: pyprojekt\n",
      /:3: unknown targets.typescript.pin `pyprojekt` \(did you mean `pyproject`\?\)/,
    ],
    ["targets: [python]\n", /:1: `targets` must map each target name to its fields/],
    ["targets:\n  python: ../sdk\n", /:2: `targets.python` must be a mapping of fields/],
  ];
  await withTempDir("codegen-targets-", async (dir) => {
    for (const [text, pattern] of cases) {
      await Deno.writeTextFile(`${dir}/c.yaml`, text);
      const error = await assertRejects(() => loadConfigFile(`${dir}/c.yaml`), pattern);
      assertEquals((error as CodegenError).exitCode, 2, text);
    }
  });
});

Deno.test("pins: checked against the language and vendoring", async () => {
  const cases: [string, RegExp][] = [
    [
      "targets:\n  typescript:\n    pin: pyproject\n",
      /:3: targets.typescript.pin: pyproject pins the Python SDK/,
    ],
    [
      "targets:\n  python:\n    package_json: p.json\n",
      /:3: targets.python.package_json: a package.json pins a TypeScript SDK/,
    ],
    ["targets:\n  typescript:\n    pin: package_json\n", /package_json is not set/],
    [
      "targets:\n  python:\n    vendor_dir: weave/vendor/x\n    pin: pyproject\n",
      /pin is pyproject, but the target is vendored/,
    ],
  ];
  for (const [file, pattern] of cases) {
    await withSettings({ file }, (settings) => {
      const error = assertThrows(() => resolveTargets(settings), pattern);
      assertEquals((error as CodegenError).exitCode, 2);
    });
  }
  await withSettings({ file: "targets:\n  python:\n    vendor_dir: weave/vendor/x\n" }, (s) => {
    assertEquals(resolveTargets(s)[0].pin, "none");
  });
  await withSettings({ file: "targets:\n  node:\n    output: ../ts\n" }, (s) => {
    const [node] = resolveTargets(s);
    assertEquals([node.target, node.language, node.pin], ["node", "typescript", "none"]);
  });
});

Deno.test("shorthands fill the map: the higher source wins; the same level must agree", async () => {
  const file = "targets:\n  python:\n    output: ../from-map\npython_output: ../from-map\n";
  await withSettings({ file, flags: { python_output: "/flag/sdk" } }, (s) => {
    const [python] = resolveTargets(s);
    assertEquals(python.output, "/flag/sdk");
    assertEquals(python.outputKey, "python_output");
  });
  await withSettings({
    file: "python_output: ../file\n",
    flags: { targets: ["python.output=/flag/map"] },
  }, (s) => assertEquals(resolveTargets(s)[0].output, "/flag/map"));
  await withSettings({
    file: "python_output: ../a\ntargets:\n  python:\n    output: ../b\n",
  }, (s) => {
    const error = assertThrows(() => resolveTargets(s), /give python two different outputs/);
    assertEquals((error as CodegenError).exitCode, 2);
  });
  // package_name alone does not make a Python target: a TypeScript-only run stays one.
  await withSettings({
    file: "package_name: weave_server_sdk\ntargets:\n  typescript:\n    output: ../ts\n",
  }, (s) => assertEquals(resolveTargets(s).map((t) => t.target), ["typescript"]));
  await withSettings({ flags: { node_output: "/n", typescript_output: "/t" } }, (s) => {
    assertThrows(() => resolveTargets(s), /are the same TypeScript target/);
  });
});

Deno.test("--target and CODEGEN_TARGETS: per field over the file; lists add up", async () => {
  await withSettings({
    file: TWO_TARGETS,
    env: { CODEGEN_TARGETS: '{"typescript": {"generator": "stlc"}}' },
    flags: {
      targets: [
        "typescript.output=out/ts",
        "python.preserve=a,b",
        "python.preserve=c",
        "python.post_generate=ruff format .",
      ],
    },
  }, (s, dir) => {
    const [python, ts] = resolveTargets(s);
    assertEquals(ts.output, "/cwd/out/ts", "flag paths resolve where the user is");
    assertEquals(ts.generator, "stlc");
    assertEquals(ts.origins.generator, "CODEGEN_TARGETS (targets.typescript.generator)");
    assertEquals(ts.packageName, "weave-server-sdk", "the file's other fields stay");
    assertEquals(python.preserve, ["a", "b", "c"]);
    assertEquals(python.postGenerate, [["ruff", "format", "."]]);
    assertEquals(s.origin("targets"), "--target");
    assertEquals(python.packageName, "weave_server_sdk");
    assertEquals(ts.packageJson, `${dir}/sdks/node/package.json`);
  });
  const noFile = { path: "x", exists: false, values: {}, placeholders: {}, warnings: [] };
  const settings = (given: Partial<Given>) => () =>
    new Settings({ repoRoot: "/r", cwd: "/r", configFile: noFile, env: {}, ...given });
  assertThrows(settings({ env: { CODEGEN_TARGETS: "{python: x}" } }), /CODEGEN_TARGETS: not JSON/);
  assertThrows(
    settings({ flags: { targets: ["python=../x"] } }),
    /--target python=\.\.\/x: expected TARGET\.FIELD=VALUE/,
  );
  assertThrows(settings({ flags: { targets: ["ruby.output=x"] } }), /unknown targets entry `ruby`/);
});

Deno.test("--vendor-dir DIR names the one configured target; several need TARGET=DIR", async () => {
  await withSettings({
    file: "python_output: /sdk\n",
    flags: { targets: ["*.vendor_dir=weave/vendor/weave_server_sdk"] },
  }, (s) => {
    const [python] = resolveTargets(s);
    assertEquals([python.target, python.vendorDir], ["python", "weave/vendor/weave_server_sdk"]);
  });
  await withSettings({
    file: TWO_TARGETS,
    flags: { targets: ["*.vendor_dir=weave/vendor/x"] },
  }, (s) => {
    assertThrows(
      () => resolveTargets(s),
      /^--target \*\.vendor_dir=weave\/vendor\/x: 2 targets are configured \(python, typescript\): write --target TARGET\.vendor_dir=DIR$/,
    );
  });
  // As typed: --vendor-dir DIR (createContext gives each value as typed).
  await withSettings({
    file: TWO_TARGETS,
    flags: { targets: ["*.vendor_dir=weave/vendor/x"] },
    valueOrigins: { targets: ["--vendor-dir weave/vendor/x"] },
  }, (s) => {
    const error = assertThrows(() => resolveTargets(s)) as CodegenError;
    assertEquals(
      error.message,
      "--vendor-dir weave/vendor/x: 2 targets are configured (python, typescript): write " +
        "--vendor-dir TARGET=DIR",
    );
    assertEquals(error.hint, "e.g. --vendor-dir python=weave/vendor/x.");
  });
  await withSettings({ flags: { targets: ["*.vendor_dir=weave/vendor/x"] } }, (s) => {
    assertEquals(resolveTargets(s)[0].target, "python", "nothing configured: the Python SDK");
  });
});

Deno.test("generator_command and generator_config apply to the targets of the generator key", async () => {
  const file = `generator: command
generator_command: my-gen --out {out}
generator_config: gen.json
targets:
  python:
    output: ../py
  typescript:
    output: ../ts
    generator: stainful
`;
  await withSettings({ file }, (s) => {
    const [python, ts] = resolveTargets(s);
    assertEquals(python.generatorCommand, ["my-gen", "--out", "{out}"]);
    assertEquals(ts.generatorCommand, undefined);
    assertEquals(ts.generatorConfig, undefined);
  });
});

Deno.test("generator_command goes with the generator chosen beside it, not one chosen higher", async () => {
  const file = `generator: command
generator_command: dump.sh {oas} {out}
targets:
  python:
    output: ../py
`;
  // The file's command generator with its argv.
  await withSettings({ file }, (s) => {
    const [python] = resolveTargets(s);
    assertEquals([python.generator, python.generatorCommand], ["command", [
      "dump.sh",
      "{oas}",
      "{out}",
    ]]);
    assertEquals(python.unused, undefined);
  });
  // --generator stainful: the file's argv was the command generator's; stainful runs its own.
  await withSettings({ file, flags: { generator: "stainful" } }, (s, dir) => {
    const [python] = resolveTargets(s);
    assertEquals([python.generator, python.generatorCommand], ["stainful", undefined]);
    assertEquals(python.unused, [
      `generator_command (${dir}/generate_config.yaml:2) is not used: it goes with generator ` +
      `command (${dir}/generate_config.yaml:1), and stainful was chosen by --generator; ` +
      "stainful runs as it would without it",
    ]);
  });
  // The same generator chosen higher, a command given as high, or no generator beside it: used.
  for (
    const given of [
      { file: file.replace("generator: command", "generator: stlc"), flags: { generator: "stlc" } },
      { file, flags: { generator: "stlc", generator_command: "stlc gen {out}" } },
      { file: file.replace("generator: command\n", ""), env: { CODEGEN_GENERATOR: "stlc" } },
    ]
  ) {
    await withSettings(given, (s) => {
      const [python] = resolveTargets(s);
      assertEquals(python.generator, "stlc");
      assert(python.generatorCommand, JSON.stringify(given));
      assertEquals(python.unused, undefined);
    });
  }
  // The command generator chosen higher uses the file's argv: it is what that generator runs.
  await withSettings({
    file: file.replace("generator: command", "generator: stlc"),
    flags: { generator: "command" },
  }, (s) => {
    assertEquals(resolveTargets(s)[0].generatorCommand, ["dump.sh", "{oas}", "{out}"]);
  });
  // The same within a target: its own generator from the command line, its command from the file.
  const own = `targets:
  python:
    output: ../py
    generator: command
    generator_command: dump.sh {out}
    generator_config: dump.json
`;
  await withSettings({ file: own, flags: { targets: ["python.generator=stainful"] } }, (s) => {
    const [python] = resolveTargets(s);
    assertEquals([python.generatorCommand, python.generatorConfig], [undefined, undefined]);
    assertEquals(python.unused?.length, 2);
  });
});

Deno.test("requireTargets: nothing configured means the Python SDK, whose clone is required", async () => {
  const asked: string[] = [];
  await withSettings({}, async (settings) => {
    const context = {
      settings,
      require: (key: ConfigKey) => {
        asked.push(key);
        settings.set(key, key === "python_output" ? "/sdk" : "weave_server_sdk");
        return Promise.resolve(settings.get(key) as never);
      },
    };
    const [python] = await requireTargets(context, { packageName: true });
    assertEquals([python.output, python.packageName], ["/sdk", "weave_server_sdk"]);
    assertEquals(asked, ["python_output", "package_name"]);
  });
  asked.length = 0;
  await withSettings({ file: "targets:\n  typescript:\n    output: ../ts\n" }, async (settings) => {
    const context = {
      settings,
      require: (key: ConfigKey) => {
        asked.push(key);
        return Promise.reject(new Error(`asked for ${key}`));
      },
    };
    const specs = await requireTargets(context, { packageName: true });
    assertEquals(specs.map((s) => s.target), ["typescript"]);
    assertEquals(asked, [], "a TypeScript-only run needs no Python value");
  });
});

Deno.test("endpoint_groups: per group lines; a flag's group replaces the file's", async () => {
  const file = `endpoint_groups:
  core:
    include: [tag:Calls, "post /obj/*"]
    exclude: [GET /health]
  v2:
    include: ["/v2/**"]
groups: [core]
`;
  await withSettings(
    { file, flags: { endpoint_groups: ["core=tag:Objects,!post /obj/read"] } },
    (s, dir) => {
      const groups = s.get("endpoint_groups")!;
      assertEquals(groups.core.include.value, ["tag:Objects"]);
      assertEquals(groups.core.exclude.value, ["post /obj/read"]);
      assertEquals(groups.core.include.origin, "--endpoint-group core=tag:Objects,!post /obj/read");
      assertEquals(groups.v2.include.value, ["/v2/**"]);
      assertEquals(groups.v2.include.origin, `${dir}/generate_config.yaml:6`);
      assertEquals(s.get("groups"), ["core"]);
    },
  );
});

Deno.test("a config file created during the run (first run) brings its targets map", async () => {
  await withTempDir("codegen-targets-", async (dir) => {
    const settings = await settingsFor(dir, {});
    assertEquals(resolveTargets(settings), []);
    await Deno.writeTextFile(`${dir}/created.yaml`, "targets:\n  typescript:\n    output: ../ts\n");
    settings.adoptConfigFile(await loadConfigFile(`${dir}/created.yaml`));
    const [ts] = resolveTargets(settings);
    assertEquals([ts.target, ts.output], ["typescript", `${dir.replace(/\/[^/]+$/, "")}/ts`]);
    assertEquals(ts.origins.output, `${dir}/created.yaml:3`);
  });
});
