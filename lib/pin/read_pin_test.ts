import { assertEquals } from "../../tests/helpers/assert.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { classifyPin, readPinnedSdk } from "./read_pin.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";

Deno.test("classifyPin: a git commit, a version, or something else", () => {
  assertEquals(classifyPin(`weave_server_sdk @ git+https://github.com/wandb/sdk.git@${SHA}`), {
    kind: "commit",
    entry: `weave_server_sdk @ git+https://github.com/wandb/sdk.git@${SHA}`,
    url: "https://github.com/wandb/sdk.git",
    commit: SHA,
  });
  const ssh = classifyPin(
    `weave-server-sdk[x] @ git+ssh://git@github.com/w/s.git@${SHA} ; python_version>'3'`,
  );
  assertEquals(ssh.kind === "commit" && [ssh.url, ssh.commit], [
    "ssh://git@github.com/w/s.git",
    SHA,
  ]);
  assertEquals(classifyPin("weave_server_sdk==1.2.3"), {
    kind: "version",
    entry: "weave_server_sdk==1.2.3",
    version: "1.2.3",
  });
  assertEquals(classifyPin("weave_server_sdk @ git+https://x/y.git@main").kind, "other");
  assertEquals(classifyPin("weave_server_sdk>=1.0").kind, "other");
});

Deno.test("readPinnedSdk: the entry of the package in the extra", async () => {
  await withTempDir("codegen-read-pin-", async (dir) => {
    const path = `${dir}/pyproject.toml`;
    await Deno.writeTextFile(
      path,
      `[project]\nname = "weave"\n[project.optional-dependencies]\nstainless = [\n  "httpx",\n  "Weave-Server-SDK==0.4.0",\n]\n`,
    );
    assertEquals(await readPinnedSdk(path, "weave_server_sdk", "stainless"), {
      kind: "version",
      entry: "Weave-Server-SDK==0.4.0",
      version: "0.4.0",
    });
    assertEquals(await readPinnedSdk(path, "weave_server_sdk", "other"), undefined);
    assertEquals(await readPinnedSdk(path, "nope", "stainless"), undefined);
  });
});
