/**
 * publishTargets: one release per target; targets that share a repository get their own tag
 * prefixes; an automatic bump reads `.codegen/openapi.json` at the last tag and at the tip. Real
 * git (a clone and its bare origin) and the fake GitHub API.
 */
import { assertEquals, assertRejects } from "../../tests/helpers/assert.ts";
import { captureLog } from "../../tests/helpers/capture_log.ts";
import { fakeClientOptions, startFakeGitHub } from "../../tests/helpers/fake_github.ts";
import { commitFiles, gitIn } from "../../tests/helpers/git_fixtures.ts";
import { SMALL_SPEC } from "../../tests/helpers/sdk_clone.ts";
import { GitHubClient } from "../github/client.ts";
import { publishTargets } from "./publish_targets.ts";
import type { DeliveryTarget } from "./targets.ts";

const REPO = "wandb/weave-sdks";

async function withSdks(fn: (clone: string, client: GitHubClient) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "codegen-publish-targets-" });
  const fake = startFakeGitHub();
  const log = captureLog("normal");
  try {
    fake.addRepo(REPO);
    const clone = `${root}/sdk`;
    await gitIn(root, "init", "--quiet", "--bare", "-b", "main", `${root}/sdk.git`);
    await gitIn(root, "init", "--quiet", "-b", "main", clone);
    await commitFiles(clone, {
      message: "both SDKs",
      files: {
        "pyproject.toml": '[project]\nname = "weave_server_sdk"\nversion = "1.0.0"\n',
        "package.json": '{ "name": "weave-sdk", "version": "0.3.0" }\n',
        ".codegen/openapi.json": JSON.stringify(SMALL_SPEC),
      },
    });
    await gitIn(clone, "remote", "add", "origin", `${root}/sdk.git`);
    await gitIn(clone, "push", "--quiet", "origin", "main");
    await fn(clone, new GitHubClient(fakeClientOptions(fake)));
  } finally {
    log.restore();
    await fake.close();
    await Deno.remove(root, { recursive: true });
  }
}

const targets = (clone: string): DeliveryTarget[] => [
  { target: "python", language: "python", clone, cloneKey: "python_output", packageName: "x" },
  {
    target: "typescript",
    language: "typescript",
    clone,
    cloneKey: "typescript_output",
    packageName: "y",
  },
];

Deno.test("one repository, two targets: each tagged <target>/vX.Y.Z; a shared --tag-prefix is refused", async () => {
  await withSdks(async (clone, client) => {
    const options = { targets: targets(clone), client, githubRepo: REPO, env: {} };
    await assertRejects(
      () => publishTargets({ ...options, tagPrefix: "sdk/" }),
      /--tag-prefix sdk\/ would give the same tags to python and typescript/,
    );
    const results = await publishTargets(options);
    assertEquals(results.map((r) => [r.target, r.action, r.tag]), [
      ["python", "released", "python/v1.0.0"],
      ["typescript", "released", "typescript/v0.3.0"],
    ]);
    // Each target's release commit goes on top of the other's.
    assertEquals(
      await gitIn(`${clone}/../sdk.git`, "log", "--format=%s", "main"),
      "release: 0.3.0\nrelease: 1.0.0\nboth SDKs",
    );
  });
});

Deno.test("one target: --tag-prefix as given; auto bump from the SDK tree's spec", async () => {
  await withSdks(async (clone, client) => {
    const [python] = targets(clone);
    const options = { targets: [python], client, githubRepo: REPO, env: {}, tagPrefix: "py-" };
    assertEquals((await publishTargets(options))[0].tag, "py-v1.0.0");
    const grown = {
      ...SMALL_SPEC,
      paths: { ...SMALL_SPEC.paths, "/x": SMALL_SPEC.paths["/health"] },
    };
    await gitIn(clone, "pull", "--quiet", "origin", "main");
    await commitFiles(clone, {
      message: "regenerated",
      files: { ".codegen/openapi.json": JSON.stringify(grown) },
    });
    await gitIn(clone, "push", "--quiet", "origin", "main");
    const [next] = await publishTargets(options);
    assertEquals([next.tag, next.bump.reason], ["py-v1.1.0", "minor for API additions"]);
  });
});
