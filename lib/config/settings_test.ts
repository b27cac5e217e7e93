import {
  assertEquals,
  assertMatch,
  assertRejects,
  assertThrows,
} from "../../tests/helpers/assert.ts";
import { Settings } from "./settings.ts";
import { loadConfigFile } from "./config_file.ts";
import { requireValue } from "./prompt.ts";
import type { CodegenError } from "../core/errors.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";

/** Runs `fn` with a config file holding `text`, in a temporary directory removed afterwards. */
function withConfigFile(
  text: string,
  fn: (file: { dir: string; path: string }) => Promise<void>,
): Promise<void> {
  return withTempDir("codegen-config-", async (dir) => {
    const path = `${dir}/generate_config.yaml`;
    await Deno.writeTextFile(path, text);
    await fn({ dir, path });
  });
}

Deno.test("precedence: flags > environment > config file > defaults; paths resolve", async () => {
  await withConfigFile(
    "port: 7000\nstartup_timeout: 5\nopenapi_output: out/spec.json\npython_output: ../sdk\n",
    async ({ dir, path }) => {
      const settings = new Settings({
        repoRoot: dir,
        cwd: "/somewhere",
        configFile: await loadConfigFile(path),
        flags: { port: "7100" },
        env: { CODEGEN_PORT: "7200", CODEGEN_STARTUP_TIMEOUT: "9" },
      });
      assertEquals(settings.get("port"), 7100);
      assertEquals(settings.origin("port"), "--port");
      assertEquals(settings.get("startup_timeout"), 9);
      assertEquals(settings.origin("startup_timeout"), "CODEGEN_STARTUP_TIMEOUT");
      assertEquals(settings.get("openapi_output"), `${dir}/out/spec.json`);
      assertEquals(settings.origin("openapi_output"), `${path}:3`);
      assertEquals(settings.get("python_output"), `${dir.replace(/\/[^/]+$/, "")}/sdk`);
      assertEquals(settings.get("release"), false);
      assertEquals(settings.source("release"), "default");
      assertEquals(settings.get("server_command"), [
        "uvicorn",
        "weave.trace_server.reference.server:app",
        "--port",
        "{port}",
      ]);
      const flagPath = new Settings({
        repoRoot: dir,
        cwd: "/work",
        configFile: await loadConfigFile(path),
        flags: { openapi_output: "x.json" },
        env: {},
      });
      assertEquals(
        flagPath.get("openapi_output"),
        "/work/x.json",
        "flag paths resolve against the user's directory",
      );
    },
  );
});

Deno.test("a missing config file is an empty config; the legacy key repo_path still works", async () => {
  const missing = await loadConfigFile("/nonexistent/generate_config.yaml");
  assertEquals(missing.exists, false);
  await withConfigFile("repo_path: /sdk\n", async ({ path }) => {
    const legacy = await loadConfigFile(path);
    assertEquals(legacy.values.python_output?.value, "/sdk");
    assertMatch(legacy.warnings[0], /`repo_path` is the old name of `python_output`/);
  });
});

Deno.test("unknown keys name file, line and the closest valid key", async () => {
  await withConfigFile("# comment\npackage_name: x\npyton_output: /sdk\n", async ({ path }) => {
    const error = await assertRejects(
      () => loadConfigFile(path),
      /generate_config\.yaml:3: unknown key `pyton_output` \(did you mean `python_output`\?\)/,
    );
    assertEquals((error as CodegenError).exitCode, 2);
  });
});

Deno.test("a Stainless config passed as codegen's config is said as such, a stray Stainless key is not", async () => {
  const stainless = "organization:\n  name: weave\ntargets:\n  python: {}\nresources: {}\n";
  await withConfigFile(stainless, async ({ path }) => {
    const error = await assertRejects(
      () => loadConfigFile(path),
      /generate_config\.yaml looks like a Stainless config \(openapi\.stainless\.yml\), not codegen's config file \(its keys `organization`, `resources` are Stainless config keys\)/,
    );
    assertEquals((error as CodegenError).exitCode, 2);
    assertMatch(
      (error as CodegenError).hint ?? "",
      /pass a Stainless config with --stainless-config/,
    );
  });
  await withConfigFile("port: 1\nsettings: {}\n", async ({ path }) => {
    await assertRejects(
      () => loadConfigFile(path),
      /generate_config\.yaml:2: unknown key `settings`/,
    );
  });
});

