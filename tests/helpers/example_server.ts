/**
 * The example trace server (examples/trace-repo, real uvicorn + FastAPI) started by a test, on a
 * port uvicorn binds itself (`--port 0`) and reports: no port is chosen in advance, so parallel
 * tests cannot collide on one.
 */
import { type ManagedProcess, startProcess } from "../../lib/os/process.ts";
import { VENV_BIN } from "./cli.ts";
import { EXAMPLE_TRACE_REPO } from "./workspace.ts";
import { waitFor } from "./wait.ts";

export const EXAMPLE_APP = "weave.trace_server.reference.server:app";

export interface ExampleServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts uvicorn on the example app; resolves once it listens (it printed its address). */
export async function startExampleServer(): Promise<ExampleServer> {
  const server = startProcess(`${VENV_BIN}/uvicorn`, [
    EXAMPLE_APP,
    "--host",
    "127.0.0.1",
    "--port",
    "0",
  ], { cwd: EXAMPLE_TRACE_REPO });
  try {
    const url = await waitFor(() => {
      if (server.done) throw new Error(`uvicorn exited before it listened:\n${server.output()}`);
      return /Uvicorn running on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())?.[1];
    }, { what: "uvicorn to print the address it listens on", details: () => server.output() });
    return { url, process: server, stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
