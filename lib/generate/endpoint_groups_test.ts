/** The endpoint groups of a run, from the settings: defined, selected, checked where given. */
import { assertEquals, assertRejects, assertThrows } from "../../tests/helpers/assert.ts";
import { flagSettings } from "../../tests/helpers/generate_input.ts";
import { withTempDir } from "../../tests/helpers/temp_dir.ts";
import { Settings } from "../config/settings.ts";
import type { CodegenError } from "../core/errors.ts";
import { checkGroupsMatch, selectedGroups } from "./endpoint_groups.ts";

const DEFINED = ["core=tag:Calls,!post /call/read", "objects=post /obj/*"];

Deno.test("groups: none selected is the whole spec; --group, CODEGEN_GROUPS and --all-groups select", () => {
  assertEquals(selectedGroups(flagSettings("/r", { endpoint_groups: DEFINED })), undefined);
  const one = selectedGroups(flagSettings("/r", { endpoint_groups: DEFINED, groups: ["core"] }));
  assertEquals(one, {
    groups: [{ name: "core", include: ["tag:Calls"], exclude: ["post /call/read"] }],
  });
  const configFile = {
    path: "/r/c.yaml",
    exists: false,
    values: {},
    placeholders: {},
    warnings: [],
  };
  const fromEnv = new Settings({
    repoRoot: "/r",
    cwd: "/r",
    configFile,
    flags: { endpoint_groups: DEFINED },
    env: { CODEGEN_GROUPS: "objects core" },
  });
  assertEquals(selectedGroups(fromEnv)?.groups.map((g) => g.name), ["core", "objects"]);
  const all = selectedGroups(
    flagSettings("/r", { endpoint_groups: DEFINED, groups: ["core"] }),
    true,
  );
  assertEquals(all?.groups.map((g) => g.name), ["core", "objects"]);
});

Deno.test("groups: unknown names, no groups defined, and bad patterns are usage errors", () => {
  const typo = assertThrows(
    () => selectedGroups(flagSettings("/r", { endpoint_groups: DEFINED, groups: ["cor"] })),
    /--group: unknown endpoint group `cor` \(did you mean `core`\?\)/,
  );
  assertEquals((typo as CodegenError).exitCode, 2);
  assertThrows(
    () => selectedGroups(flagSettings("/r"), true),
    /--all-groups: the config defines no/,
  );
  assertThrows(
    () => selectedGroups(flagSettings("/r", { endpoint_groups: ["bad=get nowhere"] })),
    /--endpoint-group bad=get nowhere: endpoint_groups\.bad\.include: `get nowhere` is not a pattern/,
  );
});

Deno.test("a group that matches nothing in the saved spec fails when the run is prepared", async () => {
  await withTempDir("codegen-groups-", async (dir) => {
    const spec = `${dir}/openapi.json`;
    await checkGroupsMatch(spec, { groups: [{ name: "x", include: ["tag:X"], exclude: [] }] });
    await Deno.writeTextFile(
      spec,
      JSON.stringify({
        openapi: "3.1.0",
        info: { title: "t", version: "1" },
        paths: { "/a": { get: { tags: ["A"], responses: {} } } },
      }),
    );
    const error = await assertRejects(
      () => checkGroupsMatch(spec, { groups: [{ name: "x", include: ["tag:X"], exclude: [] }] }),
      /endpoint group `x` matches no operation of the spec/,
    );
    assertEquals((error as CodegenError).exitCode, 2);
  });
});
