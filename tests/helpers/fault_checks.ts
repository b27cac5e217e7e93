/**
 * The checks the fault matrix (fault_matrix.ts) makes after every case: the exit code, message,
 * hint and `--json` object; no process of the CLI left (a marker in their environment, inherited
 * by every descendant, found through /proc), no fixture PID or process group left; an empty
 * TMPDIR and no `.tmp-`/`.lock` file in the workspace; the SDK clone's state (everything but its
 * object store, see cloneState); no canary secret in the output, a file or a git object.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertNotMatch } from "./assert.ts";
import { NO_GIT_CONFIG } from "./all_workspace.ts";
import { gitIn } from "./git_fixtures.ts";
import { refsOf, snapshotTree } from "./tree_snapshot.ts";
import type { Workspace } from "./workspace.ts";
import { sha256Hex } from "../../lib/core/sha256.ts";
import {
  allPids,
  isAlive,
  isNoSuchProcess,
  liveGroupMembers,
  readStat,
} from "../../lib/os/procfs.ts";
import { run } from "../../lib/os/process.ts";

/** The environment variable whose value marks every process of one CLI run. */
export const MARKER_VAR = "FAULT_MATRIX_MARKER";

/** What a case expects (a part of FaultCase). */
export interface Expected {
  code: 1 | 2 | 130 | 143;
  message: RegExp;
  hint: RegExp;
}

/** What the run gave: its output, its `--json` object, the process groups a fixture recorded. */
export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  json: Record<string, unknown>;
  groups: number[];
}

/** Where a run's leftovers would be. */
export interface RunPlaces {
  ws: Workspace;
  tmp: string;
  pidDir: string;
  marker: string;
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "";
    throw error;
  }
}

/** The PIDs a fixture recorded in `pidDir/pids` (none yet: []). */
export async function fixturePids(pidDir: string): Promise<number[]> {
  return (await readIfExists(join(pidDir, "pids"))).split("\n").filter(Boolean).map(Number);
}

const KIND = { 1: "failure", 2: "usage", 130: "interrupted", 143: "interrupted" } as const;

/** Exit code, message, hint (the last line), `--json`; nothing left running; TMPDIR empty. */
export async function checkOutcome(c: Expected, at: RunPlaces, r: Outcome): Promise<void> {
  assertEquals(r.code, c.code, `exit code\n${r.stderr}`);
  assertMatch(r.stderr, c.message, `the message\n${r.stderr}`);
  assertMatch(r.stderr, /^hint: /m, `a hint\n${r.stderr}`);
  assertMatch(r.stderr, c.hint, `the hint\n${r.stderr}`);
  // The error and its hint are the last thing said: nothing cut short by the exit reports after.
  assertMatch(r.stderr.trimEnd().split("\n").at(-1)!, /^hint: /, `hint last\n${r.stderr}`);
  assertNotMatch(r.stderr, /unexpected error|bug in codegen|\n\s+at .*\.ts:\d+/, r.stderr);
  const error = r.json.error as { kind: string; message: string; hint?: string };
  assertEquals([r.json.ok, error.kind], [false, KIND[c.code]], r.stdout);
  assert(error.hint, "--json has the hint");

  assertEquals(markedProcesses(at.marker), [], "no process the CLI started is left");
  for (const pid of await fixturePids(at.pidDir)) {
    assert(!isAlive(pid), `the fixture's PID ${pid} is gone`);
  }
  for (const group of r.groups) {
    assertEquals(liveGroupMembers(group), [], `nothing left of process group ${group}`);
  }
  assertEquals([...Deno.readDirSync(at.tmp)].map((e) => e.name), [], "TMPDIR is empty");
}

