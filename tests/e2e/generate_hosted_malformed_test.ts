/**
 * The hosted generator when something else answers for the Stainless API: a 200 that is a
 * proxy's HTML page (labelled text/html, or mislabelled JSON) is retried like a 5xx, then reported
 * as a failure with a hint and the first bytes of the page; never as a bug with a stack trace.
 */
import { assertEquals, assertMatch, assertNotMatch } from "../helpers/assert.ts";
import { assertNoSecrets, scenario } from "../helpers/hosted_scenario.ts";
import { head } from "../helpers/sdk_clone.ts";

const CASES = [
  { route: "create", kind: "html", why: /the answer is text, not JSON/ },
  { route: "create", kind: "html-as-json", why: /the answer is not valid JSON \(.*<!DOCTYPE/ },
  { route: "poll", kind: "html", why: /the answer is text, not JSON/ },
  { route: "poll", kind: "html-as-json", why: /the answer is not valid JSON/ },
] as const;

for (const { route, kind, why } of CASES) {
  Deno.test(`stainless: a proxy page (${kind}) answering the ${route} request fails with a hint after the retries`, async () => {
    const s = await scenario({ malformed: { count: 100, route, kind } });
    try {
      const before = await head(s.clone, "main");
      const result = await s.run(["--api-max-retries", "1", "--json"]);
      assertEquals(result.code, 1, result.stderr);
      assertMatch(result.stderr, why);
      assertMatch(result.stderr, /retrying in 0\.5 s \(1\/1\)/);
      assertMatch(result.stderr, /hint: Something other than the Stainless API answered/);
      assertNotMatch(result.stderr, /bug in codegen|unexpected error|\n\s+at /);
      const json = JSON.parse(result.stdout);
      assertEquals(json.error.kind, "failure");
      if (kind === "html") assertMatch(json.error.details, /<title>Corporate proxy<\/title>/);
      const served = s.fake.requests.filter((r) =>
        route === "create" ? r.method === "POST" : /^\/v0\/builds\/[^/]+$/.test(r.path)
      );
      assertEquals(served.length, 2, "asked once, retried once");
      assertEquals(await head(s.clone, "main"), before, "main untouched");
      assertNoSecrets(s, result);
    } finally {
      await s.cleanup();
    }
  });
}

Deno.test("stainless: a proxy page now and then is retried and the build goes through", async () => {
  const s = await scenario({ malformed: { count: 2, route: "poll", kind: "html-as-json" } });
  try {
    const result = await s.run();
    assertEquals(result.code, 0, result.stderr);
    assertMatch(
      result.stderr,
      /poll the build: the answer is not valid JSON.*retrying in 0\.5 s \(1\/5\)/,
    );
    assertMatch(result.stderr, /retrying in 1 s \(2\/5\)/);
    // main: the stamp commit codegen adds on top of the build's commit.
    assertEquals(await head(s.clone, "main^"), s.fake.builds[0].commits.python);
  } finally {
    await s.cleanup();
  }
});
