/** `make demo`: the whole pipeline on the bundled example, in a throwaway workspace. */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { cliEnv, PROJECT_ROOT } from "../helpers/cli.ts";
import { run } from "../../lib/os/process.ts";

Deno.test("make demo (scripts/demo.ts): summary, pyproject.toml diff, mirror branch, vendored Node SDK, API report; cleans up", async () => {
  const r = await run(Deno.execPath(), [
    "run",
    "--allow-all",
    "--quiet",
    `${PROJECT_ROOT}/scripts/demo.ts`,
  ], {
    cwd: PROJECT_ROOT,
    env: cliEnv(),
    clearEnv: true,
    check: false,
    timeoutMs: 300_000,
  });
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(r.stdout, "codegen all: done in");
  assertMatch(r.stdout, /^\+ {2}"weave_server_sdk @ git\+file:\/\/.*@[0-9a-f]{40}",$/m);
  assertMatch(
    r.stdout,
    /\(weave\/my-feature\) Update generated code from weave branch: my-feature/,
  );
  // The Node SDK, vendored into the trace repository: only its directory and stamp are new.
  assertMatch(
    r.stdout,
    /^ {2}node {7}sdks\/node\/src\/vendor\/weave-server-sdk \(updated: \d+ files, \d+ added, 0 changed, 0 removed\); stamp sdks\/node\/src\/vendor\/weave-server-sdk\.origin\.json$/m,
  );
  assertStringIncludes(r.stdout, "?? sdks/node/src/vendor/weave-server-sdk.origin.json\n");
  assertStringIncludes(r.stdout, "?? sdks/node/src/vendor/weave-server-sdk/client.ts\n");
  assertMatch(r.stdout, /origin\.json: generator stainful, tree [0-9a-f]{40}, \d+ files$/m);
  // The second run, after the server lost POST /obj/read and gained POST /obj/delete.
  assertMatch(
    r.stdout,
    /^ {2}sdk api {4}vs main \([0-9a-f]{12}\): methods 1 added, 1 removed; types 2 removed; removed: objects\.obj_read_obj_read_post$/m,
  );
  assertStringIncludes(r.stderr, "python:   removed methods: objects.obj_read_obj_read_post");
  const root = /in (\/\S+)\/weave$/m.exec(r.stdout)?.[1];
  assert(root, r.stdout);
  assertEquals(await Deno.stat(root).then(() => true, () => false), false, "workspace removed");
});
