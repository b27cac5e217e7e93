/**
 * Shared set-up of the `open-pr` and `publish` end-to-end tests: a bare SDK repository (a local
 * path, so the repository is named with --github-repo), an SDK clone whose `main` holds a small
 * Stainless-shaped SDK with `.codegen/origin.json` and `.codegen/openapi.json`, a trace
 * repository on branch `my-feature`, a second clone that plays "the CI machine that pushed", and
 * the fake GitHub API. The CLI runs as a subprocess with GITHUB_API_URL pointing at the fake.
 */
import { join } from "node:path";
import { type CliResult, runCli } from "./cli.ts";
import { commitFiles, gitIn, writeFiles } from "./git_fixtures.ts";
import { type FakeGitHub, startFakeGitHub } from "./fake_github.ts";
import { HOSTED_STAINLESS_FIXTURE } from "./sdk_api_fixtures.ts";
import { SMALL_SPEC } from "./sdk_clone.ts";

export const SDK_REPO = "wandb/weave-server-sdk";
export const PACKAGE = "acme_sdk";
/** No user or system git config: the tool brings its own identity. */
export const NO_GIT_CONFIG = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };

/** The spec of the SDK on main, and the trace branch's spec: one operation added. */
export const SPEC_BEFORE = SMALL_SPEC;
export const SPEC_AFTER = {
  ...SMALL_SPEC,
  paths: {
    ...SMALL_SPEC.paths,
    "/widgets": {
      post: { operationId: "createWidget", responses: { "200": { description: "ok" } } },
    },
  },
};
/** The same API without /health: a breaking change. */
export const SPEC_BREAKING = {
  ...SMALL_SPEC,
  paths: { "/widgets": SPEC_AFTER.paths["/widgets"] },
};

export function stamp(spec: unknown, generator = "openapi-python-client"): string {
  const hash = (text: string) => `sha256:${text.length.toString(16).padStart(64, "0")}`;
  return JSON.stringify(
    {
      "tools/codegen/openapi.json": hash(JSON.stringify(spec)),
      "tools/codegen/openapi.stainless.yml": hash("config"),
      codegen: { generator, generator_version: "0.29.1", inputs: hash(JSON.stringify(spec)) },
    },
    null,
    2,
  );
}

/** The SDK tree generated from `spec` (with a `Gizmo` type when `gizmo`), stamp and spec. */
export function sdkTree(spec: unknown, gizmo = false): Record<string, string> {
  const types = "src/acme_sdk/types/__init__.py";
  return {
    ...HOSTED_STAINLESS_FIXTURE,
    [types]: HOSTED_STAINLESS_FIXTURE[types] +
      (gizmo ? "from .gizmo import Gizmo as Gizmo\n" : ""),
    ".codegen/openapi.json": JSON.stringify(spec, null, 2),
    ".codegen/origin.json": stamp(spec),
  };
}

export interface DeliveryFixture {
  root: string;
  bare: string;
  /** The SDK clone given to codegen (--python-output). */
  sdk: string;
  /** Another clone of the SDK repository: pushes the mirror branch, lands merged commits. */
  work: string;
  trace: string;
  fake: FakeGitHub;
  /** GITHUB_API_URL, GITHUB_TOKEN and no git config, for the CLI. */
  env: Record<string, string>;
  /** `codegen --repo-root <trace> <args>` with `env` (plus `extraEnv`). */
  cli(args: string[], extraEnv?: Record<string, string>): Promise<CliResult>;
  /** Pushes weave/my-feature: `files` on top of origin's main, with a Trace-Commit trailer. */
  pushMirror(files: Record<string, string | null>): Promise<string>;
  /** A commit landing on origin's main (a merged pull request). */
  land(files: Record<string, string | null>, message?: string): Promise<string>;
}

export async function withDelivery(
  fn: (f: DeliveryFixture) => Promise<void>,
  options: { basePath?: string } = {},
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "codegen-delivery-" });
  const fake = startFakeGitHub({ basePath: options.basePath });
  try {
    const bare = join(root, "sdk.git");
    await gitIn(root, "init", "--quiet", "--bare", "-b", "main", bare);
    const sdk = join(root, "sdk");
    await gitIn(root, "init", "--quiet", "-b", "main", sdk);
    await commitFiles(sdk, { message: "Generated SDK", files: sdkTree(SPEC_BEFORE) });
    await gitIn(sdk, "remote", "add", "origin", bare);
    await gitIn(sdk, "push", "--quiet", "origin", "main");
    const work = join(root, "work");
    await gitIn(root, "clone", "--quiet", bare, work);
    const trace = join(root, "trace");
    await gitIn(root, "init", "--quiet", "-b", "my-feature", trace);
    await commitFiles(trace, {
      message: "Trace server",
      files: {
        "tools/codegen/openapi.json": JSON.stringify(SPEC_AFTER, null, 2),
      },
    });
    fake.addRepo(SDK_REPO);
    const env = {
      ...NO_GIT_CONFIG,
      GITHUB_API_URL: fake.url,
      GITHUB_TOKEN: fake.token,
      GH_TOKEN: "",
      GITHUB_HEAD_REF: "",
      GITHUB_REF_NAME: "",
    };
    const fixture: DeliveryFixture = {
      root,
      bare,
      sdk,
      work,
      trace,
      fake,
      env,
      cli: (args, extraEnv = {}) =>
        runCli(["--repo-root", trace, ...args], { cwd: trace, env: { ...env, ...extraEnv } }),
      async pushMirror(files) {
        const traceCommit = await gitIn(trace, "rev-parse", "HEAD");
        await gitIn(work, "fetch", "--quiet", "origin");
        await gitIn(work, "checkout", "--quiet", "-B", "mirror", "origin/main");
        const message =
          `Update generated code\n\nTrace-Commit: ${traceCommit}\nGenerated-By: codegen`;
        await writeFiles(work, files);
        await gitIn(work, "add", "--all");
        await gitIn(work, "commit", "--quiet", "--allow-empty", "-m", message);
        await gitIn(work, "push", "--quiet", "--force", "origin", "mirror:weave/my-feature");
        return await gitIn(work, "rev-parse", "HEAD");
      },
      async land(files, message = "Merge the generated SDK") {
        await gitIn(work, "fetch", "--quiet", "origin");
        await gitIn(work, "checkout", "--quiet", "-B", "main", "origin/main");
        const commit = await commitFiles(work, { message, files });
        await gitIn(work, "push", "--quiet", "origin", "main");
        return commit;
      },
    };
    await fn(fixture);
  } finally {
    await fake.close();
    await Deno.remove(root, { recursive: true });
  }
}

/** The one JSON object of a `--json` run. */
export function jsonOf(result: CliResult): Record<string, unknown> {
  return JSON.parse(result.stdout);
}

/** Neither stream, nor the fake's log, ever holds the token. */
export function assertNoToken(f: DeliveryFixture, ...results: CliResult[]): void {
  for (const r of results) {
    if (r.stdout.includes(f.fake.token) || r.stderr.includes(f.fake.token)) {
      throw new Error(`the token was printed:\n${r.stdout}\n${r.stderr}`);
    }
  }
  if (JSON.stringify(f.fake.requests).includes(f.fake.token)) {
    throw new Error("the token is in the fake's request log");
  }
}
