/** What get_openapi_spec would do, for --dry-run: one step per action, in order, per source. */
import {
  assert,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../../tests/helpers/assert.ts";
import { CodegenError } from "../core/errors.ts";
import { describeSpecPlan, type GetSpecOptions } from "./get_spec.ts";

const base = { repoRoot: "/trace", outputFile: "/trace/tools/codegen/openapi.json" };

Deno.test("server source: stop the port's listeners, run the command with the port, GET, write", () => {
  const options: GetSpecOptions = {
    ...base,
    source: {
      kind: "server",
      argv: ["sh", "serve.sh", "--port", "{port}"],
      port: 7123,
      startupTimeoutMs: 30_000,
      stopGraceMs: 0,
      killPort: "always",
    },
  };
  assertEquals(describeSpecPlan(options), [
    "stop processes listening on port 7123 (SIGTERM, then SIGKILL)",
    "run `sh serve.sh --port 7123` in /trace",
    "GET http://127.0.0.1:7123/openapi.json, then stop the server's process group",
    "write /trace/tools/codegen/openapi.json (atomically)",
  ]);
});

Deno.test("url and app sources: one step each, then the write", () => {
  const url: GetSpecOptions = {
    ...base,
    source: { kind: "url", url: "http://127.0.0.1:6345/openapi.json", timeoutMs: 1000 },
  };
  assertEquals(describeSpecPlan(url), [
    "GET http://127.0.0.1:6345/openapi.json",
    "write /trace/tools/codegen/openapi.json (atomically)",
  ]);
  const app: GetSpecOptions = {
    ...base,
    outputFile: "/out/spec.json",
    source: { kind: "app", target: "weave.server:app", timeoutMs: 1000 },
  };
  assertEquals(describeSpecPlan(app), [
    "import weave.server:app in Python and call openapi()",
    "write /out/spec.json (atomically)",
  ]);
});

Deno.test("server source: a missing executable fails the plan as it fails the run", () => {
  const options: GetSpecOptions = {
    ...base,
    source: {
      kind: "server",
      argv: ["no-such-server-xyz", "--port", "{port}"],
      port: 7123,
      startupTimeoutMs: 30_000,
      stopGraceMs: 0,
      killPort: "always",
    },
  };
  const error = assertThrows(
    () => describeSpecPlan(options),
    /`no-such-server-xyz` not found in \/trace\/\.venv\/bin/,
  );
  assert(error instanceof CodegenError);
  assertStringIncludes(error.hint ?? "", "CODEGEN_PYTHON");
});