Deno.test("wrong types are configuration errors with the line", async () => {
  for (
    const [text, pattern] of [
      ["port: eighty\n", /:1: `port` must be an integer, got "eighty"/],
      ["port: 70000\n", /:1: `port` must be between 1 and 65535/],
      ["release: maybe\n", /:1: `release` must be true or false/],
      [
        "\n\nserver_command: []\n",
        /:3: `server_command` must be a command line string or a non-empty list/,
      ],
      ["- a\n- b\n", /expected a mapping/],
    ] as const
  ) {
    await withConfigFile(text, async ({ path }) => {
      await assertRejects(() => loadConfigFile(path), pattern);
    });
  }
});

Deno.test("a wrong type's hint says where to fix it and what the key takes", async () => {
  await withConfigFile("port: eighty\n", async ({ path }) => {
    const error = await assertRejects(() => loadConfigFile(path)) as CodegenError;
    assertEquals(
      error.hint,
      `Fix it at ${path}:1: \`port\` takes an integer (--port; port the trace server listens on while the spec is fetched).`,
    );
  });
});

Deno.test("bad YAML reports the line and column", async () => {
  await withConfigFile("package_name: x\nport: [1, 2\nrelease: true\n", async ({ path }) => {
    await assertRejects(() => loadConfigFile(path), /generate_config\.yaml:\d+:\d+: invalid YAML/);
  });
});

Deno.test("a missing required value without a terminal fails at once naming the flag and key", async () => {
  const settings = new Settings({
    repoRoot: "/r",
    cwd: "/r",
    configFile: await loadConfigFile("/r/none.yaml"),
    env: {},
  });
  await assertRejects(
    () => requireValue(settings, "python_output"),
    /missing required value `python_output`/,
  ).then((error) => {
    assertMatch(
      (error as CodegenError).hint ?? "",
      /Pass --python-output, or set `python_output:` in \/r\/none\.yaml/,
    );
    assertEquals((error as CodegenError).exitCode, 2);
  });
});

Deno.test("template placeholders count as not set; the error says where the placeholder is", async () => {
  await withConfigFile(
    "python_output: /path/to/your/local/python/repo\npackage_name: x\n",
    async ({ dir, path }) => {
      const file = await loadConfigFile(path);
      assertEquals(file.values.python_output, undefined);
      assertEquals(file.placeholders.python_output?.line, 1);
      const settings = new Settings({ repoRoot: dir, cwd: dir, configFile: file, env: {} });
      assertEquals(settings.get("python_output"), undefined);
      assertEquals(settings.get("package_name"), "x", "the rest of the file still counts");
      const error = await assertRejects(
        () => requireValue(settings, "python_output", "the python_output argument"),
        /`python_output` in .*generate_config\.yaml:1 is still the template placeholder \(\/path\/to\/your\/local\/python\/repo\)/,
      );
      assertMatch((error as CodegenError).hint ?? "", /^Pass the python_output argument, or set/);
      const flagged = new Settings({
        repoRoot: dir,
        cwd: dir,
        configFile: file,
        flags: { python_output: "/sdk" },
        env: {},
      });
      assertEquals(flagged.get("python_output"), "/sdk", "a flag still sets it");
    },
  );
});

Deno.test("comma-separated lists work in the file too; durations are bounded; blanks rejected", async () => {
  await withConfigFile(
    "fail_on: lint, build\npreserve: src/lib,README.md\n",
    async ({ dir, path }) => {
      const file = await loadConfigFile(path);
      assertEquals(file.values.fail_on?.value, ["lint", "build"]);
      assertEquals(file.values.preserve?.value, ["src/lib", "README.md"]);
      const empty = await loadConfigFile("/nonexistent.yaml");
      for (
        const [flags, pattern] of [
          [
            { generator_timeout: "3000000" },
            /`generator_timeout` must be between 0\.1 and 86400|must be between .* and 86400/,
          ],
          [{ server_stop_grace: "" }, /`server_stop_grace` must be a number/],
          [{ port: " " }, /`port` must be an integer/],
        ] as const
      ) {
        assertThrows(
          () => new Settings({ repoRoot: dir, cwd: dir, configFile: empty, flags, env: {} }),
          pattern,
        );
      }
    },
  );
});

