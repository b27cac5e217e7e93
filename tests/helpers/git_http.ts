/**
 * Git over HTTPS (or plain HTTP) on loopback, the way GitHub serves it: `git http-backend`
 * (smart HTTP) behind a small server that demands a token (HTTP Basic, any user name, the token
 * as password) and records every Authorization header it sees.
 *
 * HTTPS uses a self-signed certificate for 127.0.0.1 made with `openssl`; git trusts it through
 * `GIT_SSL_CAINFO=<cert file>` in the environment of the command under test.
 *
 * The CGI exchange is binary (pack data), so this helper talks to git http-backend with
 * Deno.Command directly instead of lib/process.ts, whose capture is text.
 */
import { join } from "node:path";
import { run, which } from "../../lib/os/process.ts";

/** A certificate for 127.0.0.1 and its key (PEM), and the file holding the certificate. */
export interface TestCertificate {
  cert: string;
  key: string;
  certFile: string;
}

/** Is `openssl` available to make a test certificate? */
export const HAS_OPENSSL = which("openssl") !== undefined;

/** A self-signed certificate for IP 127.0.0.1, valid one day, written under `dir`. */
export async function makeTestCertificate(dir: string): Promise<TestCertificate> {
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
    "-keyout",
    keyFile,
    "-out",
    certFile,
  ], { what: "make a test certificate" });
  return {
    cert: await Deno.readTextFile(certFile),
    key: await Deno.readTextFile(keyFile),
    certFile,
  };
}

export interface GitHttpServer {
  url(name: string): string;
  /** Authorization headers received, in order (to check what credentials git sent). */
  authorizations: string[];
  stop(): Promise<void>;
}

const BACKEND = "/usr/lib/git-core/git-http-backend";

function unauthorized(): Response {
  return new Response("authentication required\n", {
    status: 401,
    headers: { "www-authenticate": 'Basic realm="test"' },
  });
}

/** Splits a CGI response into status, headers and body. */
function cgiResponse(output: Uint8Array): Response {
  let split = -1;
  for (let i = 0; i + 3 < output.length; i++) {
    if (output[i] === 13 && output[i + 1] === 10 && output[i + 2] === 13 && output[i + 3] === 10) {
      split = i;
      break;
    }
  }
  if (split < 0) return new Response("bad CGI output", { status: 500 });
  const head = new TextDecoder().decode(output.subarray(0, split));
  const headers = new Headers();
  let status = 200;
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]);
    else headers.append(name, value);
  }
  return new Response(output.slice(split + 4).buffer, { status, headers });
}

/** Serves the repositories under `projectRoot`; over HTTPS when given a certificate. */
export function startGitHttpServer(
  projectRoot: string,
  token: string,
  tls?: TestCertificate,
): GitHttpServer {
  const authorizations: string[] = [];
  const options = { hostname: "127.0.0.1", port: 0, onListen() {} };
  const serveOptions = tls ? { ...options, cert: tls.cert, key: tls.key } : options;
  const server = Deno.serve(serveOptions, async (request) => {
    const auth = request.headers.get("authorization") ?? "";
    if (auth) authorizations.push(auth);
    const password = auth.startsWith("Basic ")
      ? atob(auth.slice(6)).split(":").slice(1).join(":")
      : "";
    if (password !== token) return unauthorized();
    const url = new URL(request.url);
    const child = new Deno.Command(BACKEND, {
      env: {
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: "1",
        REMOTE_USER: "token-user", // enables receive-pack (pushes)
        REQUEST_METHOD: request.method,
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: request.headers.get("content-type") ?? "",
        HTTP_CONTENT_ENCODING: request.headers.get("content-encoding") ?? "",
        GIT_HTTP_MAX_REQUEST_BUFFER: "100M",
      },
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const body = new Uint8Array(await request.arrayBuffer());
    const writer = child.stdin.getWriter();
    await writer.write(body);
    await writer.close();
    const { stdout } = await child.output();
    return cgiResponse(stdout);
  });
  const { port } = server.addr as Deno.NetAddr;
  return {
    url: (name) => `${tls ? "https" : "http"}://127.0.0.1:${port}/${name}`,
    authorizations,
    stop: () => server.shutdown(),
  };
}
