/** `codegen update_pyproject` end to end: real SDK clones, the CLI run as a subprocess. */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import { commitFiles, GIT_ENV, gitIn, TRACE_PYPROJECT } from "../helpers/git_fixtures.ts";
import { withTempDir } from "../helpers/temp_dir.ts";

const TOKEN = "ghp_secretToken1234567890";

interface Setup {
  root: string;
  sdk: string;
  sha: string;
  pyproject: string;
}

/** An SDK clone whose origin is `remote` (never contacted), and a trace pyproject.toml. */
async function setup(
  root: string,
  remote: string | null,
  pyproject = TRACE_PYPROJECT,
  commit = true,
): Promise<Setup> {
  const sdk = join(root, "sdk");
  await gitIn(root, "init", "--quiet", "-b", "main", sdk);
  let sha = "";
  if (commit) {
    sha = await commitFiles(sdk, {
      message: "SDK",
      files: { "pyproject.toml": `[project]\nname = "weave_server_sdk"\nversion = "1.2.3"\n` },
    });
  }
  if (remote) await gitIn(sdk, "remote", "add", "origin", remote);
  await Deno.writeTextFile(join(root, "pyproject.toml"), pyproject);
  return { root, sdk, sha, pyproject: join(root, "pyproject.toml") };
}

function cli(s: Setup, ...args: string[]) {
  return runCli(["--repo-root", s.root, "update_pyproject", ...args], { env: GIT_ENV });
}

function withSetup(
  remote: string | null,
  fn: (s: Setup) => Promise<void>,
  pyproject?: string,
  commit?: boolean,
) {
  return withTempDir(
    "codegen-pin-",
    async (root) => await fn(await setup(root, remote, pyproject, commit)),
  );
}

Deno.test("update_pyproject pins the SDK's HEAD with an scp-style remote rewritten to ssh://", async () => {
  await withSetup("git@github.com:wandb/weave-server-sdk.git", async (s) => {
    const result = await cli(s, s.sdk, "weave-server-sdk");
    assertEquals(result.code, 0, result.stderr);
    const entry = `weave-server-sdk @ git+ssh://git@github.com/wandb/weave-server-sdk.git@${s.sha}`;
    assertEquals(result.stdout, `${s.pyproject}: ${entry}\n`);
    assertEquals(
      await Deno.readTextFile(s.pyproject),
      TRACE_PYPROJECT.replace(`"weave_server_sdk==0.0.1"`, `"${entry}"`) +
        "\n[tool.hatch.metadata]\nallow-direct-references = true\n",
    );
    const again = await cli(s, s.sdk, "weave-server-sdk");
    assertStringIncludes(again.stdout, "unchanged");
  });
});

Deno.test("update_pyproject never writes or prints a token from the remote URL", async () => {
  await withSetup(`https://x-access-token:${TOKEN}@github.com/wandb/sdk.git`, async (s) => {
    const result = await cli(s, s.sdk, "weave_server_sdk", "--verbose");
    assertEquals(result.code, 0, result.stderr);
    const text = await Deno.readTextFile(s.pyproject);
    assertStringIncludes(text, `weave_server_sdk @ git+https://github.com/wandb/sdk.git@${s.sha}`);
    for (const output of [text, result.stdout, result.stderr]) assert(!output.includes(TOKEN));
  });
});

Deno.test("update_pyproject --release pins the SDK version and removes allow-direct-references", async () => {
  const pinned = TRACE_PYPROJECT + "\n[tool.hatch.metadata]\nallow-direct-references = true\n";
  await withSetup("https://github.com/wandb/sdk.git", async (s) => {
    const result = await cli(s, s.sdk, "weave_server_sdk", "--release", "--extra", "stainless");
    assertEquals(result.code, 0, result.stderr);
    assertEquals(await Deno.readTextFile(s.pyproject), TRACE_PYPROJECT.replace("0.0.1", "1.2.3"));
  }, pinned);
});

