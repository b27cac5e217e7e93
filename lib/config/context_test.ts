import { assertEquals, assertRejects } from "../../tests/helpers/assert.ts";
import { commandLineValues, createContext, resolveRepoRoot } from "./context.ts";
import type { ContextInput } from "./context.ts";
import { run } from "../os/process.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { isInteractive } from "./prompt.ts";

const command: ContextInput["command"] = {
  options: {
    pythonOutput: {
      flag: "--python-output",
      aliases: ["--python-path"],
      value: "dir",
      help: "",
      key: "python_output",
    },
    release: { flag: "--release", negatable: true, help: "", key: "release" },
    generator: {
      flag: "--generator",
      value: "name",
      help: "",
      key: "generator",
      choices: ["stainless", "stlc"],
    },
    dryRun: { flag: "--dry-run", help: "" },
  },
  args: [{ name: "package_name", help: "", key: "package_name" }],
};

function input(partial: Partial<ContextInput>): ContextInput {
  return { command, options: {}, spellings: {}, args: [], globals: {}, ...partial };
}

Deno.test("command-line values of keys come from the declarations, with the spelling typed", () => {
  const values = commandLineValues(input({
    options: { pythonOutput: "/sdk", release: false, dryRun: true },
    spellings: { pythonOutput: "--python-path", release: "--no-release", dryRun: "--dry-run" },
    args: ["pkg"],
  }));
  assertEquals(values, {
    flags: { python_output: "/sdk", release: false, package_name: "pkg" },
    origins: {
      python_output: "--python-path",
      release: "--no-release",
      package_name: "the package_name argument",
    },
    valueOrigins: {},
  });
});

Deno.test("command-line values of a structured key: each as typed, the flag's or its field flag's", () => {
  const targets = {
    flag: "--target",
    value: "t",
    help: "",
    key: "targets",
    repeatable: true,
  } as const;
  const vendorDir = {
    flag: "--vendor-dir",
    value: "dir",
    help: "",
    repeatable: true,
    field: { key: "targets", field: "vendor_dir" },
  } as const;
  const values = commandLineValues({
    command: { options: { targets, vendorDir } },
    options: { targets: ["python.output=../sdk"], vendorDir: ["weave/vendor/x", "node=sdks/x"] },
    spellings: {},
    args: [],
    globals: {},
  });
  assertEquals(values.flags.targets, [
    "python.output=../sdk",
    "*.vendor_dir=weave/vendor/x",
    "node.vendor_dir=sdks/x",
  ]);
  assertEquals(values.valueOrigins.targets, [
    "--target python.output=../sdk",
    "--vendor-dir weave/vendor/x",
    "--vendor-dir node=sdks/x",
  ]);
});

Deno.test("createContext: choices checked whatever set them; required values say how to give them", async () => {
  await withTempDir("codegen-context-", async (dir) => {
    const ci = Deno.env.get("CI");
    try {
      await Deno.mkdir(`${dir}/tools/codegen`, { recursive: true });
      await Deno.writeTextFile(`${dir}/tools/codegen/generate_config.yaml`, "generator: stcl\n");
      await assertRejects(
        () => createContext(input({ globals: { repoRoot: dir } })),
        /generate_config\.yaml:1: unknown generator `stcl` \(did you mean `stlc`\?\)/,
      );
      await Deno.writeTextFile(`${dir}/tools/codegen/generate_config.yaml`, "generator: stlc\n");
      const context = await createContext(input({ globals: { repoRoot: dir } }));
      assertEquals(context.settings.get("generator"), "stlc");
      // Never a prompt, even when the tests run on a terminal. The environment is shared by the
      // test files running in parallel, so it is changed only on a terminal (elsewhere nothing
      // prompts anyway), and other tests never rely on CI being unset.
      if (isInteractive()) Deno.env.set("CI", "1");
      const error = await assertRejects(() => context.require("package_name"));
      assertEquals(
        (error as { hint?: string }).hint?.split(",")[0],
        "Pass the package_name argument",
      );
      const flagged = await assertRejects(() => context.require("python_output"));
      assertEquals((flagged as { hint?: string }).hint?.split(",")[0], "Pass --python-output");
    } finally {
      if (ci === undefined) Deno.env.delete("CI");
      else Deno.env.set("CI", ci);
    }
  });
});

/**
 * resolveRepoRoot(undefined, cwd) in a child process whose PATH is `path`. Not in this process:
 * the environment is shared by every test file running in parallel, and a PATH without git
 * would make their commands fail.
 */
async function repoRootInChild(cwd: string, path: string): Promise<string> {
  const module = new URL("./context.ts", import.meta.url).href;
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `const { resolveRepoRoot } = await import(${JSON.stringify(module)});
      console.log(await resolveRepoRoot(undefined, ${JSON.stringify(cwd)}));`,
    ],
    env: { PATH: path, CODEGEN_REPO_ROOT: "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  assertEquals(output.code, 0, decode(output.stderr));
  return decode(output.stdout).trim();
}

Deno.test("repo root: the git top level, else the directory itself; no git at all is not an error", async () => {
  await withTempDir("codegen-root-", async (dir) => {
    await Deno.mkdir(`${dir}/repo/sub`, { recursive: true });
    await run("git", ["init", "-q", `${dir}/repo`]);
    assertEquals(await resolveRepoRoot(undefined, `${dir}/repo/sub`), `${dir}/repo`);
    await Deno.mkdir(`${dir}/plain`);
    assertEquals(await resolveRepoRoot(undefined, `${dir}/plain`), `${dir}/plain`);
    // No git on PATH: the directory itself.
    assertEquals(await repoRootInChild(`${dir}/repo/sub`, `${dir}/plain`), `${dir}/repo/sub`);
  });
});
