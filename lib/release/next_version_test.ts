/** The version `publish` picks: `--version` may not go below the last release, by SemVer order. */
import { assertEquals, assertRejects } from "../../tests/helpers/assert.ts";
import type { CodegenError } from "../core/errors.ts";
import { decideVersion, type ReleaseTag } from "./next_version.ts";

const tag = (version: string): ReleaseTag => ({ tag: `v${version}`, version, commit: "c0ffee" });

Deno.test("--version: the next pre-release by SemVer precedence (beta.9 → beta.10, rc.1 → rc.2)", async () => {
  for (
    const [released, wanted] of [["3.0.0-beta.9", "3.0.0-beta.10"], ["3.0.0-rc.1", "3.0.0-rc.2"]]
  ) {
    const decision = await decideVersion({ version: wanted }, released, tag(released), "tip");
    assertEquals([decision.version, decision.reason], [wanted, "--version"]);
  }
  const below = await assertRejects(
    () => decideVersion({ version: "3.0.0-beta.9" }, "3.0.0-beta.10", tag("3.0.0-beta.10"), "tip"),
  ) as CodegenError;
  assertEquals(
    below.message,
    "--version 3.0.0-beta.9 is below 3.0.0-beta.10 (the version in the SDK's files)",
  );
});

Deno.test("auto: a pre-release in the files that is above the last release is released as it is", async () => {
  const decision = await decideVersion({}, "3.0.0-beta.10", tag("3.0.0-beta.9"), "tip");
  assertEquals(decision.version, "3.0.0-beta.10");
  assertEquals(decision.reason, "3.0.0-beta.10 is in the version files and was never released");
});

Deno.test("auto: the files' version tagged on another branch was released: bumped, not reused", async () => {
  // release/1.x forked at 1.0.0; its files say 2.0.0 (a cherry-pick) and main released 2.0.0.
  const options = { tags: [tag("1.0.0"), tag("2.0.0")] };
  const decision = await decideVersion(options, "2.0.0", tag("1.0.0"), "tip");
  assertEquals(decision.version, "2.0.1");
  assertEquals(decision.reason, "patch for no spec diff available");
  const untagged = await decideVersion({ tags: [tag("1.0.0")] }, "2.0.0", tag("1.0.0"), "tip");
  assertEquals(untagged.version, "2.0.0");
});