/** Live processes whose environment holds the marker (the CLI's descendants, orphans included). */
function markedProcesses(marker: string): string[] {
  const needle = new TextEncoder().encode(`${MARKER_VAR}=${marker}`);
  const found: string[] = [];
  for (const pid of allPids()) {
    if (pid === Deno.pid) continue;
    let environ: Uint8Array;
    try {
      environ = Deno.readFileSync(`/proc/${pid}/environ`);
    } catch (error) {
      // Exited meanwhile, or a kernel thread / another user's process: not the CLI's.
      if (isNoSuchProcess(error) || error instanceof Deno.errors.PermissionDenied) continue;
      throw error;
    }
    if (indexOf(environ, needle) >= 0 && readStat(pid)?.state !== "Z") {
      const cmdline = new TextDecoder().decode(Deno.readFileSync(`/proc/${pid}/cmdline`));
      found.push(`${pid}: ${cmdline.replaceAll("\0", " ")}`);
    }
  }
  return found;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  for (let i = haystack.indexOf(first); i >= 0; i = haystack.indexOf(first, i + 1)) {
    if (i + needle.length > haystack.length) return -1;
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/**
 * What a user sees of a clone: refs and HEAD, and every file (work tree and `.git`: index, config,
 * logs, FETCH_HEAD...) but the object store (see the module comment); without origin's
 * remote-tracking refs when `exceptOrigin` (checked by assertTracksOrigin instead).
 */
export async function cloneState(
  dir: string,
  exceptOrigin: boolean,
): Promise<Record<string, unknown>> {
  const files = await snapshotTree(dir);
  const origin = /^\.git\/(logs\/)?refs\/remotes\/origin\//;
  for (const path of Object.keys(files)) {
    if (path.startsWith(".git/objects/") || (exceptOrigin && origin.test(path))) {
      delete files[path];
    }
  }
  let refs = await refsOf(dir);
  if (exceptOrigin) {
    refs = refs.split("\n").filter((l) => !/ refs\/remotes\/origin\//.test(l)).join("\n");
  }
  return { refs, files };
}

/** Each remote-tracking ref of the SDK clone is the tip of that branch on origin. */
export async function assertTracksOrigin(ws: Workspace): Promise<void> {
  const tracking = await gitIn(
    ws.sdk,
    "for-each-ref",
    "--format=%(refname) %(objectname)",
    "refs/remotes/origin/",
  );
  for (const line of tracking.split("\n").filter(Boolean)) {
    const [ref, sha] = line.split(" ");
    const branch = ref.replace("refs/remotes/origin/", "refs/heads/");
    assertEquals(await gitIn(ws.bare, "rev-parse", "--verify", "--quiet", branch), sha, ref);
  }
}

/** Files (and their hashes) under `dirs` holding any of `secrets`. */
export async function filesWithSecrets(
  dirs: string[],
  secrets: string[],
): Promise<Record<string, string>> {
  const needles = secrets.map((s) => new TextEncoder().encode(s));
  const found: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile) {
        const bytes = await Deno.readFile(path);
        if (needles.some((n) => indexOf(bytes, n) >= 0)) found[path] = await sha256Hex(bytes);
      }
    }
  }
  for (const dir of dirs) await walk(dir);
  return found;
}

/**
 * No canary in the output, in a file written under the workspace or TMPDIR (a file that held one
 * before, the SDK clone's `.git/config` with its remote URL, must be unchanged), or in any git
 * object of the trace repository, the SDK clone and its remote.
 */
export async function checkSecrets(
  at: RunPlaces,
  r: Outcome,
  secrets: string[],
  before: Record<string, string>,
): Promise<void> {
  for (const secret of secrets) {
    assert(!r.stdout.includes(secret), `a secret on stdout:\n${r.stdout}`);
    assert(!r.stderr.includes(secret), `a secret on stderr:\n${r.stderr}`);
  }
  assertEquals(
    await filesWithSecrets([at.ws.root, at.tmp], secrets),
    before,
    "no file written with a secret in it",
  );
  for (const repo of [at.ws.trace, at.ws.sdk, at.ws.bare]) {
    const objects = await run("git", ["cat-file", "--batch-all-objects", "--batch"], {
      cwd: repo,
      env: NO_GIT_CONFIG,
    });
    for (const secret of secrets) {
      assert(!objects.stdout.includes(secret), `a secret in a git object of ${repo}`);
    }
  }
}

/** Temporary (`.tmp-`) and lock (`.lock`) files anywhere under `dir`. */
export async function strayFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) found.push(...await strayFiles(path));
    else if (/\.tmp-|\.lock$/.test(entry.name)) found.push(path);
  }
  return found;
}
