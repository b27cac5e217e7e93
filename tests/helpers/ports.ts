/**
 * TCP ports for servers that must be told their port before they start: uvicorn started by the
 * CLI (`--port`, `port:` in a config file) and `git daemon` (its --port=0 means 9418). Servers
 * that can bind port 0 themselves do that instead and report the port (the fake Stainless API,
 * the git HTTP server).
 *
 * Why not "bind port 0, close, hand the number over": until the server binds it, the port is
 * free for anyone, and the kernel hands out ports of its ephemeral range to every bind(0) and
 * outgoing connection of the parallel tests. Retrying on "address in use" does not help either:
 * the CLI stops whatever listens on its port, so it would stop another test's server.
 *
 * So ports come from 20000-29999, below the kernel's ephemeral range (it never gives them out by
 * itself), and port P is reserved by holding a listening socket on P - 10000: exclusive among all
 * processes and test workers that use this helper, released by the kernel if a process dies. A
 * port is handed out only if it can be bound right then (nothing else uses it).
 */
import { canBind } from "../../lib/os/ports.ts";

const FIRST_PORT = 20_000;
const PORT_COUNT = 10_000;
const LOCK_OFFSET = 10_000;

/** A port nobody else who uses this helper gets until `release()` (or the end of a `using` block). */
export interface ReservedPort extends Disposable {
  readonly port: number;
  release(): void;
}

/** The kernel's ephemeral port range on Linux (undefined elsewhere). */
function ephemeralRange(): [number, number] | undefined {
  try {
    const [low, high] = Deno.readTextFileSync("/proc/sys/net/ipv4/ip_local_port_range").trim()
      .split(/\s+/).map(Number);
    return [low, high];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function checkRange(): void {
  const range = ephemeralRange();
  const last = FIRST_PORT + PORT_COUNT - 1;
  if (range && range[0] <= last && range[1] >= FIRST_PORT - LOCK_OFFSET) {
    throw new Error(
      `the kernel's ephemeral port range ${range.join("-")} overlaps the test ports ` +
        `${FIRST_PORT - LOCK_OFFSET}-${last}; the test port reservations would not be safe`,
    );
  }
}

/** Reserves a free port for a server the test starts later (see the module comment). */
export function reservePort(): ReservedPort {
  checkRange();
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = FIRST_PORT + Math.floor(Math.random() * PORT_COUNT);
    let lock: Deno.Listener;
    try {
      lock = Deno.listen({ hostname: "127.0.0.1", port: port - LOCK_OFFSET });
    } catch (error) {
      if (error instanceof Deno.errors.AddrInUse) continue; // reserved by someone else
      throw error;
    }
    if (!canBind(port)) {
      lock.close(); // used by something that does not reserve: try another
      continue;
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      lock.close();
    };
    return { port, release, [Symbol.dispose]: release };
  }
  throw new Error(`no free test port in ${FIRST_PORT}-${FIRST_PORT + PORT_COUNT - 1}`);
}
