/**
 * Who listens on a TCP port, and stopping them (the spec: listeners on the server port are
 * stopped before the server starts).
 *
 * Linux: read /proc/net/tcp{,6} for listening sockets on the port, then map socket inodes to
 * processes through /proc/<pid>/fd. Elsewhere: `lsof`. No shell pipelines. Only listeners are
 * touched (never clients of the port), never this process or its ancestors, SIGTERM first.
 */
import { run, which } from "./process.ts";
import { CodegenError } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { HAS_PROC, isAlive, isNoSuchProcess, readProcLink, readStat } from "./procfs.ts";

export interface Listener {
  pid: number;
  /** The command line, for messages. */
  command: string;
  /** Its arguments as the process was started (from /proc; lsof gives only the name). */
  argv: string[];
}

const TCP_LISTEN = "0A";

async function readTextOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    // Processes come and go while we scan; a vanished or foreign one is simply skipped.
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    throw error;
  }
}

/** Inodes of sockets listening on `port` (IPv4 and IPv6). */
async function listeningInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readTextOrUndefined(table);
    for (const line of text?.split("\n").slice(1) ?? []) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const localPort = fields[1].split(":").pop();
      if (localPort === hexPort && fields[3] === TCP_LISTEN) inodes.add(fields[9]);
    }
  }
  return inodes;
}

export async function commandLine(pid: number): Promise<string> {
  return oneLine(await commandArgv(pid));
}

/** An argv on one line for messages (a `python -c` script's newlines shown as \n). */
function oneLine(argv: string[]): string {
  return argv.map((arg) => arg.replaceAll("\n", "\\n")).join(" ");
}

/** A process's argv (from /proc/<pid>/cmdline; its name alone when that is empty). */
export async function commandArgv(pid: number): Promise<string[]> {
  const raw = await readTextOrUndefined(`/proc/${pid}/cmdline`);
  if (raw) return raw.replace(/\0+$/, "").split("\0");
  const comm = await readTextOrUndefined(`/proc/${pid}/comm`);
  return [comm?.trim() ?? "?"];
}

async function listenersFromProc(port: number): Promise<Listener[]> {
  const inodes = await listeningInodes(port);
  if (inodes.size === 0) return [];
  const pids = new Set<number>();
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const pid = Number(entry.name);
    try {
      for await (const fd of Deno.readDir(`/proc/${pid}/fd`)) {
        const target = await readProcLink(`/proc/${pid}/fd/${fd.name}`);
        const match = /^socket:\[(\d+)\]$/.exec(target ?? "");
        if (match && inodes.has(match[1])) pids.add(pid);
      }
    } catch (error) {
      // Other users' processes and processes that just exited cannot be inspected.
      if (
        !(error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotFound)
      ) {
        throw error;
      }
    }
  }
  return Promise.all(
    [...pids].sort((a, b) => a - b).map(async (pid) => {
      const argv = await commandArgv(pid);
      return { pid, command: oneLine(argv), argv };
    }),
  );
}

async function listenersFromLsof(port: number): Promise<Listener[]> {
  if (!which("lsof")) {
    throw new CodegenError(
      `cannot find processes listening on port ${port}: no /proc and no lsof`,
      {
        hint: "Install lsof, stop the process using the port yourself, or pass --port / --url.",
      },
    );
  }
  const result = await run("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-Fpc"], {
    check: false,
  });
  const listeners: Listener[] = [];
  for (const line of result.stdout.split("\n")) {
    if (line.startsWith("p")) {
      listeners.push({ pid: Number(line.slice(1)), command: "?", argv: ["?"] });
    } else if (line.startsWith("c") && listeners.length) {
      listeners[listeners.length - 1].command = line.slice(1);
      listeners[listeners.length - 1].argv = [line.slice(1)];
    }
  }
  return listeners;
}

export function findListeners(port: number): Promise<Listener[]> {
  return HAS_PROC ? listenersFromProc(port) : listenersFromLsof(port);
}

/** This process and every ancestor: never to be signalled. */
function protectedPids(): Set<number> {
  const pids = new Set<number>([Deno.pid]);
  let ppid = readStat(Deno.pid)?.ppid;
  while (ppid && ppid > 0 && !pids.has(ppid)) {
    pids.add(ppid);
    ppid = readStat(ppid)?.ppid;
  }
  return pids;
}

async function waitForExit(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    alive = alive.filter(isAlive);
  }
  return alive;
}

function signal(pid: number, sig: Deno.Signal): void {
  try {
    Deno.kill(pid, sig);
  } catch (error) {
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new CodegenError(
        `cannot stop process ${pid} listening on the port: permission denied`,
        {
          hint: "Stop it yourself, or pass --port to use another port.",
        },
      );
    }
    if (!isNoSuchProcess(error)) throw error;
  }
}

