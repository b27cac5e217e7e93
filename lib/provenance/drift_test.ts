/**
 * checkDrift on real git repositories and a real HTTP server serving the spec: the spec against
 * the saved file, a pinned commit (present, missing from a readable remote, behind an unreadable
 * one), main as the gate only without a pin to check, the whole inputs key, and vendored copies
 * with a stamp codegen did not write (Weave's own shape).
 */
import { assert, assertEquals, assertMatch } from "../../tests/helpers/assert.ts";
import { commitFiles, gitIn } from "../../tests/helpers/git_fixtures.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { join } from "../core/paths.ts";
import { sha256Hex } from "../core/sha256.ts";
import { formatLikePythonJsonDump } from "../spec/format.ts";
import { checkDrift, type CurrentGenerator, type DriftCheckInput } from "./drift.ts";
import type { SdkCheckInput } from "./commit_check.ts";
import { hashConfigFile, stampInputs } from "./inputs.ts";
import { type GeneratorIdentity, renderStamp, type Sha256Ref, STAMP_PATH } from "./stamp.ts";
import { generatedTreeHash } from "./tree.ts";

const SPEC = {
  openapi: "3.1.0",
  info: { title: "t", version: "1" },
  paths: { "/health": { get: { responses: { "200": { description: "ok" } } } } },
};
const SPEC_TEXT = formatLikePythonJsonDump(JSON.stringify(SPEC));
const IDENTITY: GeneratorIdentity = {
  generator: "fake",
  generator_version: "1.0.0",
  generator_command: ["fake", "{out}"],
  generator_config: null,
  package_name: "weave_server_sdk",
  post_generate: [],
};

interface Fixture {
  repo: string;
  clone: string;
  bare: string;
  /** The stamped (generated) commit, pushed to `bare`'s main. */
  generated: string;
  check(
    sdk?: Partial<SdkCheckInput & CurrentGenerator>,
    more?: Partial<DriftCheckInput>,
  ): ReturnType<typeof checkDrift>;
  pin(url: string, commit: string): Promise<void>;
}

/** A trace repository (saved spec, pyproject), an SDK clone whose main is stamped, its origin. */
async function withFixture(fn: (f: Fixture) => Promise<void>): Promise<void> {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(JSON.stringify(SPEC), { headers: { "content-type": "application/json" } }),
  );
  try {
    await withTempDir("codegen-drift-", async (root) => {
      const repo = join(root, "trace");
      await Deno.mkdir(join(repo, "tools/codegen"), { recursive: true });
      await Deno.writeTextFile(join(repo, "tools/codegen/openapi.json"), SPEC_TEXT);
      const clone = join(root, "sdk");
      const bare = join(root, "sdk.git");
      await gitIn(root, "init", "--quiet", "--bare", "-b", "main", bare);
      await gitIn(root, "init", "--quiet", "-b", "main", clone);
      await commitFiles(clone, { message: "generated", files: { "sdk/client.py": "x = 1\n" } });
      const hashes = {
        spec: {
          path: "tools/codegen/openapi.json",
          sha256: `sha256:${await sha256Hex(SPEC_TEXT)}` as Sha256Ref,
        },
        ...await hashConfigFile(repo, join(repo, "tools/codegen/openapi.stainless.yml")),
      };
      const tree = await generatedTreeHash(clone, "HEAD");
      const generated = await commitFiles(clone, {
        message: "stamp",
        files: { [STAMP_PATH]: await renderStamp(stampInputs(hashes, "python", IDENTITY), tree) },
      });
      await gitIn(clone, "push", "--quiet", bare, "main");
      const pyproject = join(repo, "pyproject.toml");
      const { port } = server.addr as Deno.NetAddr;
      await fn({
        repo,
        clone,
        bare,
        generated,
        pin: (url, commit) =>
          Deno.writeTextFile(
            pyproject,
            `[project]\nname = "weave"\n[project.optional-dependencies]\n` +
              `trace_server = ["weave_server_sdk @ git+${url}@${commit}"]\n`,
          ),
        check: (sdk = {}, more = {}) =>
          checkDrift({
            spec: {
              source: { kind: "url", url: `http://127.0.0.1:${port}/`, timeoutMs: 10_000 },
              repoRoot: repo,
              outputFile: join(repo, "tools/codegen/openapi.json"),
            },
            configPath: join(repo, "tools/codegen/openapi.stainless.yml"),
            groups: null,
            sdks: [{
              target: "python",
              clone,
              pin: {
                kind: "pyproject",
                pyprojectPath: pyproject,
                packageName: "weave_server_sdk",
                extra: "trace_server",
              },
              kept: [],
              identity: IDENTITY,
              ...sdk,
            }],
            env: {},
            ...more,
          }),
      });
    });
  } finally {
    await server.shutdown();
  }
}

const summary = (report: Awaited<ReturnType<typeof checkDrift>>) =>
  report.sdk.map((c) => `${c.name}:${c.status}:${c.role}`);

Deno.test("checkDrift: a pinned commit in sync; main is information next to it", async () => {
  await withFixture(async (f) => {
    await f.pin(`file://${f.bare}`, f.generated);
    const report = await f.check();
    assert(report.ok, report.problems.join("\n"));
    assertEquals(report.spec.status, "in sync");
    assertEquals(summary(report), ["pinned:in sync:gate", "main:in sync:information"]);

    // main drifts (a hand edit): shown, not counted, while the pin is in sync.
    await commitFiles(f.clone, { message: "edit", files: { "sdk/client.py": "x = 2\n" } });
    const edited = await f.check();
    assert(edited.ok, edited.problems.join("\n"));
    assertEquals(summary(edited), ["pinned:in sync:gate", "main:differs:information"]);
    assertMatch(edited.sdk[1].detail, /its files were changed after it was generated/);
  });
});