Deno.test("a flag value's origin is the spelling used; values are typed by key", async () => {
  const empty = await loadConfigFile("/nonexistent.yaml");
  assertThrows(
    () =>
      new Settings({
        repoRoot: "/r",
        cwd: "/r",
        configFile: empty,
        flags: { python_output: "" },
        flagOrigins: { python_output: "--python-path" },
        env: {},
      }),
    /^--python-path: `python_output` must be a non-empty string/,
  );
  const settings = new Settings({
    repoRoot: "/r",
    cwd: "/w",
    configFile: empty,
    flags: { openapi_output: "o.json", port: "7000" },
    flagOrigins: { openapi_output: "-o" },
    env: {},
  });
  assertEquals(settings.origin("openapi_output"), "-o");
  assertEquals(settings.origin("port"), "--port", "without a recorded spelling: the key's flag");
  // Typed by key, without casts: a number, a list, a boolean; keys with defaults are always set.
  const port: number = settings.get("port");
  const failOn: string[] = settings.get("fail_on");
  const release: boolean = settings.get("release");
  const clone: string | undefined = settings.get("python_output");
  assertEquals([port, failOn, release, clone], [7000, ["lint", "build", "test"], false, undefined]);
});

Deno.test("setBy names a value's setting as the user gave it, for hints", async () => {
  await withConfigFile("stainless_config: cfg.yml\n", async ({ dir, path }) => {
    const settings = new Settings({
      repoRoot: dir,
      cwd: dir,
      configFile: await loadConfigFile(path),
      flags: { openapi_output: "spec.json", python_output: "../sdk" },
      flagOrigins: { openapi_output: "--output-file", python_output: "the python_output argument" },
      env: { CODEGEN_PORT: "7000" },
    });
    assertEquals(settings.setBy("openapi_output"), "--output-file");
    assertEquals(settings.setBy("python_output"), "the python_output argument");
    assertEquals(settings.setBy("port"), "CODEGEN_PORT");
    assertEquals(settings.setBy("stainless_config"), `\`stainless_config\` in ${path}:1`);
    assertEquals(settings.setBy("startup_timeout"), "--startup-timeout", "a default: its flag");
  });
});

Deno.test("post_generate: a command line, a list of command lines and argv lists, or repeated flags", async () => {
  await withConfigFile(
    'post_generate:\n  - ruff format .\n  - [git, apply, "{repo_root}/fix.patch"]\n',
    async ({ dir, path }) => {
      const loaded = await loadConfigFile(path);
      const settings = (flags = {}, env = {}) =>
        new Settings({ repoRoot: dir, cwd: dir, configFile: loaded, flags, env });
      assertEquals(settings().get("post_generate"), [
        ["ruff", "format", "."],
        ["git", "apply", "{repo_root}/fix.patch"],
      ]);
      assertEquals(
        settings({}, { CODEGEN_POST_GENERATE: "make fix 'a b'" }).get("post_generate"),
        [["make", "fix", "a b"]],
      );
      // Each --post-generate is one command line.
      assertEquals(
        settings({ post_generate: ["ruff format .", "true"] }).get("post_generate"),
        [["ruff", "format", "."], ["true"]],
      );
      assertEquals(settings({}, {}).get("strict_config"), false);
      assertThrows(
        () => settings({ post_generate: ["ruff format . | cat"] }),
        /--post-generate \(post_generate, item 1\).*shell syntax/,
      );
    },
  );
  await withConfigFile("post_generate:\n  - [ruff, 3]\n", async ({ path }) => {
    await assertRejects(
      () => loadConfigFile(path),
      /generate_config.yaml:1: `post_generate` must be a command line, or a list of commands/,
    );
  });
});