Deno.test("update_pyproject --dry-run writes nothing; --pyproject picks another file", async () => {
  await withSetup("https://github.com/wandb/sdk.git", async (s) => {
    const other = join(s.root, "other.toml");
    await Deno.writeTextFile(other, TRACE_PYPROJECT);
    const dry = await cli(s, s.sdk, "weave_server_sdk", "--pyproject", other, "--dry-run");
    assertEquals(dry.code, 0, dry.stderr);
    assertStringIncludes(dry.stdout, "dry run");
    assertEquals(await Deno.readTextFile(other), TRACE_PYPROJECT);
    const json = JSON.parse(
      (await cli(s, s.sdk, "weave_server_sdk", "--pyproject", other, "-n", "--json")).stdout,
    );
    assertEquals(
      [json.command, json.ok, json.dryRun, json.changed, json.written, json.pyprojectPath],
      ["update_pyproject", true, true, true, false, other],
    );
    assertStringIncludes(json.entry, s.sha);
    assertEquals(await Deno.readTextFile(other), TRACE_PYPROJECT);
    const real = await cli(s, s.sdk, "weave_server_sdk", "--pyproject", other);
    assertEquals(real.code, 0, real.stderr);
    assertStringIncludes(await Deno.readTextFile(other), s.sha);
    assertEquals(await Deno.readTextFile(s.pyproject), TRACE_PYPROJECT);
  });
});

Deno.test("update_pyproject takes PYTHON_OUTPUT and PACKAGE_NAME from the configuration", async () => {
  await withSetup("https://github.com/wandb/sdk.git", async (s) => {
    const result = await runCli(["--repo-root", s.root, "update-pyproject"], {
      env: { ...GIT_ENV, CODEGEN_PYTHON_OUTPUT: s.sdk, CODEGEN_PACKAGE_NAME: "weave_server_sdk" },
    });
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(await Deno.readTextFile(s.pyproject), s.sha);
    const missing = await cli(s);
    assertEquals(missing.code, 2);
    assertMatch(missing.stderr, /missing required value `python_output`/);
    assertMatch(
      missing.stderr,
      /hint: Pass the python_output argument or --python-output, or set `python_output:`/,
    );
    // The flags work too; with the argument as well, one of them is refused.
    const flags = await cli(
      s,
      "--python-output",
      s.sdk,
      "--package-name",
      "weave_server_sdk",
      "-n",
    );
    assertEquals(flags.code, 0, flags.stderr);
    assertStringIncludes(flags.stdout, `@${s.sha} (already pinned; unchanged)`);
    const both = await cli(s, s.sdk, "--python-path", s.sdk);
    assertEquals(both.code, 2);
    assertStringIncludes(both.stderr, "the python_output argument and '--python-path' both set");
  });
});

Deno.test("update_pyproject --no-release overrides `release: true` from the environment", async () => {
  await withSetup("https://github.com/wandb/sdk.git", async (s) => {
    const result = await runCli(
      ["--repo-root", s.root, "update_pyproject", s.sdk, "weave_server_sdk", "--no-release"],
      { env: { ...GIT_ENV, CODEGEN_RELEASE: "true" } },
    );
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(await Deno.readTextFile(s.pyproject), `@${s.sha}`);
  });
});

/** Each case: the error expected, and the pyproject.toml left byte-identical. */
const FAILURES: {
  name: string;
  remote: string | null;
  pyproject?: string;
  commit?: boolean;
  args: (s: Setup) => string[];
  error: RegExp;
}[] = [
  {
    name: "invalid TOML",
    remote: "https://h/r.git",
    pyproject: "[project\nname = 1\r\n",
    args: (s) => [s.sdk, "p"],
    error: /is not valid TOML/,
  },
  {
    name: "no [project] table",
    remote: "https://h/r.git",
    pyproject: "[tool.x]\r\na = 1\r\n",
    args: (s) => [s.sdk, "p"],
    error: /has no \[project\] table/,
  },
  {
    name: "PYTHON_OUTPUT missing",
    remote: "https://h/r.git",
    args: (s) => [join(s.root, "nope"), "p"],
    error: /does not exist/,
  },
  {
    name: "PYTHON_OUTPUT not a git repository",
    remote: "https://h/r.git",
    args: (s) => [join(s.sdk, ".git"), "p"],
    error: /not a git work tree/,
  },
  { name: "no origin", remote: null, args: (s) => [s.sdk, "p"], error: /has no remote `origin`/ },
  {
    name: "no commit yet",
    remote: "https://h/r.git",
    commit: false,
    args: (s) => [s.sdk, "p"],
    error: /has no commit yet/,
  },
  {
    name: "no version for --release",
    remote: "https://h/r.git",
    commit: false,
    args: (s) => [s.sdk, "p", "--release"],
    error: /pyproject\.toml does not exist/,
  },
  {
    name: "invalid package name",
    remote: "https://h/r.git",
    args: (s) => [s.sdk, "bad name!"],
    error: /invalid package name/,
  },
];

