/**
 * The review of a hosted build's commit, before local main moves to it: the SDK API report, the
 * bytecode the build committed left out (with the stamp), post_generate ignored with a warning,
 * and --fail-on api-removals keeping main where it was. The fake Stainless API's outputs
 * carry the synthetic hosted-Stainless SDK (tests/helpers/sdk_api_fixtures.ts).
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../helpers/assert.ts";
import { scenario } from "../helpers/hosted_scenario.ts";
import { HOSTED_STAINLESS_FIXTURE } from "../helpers/sdk_api_fixtures.ts";
import { head } from "../helpers/sdk_clone.ts";
import { gitOutput } from "../../lib/git/git.ts";

const SDK = Object.fromEntries(
  Object.entries(HOSTED_STAINLESS_FIXTURE).filter(([path]) => path.startsWith("src/")),
);
const WITHOUT_GADGETS = Object.fromEntries(
  Object.entries(SDK).filter(([path]) => !path.includes("/gadgets/")),
);

Deno.test("stainless: the fetched commit is reviewed before main moves; api-removals keeps main", async () => {
  const s = await scenario({
    extraFiles: { ...SDK, "src/acme_sdk/__pycache__/_client.cpython-311.pyc": "bytecode" },
  });
  try {
    const first = await s.run(["--post-generate", "ruff format .", "--json"]);
    assertEquals(first.code, 0, first.stderr);
    const one = JSON.parse(first.stdout);
    // The run's one list: codegen's, then the build's diagnostic (known once it is done).
    const sources = one.warnings.map((w: { source: string }) => w.source);
    assertEquals(sources, ["codegen", "stainless"], JSON.stringify(one.warnings));
    assertEquals(one.warnings[0], {
      source: "codegen",
      message:
        "post_generate hooks are not run with the hosted generator (Stainless commits the tree)",
    });
    // The bytecode the build committed is left out of the commit that adds the stamp.
    assertStringIncludes(
      first.stderr,
      "python: left out of the commit: 1 file(s) of bytecode and caches the build committed " +
        "(src/acme_sdk/__pycache__/_client.cpython-311.pyc)",
    );
    // The clone had only a README before: nothing to compare with.
    assertMatch(one.sdk_api.skipped, /^no previous SDK to compare with: no origin\/main, main/);
    // Main is the build's commit with the origin stamp on top (reviewed as such).
    const generated = await head(s.clone, "main");
    assertEquals(await head(s.clone, "main^"), s.fake.builds[0].commits.python);
    const files = await gitOutput(s.clone, ["ls-tree", "-r", "--name-only", "main"]);
    assert(!files.includes("__pycache__"), files);
    assert(files.split("\n").includes("src/acme_sdk/_client.py"), files);
    // The stamp's tree hash is of that tree: main is intact, so the next run is up to date.
    const again = await s.run(["--json"]);
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(JSON.parse(again.stdout).targets.python.skipped, "is intact");

    // The next build drops a resource (the inputs are the same: --regenerate asks for a build):
    // with --fail-on api-removals, main stays.
    s.fake.faults.extraFiles = WITHOUT_GADGETS;
    const second = await s.run([
      "--regenerate",
      "--fail-on",
      "lint,build,test,api-removals",
      "--json",
    ]);
    assertEquals(second.code, 1, second.stderr);
    const two = JSON.parse(second.stdout);
    assertStringIncludes(two.error.message, "removes public API (--fail-on api-removals)");
    assertEquals(two.sdk_api.base, { rev: "main", commit: generated });
    assert(two.sdk_api.removed.some((i: { name: string }) => i.name === "gadgets"));
    assertStringIncludes(second.stderr, "removed resources: gadgets, gadgets.parts");
    assertEquals(await head(s.clone, "main"), generated, "main did not move");
  } finally {
    await s.cleanup();
  }
});
