/**
 * A target's pin: a TypeScript SDK pinned in a package.json (one entry's value changes, the rest
 * of the file byte for byte; a release pins the version of the SDK's package.json at the commit;
 * a dry run's placeholder commit), and `none`.
 */
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../tests/helpers/assert.ts";
import { commitFiles, gitIn } from "../../tests/helpers/git_fixtures.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { join } from "../core/paths.ts";
import type { CodegenError } from "../core/errors.ts";
import { prepareTargetPin, releaseVersion, writeTargetPin } from "./target_pin.ts";
import { NoSdkVersionError } from "./sdk_version.ts";

const CONSUMER =
  `{\r\n    "name": "weave-node",\r\n    "dependencies": {\r\n        "weave-server-sdk": "0.0.1",\r\n        "zod": "^3"\r\n    }\r\n}\r\n`;

function withSdk(fn: (root: string, sdk: string, commit: string) => Promise<void>) {
  return withTempDir("codegen-target-pin-", async (root) => {
    const sdk = join(root, "sdk");
    await gitIn(root, "init", "--quiet", "-b", "main", sdk);
    const commit = await commitFiles(sdk, {
      message: "SDK",
      files: { "package.json": '{"name": "weave-server-sdk", "version": "1.4.0"}\n' },
    });
    await gitIn(sdk, "remote", "add", "origin", "https://tok3n@github.com/wandb/sdk-ts.git");
    await Deno.writeTextFile(join(root, "package.json"), CONSUMER);
    await fn(root, sdk, commit);
  });
}

Deno.test("a package.json pin: the entry's value only, in the file's own style", async () => {
  await withSdk(async (root, sdk, commit) => {
    const path = join(root, "package.json");
    const pin = await prepareTargetPin(
      { kind: "package_json", packageJsonPath: path, packageName: "weave-server-sdk" },
      sdk,
    );
    const planned = await writeTargetPin(pin, { commit: "<new mirror commit>" }, { dryRun: true });
    assertEquals(
      planned?.entry,
      '"weave-server-sdk": "git+https://github.com/wandb/sdk-ts.git#<new mirror commit>"',
    );
    assertEquals(await Deno.readTextFile(path), CONSUMER, "a dry run writes nothing");
    const written = await writeTargetPin(pin, { commit });
    const spec = `git+https://github.com/wandb/sdk-ts.git#${commit}`;
    assertEquals(written?.kind, "package_json");
    assertEquals(written?.replaced, ["0.0.1"]);
    assertEquals(await Deno.readTextFile(path), CONSUMER.replace('"0.0.1"', JSON.stringify(spec)));
    assertEquals((await writeTargetPin(pin, { commit }))?.changed, false, "already pinned");
  });
});

Deno.test("a release pin names the version of the SDK's package.json at the commit", async () => {
  await withSdk(async (root, sdk, commit) => {
    const path = join(root, "package.json");
    const pin = await prepareTargetPin(
      {
        kind: "package_json",
        packageJsonPath: path,
        packageName: "weave-server-sdk",
        release: true,
      },
      sdk,
    );
    const version = await releaseVersion(pin, sdk, commit);
    assertEquals(version, "1.4.0");
    await writeTargetPin(pin, { version });
    assertStringIncludes(await Deno.readTextFile(path), '"weave-server-sdk": "1.4.0",');
  });
});

Deno.test("a release pin of a commit without a version, or without package.json, is a NoSdkVersionError", async () => {
  await withSdk(async (root, sdk) => {
    const pin = await prepareTargetPin(
      {
        kind: "package_json",
        packageJsonPath: join(root, "package.json"),
        packageName: "weave-server-sdk",
        release: true,
      },
      sdk,
    );
    // NoSdkVersionError is what `all --release` turns into exit code 2, naming the generator.
    const versionless = await commitFiles(sdk, {
      message: "no version",
      files: { "package.json": '{"name": "weave-server-sdk"}\n' },
    });
    const error = await assertRejects(() => releaseVersion(pin, sdk, versionless));
    assert(error instanceof NoSdkVersionError, String(error));
    assertStringIncludes(error.message, `package.json of ${versionless.slice(0, 12)}`);
    assertStringIncludes(error.message, 'has no "version"');
    await gitIn(sdk, "rm", "--quiet", "package.json");
    await gitIn(sdk, "commit", "--quiet", "-m", "no package.json");
    const bare = await gitIn(sdk, "rev-parse", "HEAD");
    const missing = await assertRejects(() => releaseVersion(pin, sdk, bare));
    assert(missing instanceof NoSdkVersionError, String(missing));
    assertStringIncludes(missing.message, "has no package.json");
  });
});

Deno.test("package.json pins: a bad npm name and a broken file fail before anything is written", async () => {
  await withSdk(async (root, sdk) => {
    const path = join(root, "package.json");
    const bad = await assertRejects(() =>
      prepareTargetPin(
        { kind: "package_json", packageJsonPath: path, packageName: "Weave SDK" },
        sdk,
      )
    );
    assertEquals((bad as CodegenError).exitCode, 2);
    await Deno.writeTextFile(path, "{ not json");
    await assertRejects(
      () =>
        prepareTargetPin(
          { kind: "package_json", packageJsonPath: path, packageName: "weave-server-sdk" },
          sdk,
        ),
      /is not valid JSON/,
    );
    const none = await prepareTargetPin({ kind: "none" }, sdk);
    assertEquals(await writeTargetPin(none, { commit: "a".repeat(40) }), undefined);
  });
});
