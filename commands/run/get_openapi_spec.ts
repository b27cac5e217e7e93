/** `get_openapi_spec`: the spec from a started server, a running one (--url) or the app (--app). */
import type { CommandOutput } from "../../lib/cli/command.ts";
import { createContext } from "../../lib/config/context.ts";
import { describeSpecPlan, getSpec, type GetSpecOptions } from "../../lib/spec/get_spec.ts";
import { log } from "../../lib/core/log.ts";
import { displayPath } from "../../lib/core/paths.ts";
import type { Input } from "../options.ts";
import type { KillPolicy } from "../../lib/os/ports.ts";
import { lockTrace } from "./trace_lock.ts";

export async function run(
  input: Input<"url" | "app" | "dryRun" | "noWait">,
): Promise<CommandOutput> {
  const { options } = input;
  const context = await createContext(input);
  const { settings } = context;
  const timeoutMs = settings.get("startup_timeout") * 1000;
  const outputFile = settings.get("openapi_output");
  const spec: GetSpecOptions = {
    source: options.url
      ? { kind: "url", url: options.url, timeoutMs }
      : options.app
      ? { kind: "app", target: options.app, timeoutMs }
      : {
        kind: "server",
        argv: settings.get("server_command"),
        port: settings.get("port"),
        startupTimeoutMs: timeoutMs,
        stopGraceMs: settings.get("server_stop_grace") * 1000,
        killPort: settings.get("kill_port") as KillPolicy,
      },
    repoRoot: context.repoRoot,
    outputFile,
    outputOrigin: settings.origin("openapi_output"),
  };
  const shown = displayPath(outputFile, context.cwd);
  if (options.dryRun) {
    const plan = describeSpecPlan(spec);
    for (const line of plan) log.info(`[dry-run] would ${line}`);
    return {
      json: { dryRun: true, path: outputFile, written: false, plan },
      lines: [`${shown}: dry run; not written`],
    };
  }
  const release = await lockTrace(context, options);
  const result = await getSpec(spec).finally(release);
  const s = result.summary;
  return {
    json: { dryRun: false, path: outputFile, written: true, ...s, stopped: result.stopped },
    lines: [
      `${shown}: OpenAPI ${s.openapiVersion}, ${s.paths} paths, ${s.operations} operations` +
      (s.title ? ` (${s.title}${s.version ? ` ${s.version}` : ""})` : ""),
    ],
  };
}