/** What to do with processes listening on the server's port (config `kill_port`). */
export type KillPolicy = "always" | "ask" | "never";

export interface FreePortOptions {
  /** SIGTERM to SIGKILL. */
  graceMs?: number;
  /** Default "always" (the spec: whatever listens on the port is stopped). */
  policy?: KillPolicy;
  /**
   * The server command about to start (argv[0] resolved): a listener running exactly it is a
   * previous run of the same server, stopped without asking.
   */
  serverArgv?: string[];
  /**
   * With policy "ask": may this listener (not the server) be stopped? Undefined when nobody can be
   * asked (no terminal).
   */
  confirm?: (listener: Listener, port: number) => Promise<boolean | undefined>;
}

/**
 * Is `argv` a run of `server` (same arguments, same program; an interpreter may come first, as
 * /proc shows `python .venv/bin/uvicorn app --port N` for a script)?
 */
export function isSameServer(argv: readonly string[], server: readonly string[]): boolean {
  if (server.length === 0) return false;
  const base = (path: string) => path.slice(path.lastIndexOf("/") + 1);
  const args = server.slice(1);
  for (let i = 0; i + args.length < argv.length; i++) {
    if (argv[i] !== server[0] && base(argv[i]) !== base(server[0])) continue;
    const rest = argv.slice(i + 1);
    if (rest.length === args.length && rest.every((arg, j) => arg === args[j])) return true;
  }
  return false;
}

/** A free port near `port`, to suggest instead of it. */
function nearbyFreePort(port: number): number | undefined {
  for (let candidate = port + 1; candidate <= Math.min(port + 50, 65535); candidate++) {
    if (canBind(candidate)) return candidate;
  }
  return undefined;
}

function portHeld(port: number, listeners: Listener[], why: string): CodegenError {
  const holders = listeners.map((l) => `PID ${l.pid} (${l.command})`).join(", ");
  const free = nearbyFreePort(port);
  return new CodegenError(`port ${port} is in use by ${holders}; ${why}`, {
    hint: `Pass --port ${free ?? "<another port>"} (config \`port\`) to use a free port, stop ${
      listeners.length === 1 ? "that process" : "those processes"
    } yourself, or let codegen stop it: --kill-port always (config \`kill_port\`).`,
  });
}

/**
 * Frees `port` for the server, as `policy` says: stops every process listening on it (SIGTERM,
 * then SIGKILL after `graceMs`) and reports each one; with "ask", only after the user agreed for
 * each one that is not a previous run of the server; with "never", fails naming them. Returns what
 * was stopped.
 */
export async function freePort(
  port: number,
  options: FreePortOptions | number = {},
): Promise<Listener[]> {
  const { graceMs = 3_000, policy = "always", serverArgv = [], confirm } = typeof options ===
      "number"
    ? { graceMs: options }
    : options;
  // Fast path (reading /proc/net/tcp alone can take 10 ms): if we can bind the port, the
  // server can too, and there is nobody to stop.
  if (canBind(port)) return [];
  const listeners = await findListeners(port);
  if (listeners.length === 0) return [];
  const mine = protectedPids();
  const own = listeners.filter((l) => mine.has(l.pid));
  if (own.length > 0) {
    throw new CodegenError(
      `port ${port} is held by this tool or its parent (PID ${own.map((l) => l.pid).join(", ")})`,
      {
        hint: "Pass --port to use another port.",
      },
    );
  }
  if (policy === "never") {
    throw portHeld(port, listeners, "kill_port is never, so it is not stopped");
  }
  if (policy === "ask") {
    for (const l of listeners) {
      if (isSameServer(l.argv, serverArgv)) {
        log.info(`port ${port}: PID ${l.pid} is a previous run of the server command; stopping it`);
        continue;
      }
      const answer = await confirm?.(l, port);
      if (answer !== true) {
        const why = answer === false
          ? "it is not the server codegen starts, and you chose not to stop it"
          : "it is not the server codegen starts, and kill_port is ask but there is no terminal to ask on";
        throw portHeld(port, [l], why);
      }
    }
  }
  for (const l of listeners) {
    log.info(`port ${port} is in use: stopping PID ${l.pid} (${l.command})`);
    signal(l.pid, "SIGTERM");
  }
  const stubborn = await waitForExit(listeners.map((l) => l.pid), graceMs);
  for (const pid of stubborn) {
    log.warn(`PID ${pid} did not exit after SIGTERM; sending SIGKILL`);
    signal(pid, "SIGKILL");
  }
  const left = await waitForExit(stubborn, graceMs);
  if (left.length > 0) {
    throw new CodegenError(`could not stop PID ${left.join(", ")} listening on port ${port}`, {
      hint: "Stop it yourself, or pass --port to use another port.",
    });
  }
  return listeners;
}

/** Can a server listen on 127.0.0.1:`port` right now? */
export function canBind(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) return false;
    throw error;
  }
}