for (const failure of FAILURES) {
  Deno.test(`update_pyproject fails clearly and leaves the file byte-identical: ${failure.name}`, async () => {
    await withSetup(
      failure.remote,
      async (s) => {
        const before = await Deno.readFile(s.pyproject);
        const result = await cli(s, ...failure.args(s));
        assert(result.code === 1 || result.code === 2, `exit code ${result.code}`);
        assertMatch(result.stderr, failure.error);
        assertEquals(result.stdout, "");
        assertEquals(await Deno.readFile(s.pyproject), before);
      },
      failure.pyproject,
      failure.commit,
    );
  });
}

Deno.test("update_pyproject warns when origin does not have the pinned commit (no fetch), and says it in --json", async () => {
  await withTempDir("codegen-pin-remote-", async (root) => {
    const remote = join(root, "remote.git");
    await gitIn(root, "init", "--quiet", "--bare", "-b", "main", remote);
    const s = await setup(root, remote);
    await gitIn(s.sdk, "push", "--quiet", "origin", "main");
    const pushed = await cli(s, s.sdk, "weave_server_sdk", "--json");
    assertEquals(pushed.code, 0, pushed.stderr);
    assertEquals(JSON.parse(pushed.stdout).targets.python.commitOnRemote, true);
    assert(!pushed.stderr.includes("no branch of origin"), pushed.stderr);

    // A commit only the clone has (what `merge_generated_code` then `update_pyproject` pinned).
    const local = await commitFiles(s.sdk, { message: "local", files: { "local.txt": "x\n" } });
    for (const dryRun of [["-n"], []]) {
      const result = await cli(s, s.sdk, "weave_server_sdk", "--json", ...dryRun);
      assertEquals(result.code, 0, result.stderr);
      const json = JSON.parse(result.stdout);
      assertEquals(json.targets.python.commitOnRemote, false);
      assertStringIncludes(json.entry, local);
      assertStringIncludes(result.stderr, `pins ${local.slice(0, 12)}, which no branch of origin`);
      assertStringIncludes(result.stderr, "merge_generated_code pushes the mirror branch");
    }
    assertStringIncludes(await Deno.readTextFile(s.pyproject), local);
  });
});

Deno.test("update_pyproject warns when the package name is not the SDK's own (a new entry), still pins", async () => {
  await withSetup("https://github.com/wandb/weave-server-sdk.git", async (s) => {
    const result = await cli(s, s.sdk, "no_such_pkg");
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(
      result.stderr,
      `the SDK in ${s.sdk} is named weave_server_sdk; pinning no_such_pkg (a new entry): did you mean weave_server_sdk?`,
    );
    assertStringIncludes(await Deno.readTextFile(s.pyproject), `no_such_pkg @ git+`);
    // PEP 503: another spelling of the SDK's own name is no mismatch.
    const same = await cli(s, s.sdk, "Weave-Server.SDK");
    assertEquals(same.code, 0, same.stderr);
    assert(!same.stderr.includes("is named"), same.stderr);
  });
});

Deno.test("update_pyproject pins when the SDK's own pyproject.toml is not valid TOML (name not checked, said in --verbose)", async () => {
  await withSetup("https://github.com/wandb/weave-server-sdk.git", async (s) => {
    await Deno.writeTextFile(join(s.sdk, "pyproject.toml"), "[project\nname = \n");
    const result = await cli(s, "--verbose", s.sdk, "weave_server_sdk");
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(await Deno.readTextFile(s.pyproject), `weave_server_sdk @ git+`);
    assertStringIncludes(
      result.stderr,
      `the package name was not checked against the SDK's own: ${
        join(s.sdk, "pyproject.toml")
      } is not valid TOML`,
    );
  });
});
