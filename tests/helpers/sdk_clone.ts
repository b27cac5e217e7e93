/** Test fixtures for generate_code: a trace repository with spec + Stainless config, and SDK clones. */
import { join } from "node:path";
import { gitOutput } from "../../lib/git/git.ts";
import { PROJECT_ROOT, PYTHON } from "./cli.ts";
import { run } from "../../lib/os/process.ts";
import { removeIfExists } from "../../lib/core/fs.ts";
import { commitFiles, gitIn } from "./git_fixtures.ts";

export const EXAMPLE_STAINLESS_CONFIG =
  `${PROJECT_ROOT}/examples/trace-repo/tools/codegen/openapi.stainless.yml`;

/** A minimal OpenAPI document (enough for the fake and for config tests). */
export const SMALL_SPEC = {
  openapi: "3.1.0",
  info: { title: "Weave Trace (test)", version: "0.1.0" },
  paths: {
    "/health": { get: { operationId: "health", responses: { "200": { description: "ok" } } } },
  },
};

/** A temporary trace repository with tools/codegen/openapi.json and openapi.stainless.yml. */
export async function makeTraceRepo(spec: unknown = SMALL_SPEC): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "trace-repo-" });
  await Deno.mkdir(join(root, "tools/codegen"), { recursive: true });
  await Deno.writeTextFile(join(root, "tools/codegen/openapi.json"), JSON.stringify(spec, null, 2));
  await Deno.copyFile(EXAMPLE_STAINLESS_CONFIG, join(root, "tools/codegen/openapi.stainless.yml"));
  return root;
}

/** A git repository on `main` with one commit holding `files`. */
export async function makeClone(
  files: Record<string, string> = { "README.md": "old\n" },
): Promise<string> {
  const clone = await Deno.makeTempDir({ prefix: "sdk-clone-" });
  await gitIn(clone, "init", "--quiet", "--initial-branch=main");
  await commitFiles(clone, { message: "initial", files, allowEmpty: true });
  return clone;
}

export async function head(clone: string, rev = "HEAD"): Promise<string> {
  return await gitOutput(clone, ["rev-parse", rev]);
}

/** Files of a commit, sorted. */
export async function treeFiles(clone: string, rev = "main"): Promise<string[]> {
  return (await gitOutput(clone, ["ls-tree", "-r", "--name-only", rev])).split("\n").filter(Boolean)
    .sort();
}

export async function removeAll(...paths: string[]): Promise<void> {
  for (const path of paths) await removeIfExists(path);
}

/** Writes the example trace server's OpenAPI document (FastAPI's app.openapi()) to `path`. */
export async function exportExampleSpec(path: string): Promise<void> {
  const code = "import json,sys; sys.path.insert(0, 'examples/trace-repo'); " +
    "from weave.trace_server.reference.server import app; print(json.dumps(app.openapi(), indent=2))";
  const result = await run(PYTHON, ["-c", code], {
    cwd: PROJECT_ROOT,
    what: "export the example spec",
  });
  await Deno.writeTextFile(path, result.stdout);
}