Deno.test("checkDrift: the whole inputs key is compared, and each input that differs is named", async () => {
  await withFixture(async (f) => {
    await f.pin(`file://${f.bare}`, f.generated);
    const hooked = { ...IDENTITY, post_generate: [["npm", "pkg", "set", "name={package}"]] };
    const report = await f.check({ identity: hooked });
    assertEquals(report.ok, false);
    assertEquals(report.problems, [
      `pinned SDK: ${
        f.generated.slice(0, 12)
      }: it was generated from other inputs: post_generate [] → [["npm","pkg","set","name={package}"]]`,
    ]);
    // A generator that cannot tell its version here: compared without it, with a note.
    const unknown = await f.check({ identity: { ...IDENTITY, generator_version: null } });
    assert(unknown.ok, unknown.problems.join("\n"));
    assertMatch(unknown.sdk[0].notes?.[0] ?? "", /fake did not tell its version here/);
  });
});

Deno.test("checkDrift: a pinned commit a readable remote lacks is drift; an unreadable remote is not checked and main gates", async () => {
  await withFixture(async (f) => {
    const missing = "1".repeat(40);
    await f.pin(`file://${f.bare}`, missing);
    const absent = await f.check();
    assertEquals(absent.ok, false);
    assertEquals(summary(absent), ["pinned:differs:gate", "main:in sync:information"]);
    assertMatch(
      absent.problems[0],
      new RegExp(
        `pinned SDK: the pinned commit 111111111111 is not in file://${f.bare} \\(which can be ` +
          "read: [^)]+\\), so nothing can install it",
      ),
    );

    await f.pin(`file://${f.bare}-nowhere`, missing);
    const unreadable = await f.check();
    assert(unreadable.ok, unreadable.problems.join("\n"));
    assertEquals(summary(unreadable), ["pinned:not checked:gate", "main:in sync:gate"]);
    assertMatch(
      unreadable.sdk[0].detail,
      /cannot be read here \('\/[^']*-nowhere' does not appear to be a git repository\); give the job read access/,
    );
    // Without a pin to check, main's drift fails the check.
    await commitFiles(f.clone, { message: "edit", files: { "sdk/client.py": "x = 2\n" } });
    const mainDrift = await f.check();
    assertEquals(mainDrift.ok, false);
    assertMatch(
      mainDrift.problems[0],
      /^main SDK: \w+: its files were changed after it was generated/,
    );
    // The pin's commit exists only in the clone: found there, nothing fetched.
    await f.pin(`file://${f.bare}-nowhere`, f.generated);
    assertEquals(summary(await f.check()), ["pinned:in sync:gate", "main:differs:information"]);
  });
});

Deno.test("checkDrift: the spec missing or differing; vendored copies with Weave's own stamp", async () => {
  await withFixture(async (f) => {
    const vendorDir = "weave/vendor/weave_server_sdk";
    await Deno.mkdir(join(f.repo, vendorDir), { recursive: true });
    await Deno.writeTextFile(join(f.repo, vendorDir, "__init__.py"), "");
    const configPath = join(f.repo, "tools/codegen/openapi.stainless.yml");
    await Deno.writeTextFile(configPath, "resources: {}\n");
    const configHash = `sha256:${await sha256Hex("resources: {}\n")}`;
    const stamp = (config: string) =>
      Deno.writeTextFile(
        join(f.repo, `${vendorDir}.origin.json`),
        JSON.stringify({
          core_commit: "0".repeat(40),
          "services/weave-trace/openapi.json": `sha256:${"2".repeat(64)}`,
          "services/weave-trace/tools/codegen/openapi.stainless.yml": config,
        }),
      );
    await stamp(configHash);
    const vendored = [{ target: "python", vendorDir, identity: IDENTITY }];
    const foreign = await f.check({}, { sdks: [], vendored });
    assert(foreign.ok, foreign.problems.join("\n"));
    assertEquals(foreign.vendored[0].status, "not checked");
    assertEquals(foreign.vendored[0].details.slice(1), [
      "current: its hash of services/weave-trace/tools/codegen/openapi.stainless.yml " +
      "(tools/codegen/openapi.stainless.yml here)",
      "not compared (no such input here): services/weave-trace/openapi.json",
    ]);
    await stamp(`sha256:${"3".repeat(64)}`);
    const stale = await f.check({}, { sdks: [], vendored });
    assertEquals(stale.problems.length, 1);
    assertMatch(
      stale.problems[0],
      /has services\/weave-trace\/tools\/codegen\/openapi\.stainless\.yml .* the copy is stale/,
    );

    await Deno.writeTextFile(join(f.repo, "tools/codegen/openapi.json"), SPEC_TEXT + " ");
    const bytes = await f.check({}, { sdks: [] });
    assertEquals([bytes.spec.status, bytes.spec.bytes_only], ["differs", true]);
    await Deno.remove(join(f.repo, "tools/codegen/openapi.json"));
    const missing = await f.check({}, { sdks: [] });
    assertEquals(missing.spec.status, "missing");
    assertMatch(missing.problems[0], /does not exist: run `codegen get_openapi_spec`/);
  });
});
