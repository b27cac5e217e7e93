import { assertEquals } from "../../tests/helpers/assert.ts";
import { configCopy } from "./config_copy.ts";
import { parseStainlessConfig } from "./stainless_config.ts";

const CONFIG = `# the API
resources:
  calls:
    methods:
      start: post /call/start # starts one
      read: post /call/read
unspecified_endpoints:
  - get /internal
  - post /gone
readme:
  example_requests:
    default:
      type: request
      endpoint: post /call/read
      params: &ref_0 {id: 1}
    headline:
      type: request
      endpoint: post /call/start
      params: *ref_0
openapi:
  code_samples: x-codeSamples
  transformations:
    - command: remove
      args: {target: $.x}
`;

Deno.test("the copy: entries, references to missing endpoints and transformations removed", async () => {
  const config = await parseStainlessConfig(CONFIG, "s.yml");
  const copy = await configCopy(config, {
    remove: [{ resourcePath: ["resources", "calls"], kind: "methods", name: "read" }],
    endpoints: new Set(["post /call/start", "get /internal"]),
    withoutTransformations: true,
  });
  assertEquals(copy.references, [
    { key: "readme.example_requests.default", endpoint: "post /call/read", line: 12 },
    { key: "unspecified_endpoints[1]", endpoint: "post /gone", line: 9 },
  ]);
  assertEquals(copy.transformationsRemoved, true);
  // The alias whose anchor went with `default` becomes a copy of what it stood for; comments stay.
  assertEquals(
    copy.text,
    `# the API
resources:
  calls:
    methods:
      start: post /call/start # starts one
unspecified_endpoints:
  - get /internal
readme:
  example_requests:
    headline:
      type: request
      endpoint: post /call/start
      params: { id: 1 }
openapi:
  code_samples: x-codeSamples
`,
  );
  const reread = await parseStainlessConfig(copy.text, "copy.yml");
  assertEquals(reread.unspecifiedEndpoints.map((u) => u.endpoint), ["get /internal"]);
});

Deno.test("the copy: nothing to remove gives the config's own text; empty sections go", async () => {
  const config = await parseStainlessConfig(CONFIG, "s.yml");
  const all = new Set(["post /call/start", "post /call/read", "get /internal", "post /gone"]);
  const same = await configCopy(config, {
    remove: [],
    endpoints: all,
    withoutTransformations: false,
  });
  assertEquals([same.text, same.references, same.transformationsRemoved], [CONFIG, [], false]);
  const none = await configCopy(config, {
    remove: [],
    endpoints: new Set(),
    withoutTransformations: false,
  });
  assertEquals(none.references.length, 4);
  const reread = await parseStainlessConfig(none.text, "copy.yml");
  assertEquals(reread.unspecifiedEndpoints, []);
  assertEquals(reread.transformations.length, 1, "kept when the spec copy is not transformed");
  assertEquals(none.text.includes("readme:"), false, "left empty: gone");
});
